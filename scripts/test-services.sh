#!/usr/bin/env bash
# Installs (when missing) and runs the real services Tally's tests use, on 127.0.0.1 only
# (docs/architecture.md#testing):
#   - Redis        Debian `redis-server` (apt)
#   - FerretDB     v1.24.2, SQLite handler, built from the Go module proxy and cached
#   - moto server  PyPI `moto[server]`
#   - Azurite      npm `azurite` (a devDependency, so `npm ci` installs it), blob service only; installed into the cache
#                  at the version package.json pins when node_modules lacks it
#   - fake-gcs-server  v1.56.1 (Cloud Storage JSON API), memory backend, plain HTTP, built from the Go module proxy
#                  with `go install` and cached
#
# Usage:
#   scripts/test-services.sh exec CMD [ARGS...]  start the services, run CMD with the URLs exported, stop the services,
#                                                exit with CMD's exit code
#   scripts/test-services.sh start               start them and print `export ...` lines to eval; they keep running
#   scripts/test-services.sh stop                stop what `start` started
#   scripts/test-services.sh install             only install what is missing
#
# Exported to CMD (and printed by `start`):
#   TALLY_TEST_REDIS_URL=redis://127.0.0.1:P  TALLY_TEST_MONGODB_URL=mongodb://127.0.0.1:P  TALLY_TEST_AWS_ENDPOINT=http://127.0.0.1:P
#   TALLY_TEST_AZURITE_BLOB_URL=http://127.0.0.1:P/devstoreaccount1 (Azurite's well-known development account)
#   TALLY_TEST_GCS_URL=http://127.0.0.1:P (fake-gcs-server's root: the JSON API is under /storage/v1)
# A service whose variable is already set is not started; MONGODB_URI (a real MongoDB) stands in for
# TALLY_TEST_MONGODB_URL when only it is set. A `start` finding services that an older version of this script started
# (its state file lacks Azurite or fake-gcs-server) starts the missing ones beside them.
#
# Environment:
#   TALLY_SERVICES_HOME     cache for the FerretDB and fake-gcs-server binaries, moto's virtualenv, Azurite (when
#                           node_modules lacks it), logs and `start` state
#                           (default ~/.cache/tally-services)
#   TALLY_SERVICES_TIMEOUT  seconds to wait for each service to accept connections (default 60)
set -euo pipefail

readonly FERRETDB_VERSION=v1.24.2
readonly FERRETDB_MODULE=github.com/FerretDB/FerretDB
readonly MOTO_REQUIREMENT='moto[server]>=5,<6'
readonly FAKE_GCS_VERSION=v1.56.1
readonly FAKE_GCS_MODULE=github.com/fsouza/fake-gcs-server
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_DIR

SERVICES_HOME="${TALLY_SERVICES_HOME:-${HOME:-/root}/.cache/tally-services}"
BIN_DIR="$SERVICES_HOME/bin"
FERRETDB_BIN="$BIN_DIR/ferretdb"
MOTO_VENV="$SERVICES_HOME/moto-venv"
AZURITE_PREFIX="$SERVICES_HOME/azurite"
# The version is in the name: a binary of another version is simply not found, and is built anew.
FAKE_GCS_BIN="$BIN_DIR/fake-gcs-server-$FAKE_GCS_VERSION"
LOG_DIR="$SERVICES_HOME/logs"
STATE_FILE="$SERVICES_HOME/run/services.state"
TIMEOUT="${TALLY_SERVICES_TIMEOUT:-60}"

# What this invocation started (cleaned up by stop_started).
RUN_DIR=''
REDIS_PID=''
FERRETDB_PID=''
MOTO_PID=''
MOTO_PY=''
AZURITE_PID=''
AZURITE_BIN=''
FAKE_GCS_PID=''
USED_PORTS=' '
PORT=''
CHECK_CMDLINE=''

log() { printf 'test-services: %s\n' "$*" >&2; }

die() {
  log "error: $*"
  exit 1
}

show_log_tail() { # FILE [LINES]
  local file=$1 lines=${2:-30}
  if [[ -s $file ]]; then
    log "last $lines lines of $file:"
    tail -n "$lines" "$file" | sed 's/^/    /' >&2
  else
    log "($file is empty)"
  fi
}

# Runs FUNC ARGS... in a subshell with `set -e` in force (it is not inside `if`/`||`, where bash would ignore it) and
# all output going to LOG. Returns the subshell's exit status.
run_logged() { # LOG FUNC [ARGS...]
  local logfile=$1 rc
  shift
  mkdir -p "$(dirname "$logfile")"
  set +e
  (
    set -euo pipefail
    "$@"
  ) >"$logfile" 2>&1 </dev/null
  rc=$?
  set -e
  return "$rc"
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    log "error: not root and no sudo to run: $*"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------------------------------
# Installation (serialised between concurrent runs with a lock file)

lock_install() {
  mkdir -p "$SERVICES_HOME" "$LOG_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$SERVICES_HOME/install.lock"
    if ! flock -n 9; then
      log 'waiting for another test-services.sh to finish installing'
      flock 9
    fi
    # Left over from an interrupted build (we hold the lock, so no build is running).
    chmod -R u+w "$SERVICES_HOME"/ferretdb-build.* 2>/dev/null || true
    rm -rf "$SERVICES_HOME"/ferretdb-build.* "$SERVICES_HOME"/fake-gcs-build.*
  fi
}

# Must run before any service starts, or the service would inherit the lock's file descriptor.
unlock_install() {
  exec 9>&-
}

install_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die 'redis-server is missing and apt-get is not available: install Redis 7 (redis-server) yourself'
  log 'installing redis-server with apt-get'
  local logfile="$LOG_DIR/redis-install.log" start=$SECONDS
  if ! run_logged "$logfile" apt_install_redis; then
    show_log_tail "$logfile"
    die "could not install redis-server with apt-get (full log: $logfile)"
  fi
  command -v redis-server >/dev/null 2>&1 || die "apt-get installed redis-server but it is not on PATH (log: $logfile)"
  log "installed $(redis-server --version | cut -d' ' -f1-3) in $((SECONDS - start))s"
}

apt_install_redis() {
  # The Debian package would start its own redis on :6379 through invoke-rc.d; a policy-rc.d answering 101 ("action
  # forbidden") stops that. We only add one when none exists, and remove it again.
  local policy=/usr/sbin/policy-rc.d added=''
  if [[ ! -e $policy && $(id -u) -eq 0 ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    added=1
  fi
  local rc=0
  as_root apt-get update -qq || rc=$?
  if [[ $rc -eq 0 ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
      --no-install-recommends redis-server || rc=$?
  fi
  if [[ -n $added ]]; then
    rm -f "$policy"
  fi
  return "$rc"
}

ferretdb_ok() {
  local out
  # Not `--version | grep -q`: grep quitting early can SIGPIPE ferretdb, and pipefail then reports a failure.
  [[ -x $FERRETDB_BIN ]] && out=$("$FERRETDB_BIN" --version 2>/dev/null) && grep -qx "version: $FERRETDB_VERSION" <<<"$out"
}

install_ferretdb() {
  if ferretdb_ok; then
    return 0
  fi
  command -v go >/dev/null 2>&1 ||
    die "FerretDB $FERRETDB_VERSION has to be built but 'go' is not on PATH: install Go >= 1.21 (https://go.dev/dl/)"
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy (first run only, 1-2 minutes)"
  local logfile="$LOG_DIR/ferretdb-build.log" work start=$SECONDS
  mkdir -p "$BIN_DIR"
  work=$(mktemp -d "$SERVICES_HOME/ferretdb-build.XXXXXX")
  if ! run_logged "$logfile" build_ferretdb "$work"; then
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
    show_log_tail "$logfile"
    die "building FerretDB $FERRETDB_VERSION failed (full log: $logfile)"
  fi
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
  ferretdb_ok || die "$FERRETDB_BIN --version does not report $FERRETDB_VERSION (build log: $logfile)"
  log "built $FERRETDB_BIN in $((SECONDS - start))s"
}

# A plain `go install` binary panics at start because build/version/version.txt is not part of the
# module, so build from a writable copy of the module source with that file written.
build_ferretdb() { # WORK_DIR
  local work=$1 json dir commit
  cd "$work"
  # Outside any module, with no workspace; GOTOOLCHAIN=auto lets an older go fetch the go1.24 toolchain go.mod asks for.
  export GO111MODULE=on GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=auto
  go version
  json=$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION")
  printf '%s\n' "$json"
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  commit=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]*\)",\{0,1\}$/\1/p')
  [[ -n $dir && -d $dir ]] || {
    echo "go mod download did not report a source directory"
    return 1
  }
  mkdir src
  cp -R "$dir/." src/
  chmod -R u+w src
  printf '%s\n' "$FERRETDB_VERSION" >src/build/version/version.txt
  if [[ -n $commit ]]; then
    printf '%s\n' "$commit" >src/build/version/commit.txt
  fi
  (cd src && go build -buildvcs=false -trimpath -o "$work/ferretdb" ./cmd/ferretdb)
  "$work/ferretdb" --version
  mv -f "$work/ferretdb" "$FERRETDB_BIN"
}

# Prints the interpreter that runs moto (a python whose `import moto.server` works), or nothing.
find_moto_python() {
  local py
  for py in "$MOTO_VENV/bin/python" "$(system_python)"; do
    if [[ -n $py && -x $py ]] && "$py" -c 'import moto, moto.server, flask, flask_cors' >/dev/null 2>&1; then
      printf '%s\n' "$py"
      return 0
    fi
  done
  return 0
}

system_python() {
  local cand
  for cand in python3 python; do
    if command -v "$cand" >/dev/null 2>&1; then
      # Resolve shims (pyenv) to the real interpreter.
      "$cand" -c 'import sys; print(sys.executable)' 2>/dev/null && return 0
    fi
  done
  return 0
}

install_moto() {
  MOTO_PY=$(find_moto_python)
  if [[ -n $MOTO_PY ]]; then
    return 0
  fi
  local py logfile="$LOG_DIR/moto-install.log" start=$SECONDS
  py=$(system_python)
  [[ -n $py ]] || die 'moto server needs Python 3, and neither python3 nor python is on PATH'
  log "installing $MOTO_REQUIREMENT with pip into $MOTO_VENV"
  if ! run_logged "$logfile" pip_install_moto "$py"; then
    show_log_tail "$logfile"
    die "could not pip install \"$MOTO_REQUIREMENT\" (full log: $logfile)"
  fi
  MOTO_PY=$(find_moto_python)
  [[ -n $MOTO_PY ]] || die "pip installed moto but \`import moto.server\` still fails (log: $logfile)"
  log "installed moto $("$MOTO_PY" -c 'import moto; print(moto.__version__)') in $((SECONDS - start))s"
}

pip_install_moto() { # PYTHON
  local py=$1
  # A private virtualenv keeps moto's pins out of the system site-packages and sidesteps PEP 668
  # ("externally-managed-environment"); without the venv module, fall back to the interpreter's own pip.
  rm -rf "$MOTO_VENV"
  if "$py" -m venv "$MOTO_VENV"; then
    "$MOTO_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "$MOTO_REQUIREMENT"
  else
    rm -rf "$MOTO_VENV"
    "$py" -m pip install --quiet --disable-pip-version-check --no-input "$MOTO_REQUIREMENT"
  fi
}

# The version of azurite package.json pins (its devDependencies), or nothing.
azurite_version() {
  sed -n 's/^[[:space:]]*"azurite": "\([^"]*\)",\{0,1\}$/\1/p' "$REPO_DIR/package.json" | head -n 1
}

# Prints the azurite-blob binary: the project's (`npm ci`), else the cached one, else nothing.
find_azurite() {
  local bin
  for bin in "$REPO_DIR/node_modules/.bin/azurite-blob" "$AZURITE_PREFIX/node_modules/.bin/azurite-blob"; do
    if [[ -x $bin ]]; then
      printf '%s\n' "$bin"
      return 0
    fi
  done
  return 0
}

install_azurite() {
  AZURITE_BIN=$(find_azurite)
  if [[ -n $AZURITE_BIN ]]; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "Azurite is missing and npm is not on PATH: run \`npm ci\` first"
  local version logfile="$LOG_DIR/azurite-install.log" start=$SECONDS
  version=$(azurite_version)
  [[ -n $version ]] || die "package.json does not pin azurite, and node_modules/.bin/azurite-blob is missing"
  log "installing azurite@$version with npm into $AZURITE_PREFIX (node_modules lacks it; \`npm ci\` installs it)"
  if ! run_logged "$logfile" npm install --prefix "$AZURITE_PREFIX" --no-save --no-audit --no-fund "azurite@$version"; then
    show_log_tail "$logfile"
    die "could not npm install azurite@$version (full log: $logfile)"
  fi
  AZURITE_BIN=$(find_azurite)
  [[ -n $AZURITE_BIN ]] || die "npm installed azurite but azurite-blob is missing (log: $logfile)"
  log "installed azurite $version in $((SECONDS - start))s"
}

install_fake_gcs() {
  if [[ -x $FAKE_GCS_BIN ]]; then
    return 0
  fi
  command -v go >/dev/null 2>&1 ||
    die "fake-gcs-server $FAKE_GCS_VERSION has to be built but 'go' is not on PATH: install Go >= 1.26 (https://go.dev/dl/)"
  log "building fake-gcs-server $FAKE_GCS_VERSION from the Go module proxy (first run only, 1-2 minutes)"
  local logfile="$LOG_DIR/fake-gcs-build.log" work start=$SECONDS
  mkdir -p "$BIN_DIR"
  work=$(mktemp -d "$SERVICES_HOME/fake-gcs-build.XXXXXX")
  if ! run_logged "$logfile" build_fake_gcs "$work"; then
    rm -rf "$work"
    show_log_tail "$logfile"
    die "building fake-gcs-server $FAKE_GCS_VERSION failed (full log: $logfile)"
  fi
  rm -rf "$work"
  [[ -x $FAKE_GCS_BIN ]] || die "the build did not leave $FAKE_GCS_BIN (build log: $logfile)"
  log "built $FAKE_GCS_BIN in $((SECONDS - start))s"
}

build_fake_gcs() { # WORK_DIR
  local work=$1
  cd "$work"
  # Outside any module, with no workspace; GOTOOLCHAIN=auto lets an older go fetch the toolchain go.mod asks for.
  export GO111MODULE=on GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=auto GOBIN="$work"
  go version
  go install -trimpath "$FAKE_GCS_MODULE@$FAKE_GCS_VERSION"
  # The module's version as built into the binary (`mod <path> <version>`): the proxy served the one asked for.
  go version -m "$work/fake-gcs-server" |
    awk -v m="$FAKE_GCS_MODULE" -v v="$FAKE_GCS_VERSION" '$1 == "mod" && $2 == m && $3 == v { ok = 1 } END { exit !ok }'
  mv -f "$work/fake-gcs-server" "$FAKE_GCS_BIN"
}

# ---------------------------------------------------------------------------------------------------------------------
# Ports, processes, readiness

port_in_use() { # PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sets PORT to a free loopback port not handed out before by this run.
pick_port() {
  local port py attempt
  py=$(system_python)
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if [[ -n $py ]]; then
      port=$("$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
    else
      port=$((20000 + RANDOM % 30000))
      if port_in_use "$port"; then
        continue
      fi
    fi
    if [[ $USED_PORTS != *" $port "* ]]; then
      USED_PORTS+="$port "
      PORT=$port
      return 0
    fi
  done
  die 'could not find a free loopback port'
}

alive() { # PID
  local pid=$1 state
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || true
  [[ $state != Z ]]
}

# True when PID is alive and its command line contains WHAT.
ours() { # PID WHAT
  local cmdline
  alive "$1" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || cmdline=''
  [[ $cmdline == *"$2"* ]]
}

# Stops PID if it is alive and, for pids read back from the `start` state file, its command line still contains WHAT
# (guards against a pid recycled since then).
stop_pid() { # PID WHAT
  local pid=$1 what=$2
  alive "$pid" || {
    wait "$pid" 2>/dev/null || true
    return 0
  }
  if [[ -n $CHECK_CMDLINE ]] && ! ours "$pid" "$what"; then
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

redis_ping() { # PORT
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'PING\r\n' >&3
    reply=''
    read -r -t 2 reply <&3 || true
    [[ $reply == '+PONG'* ]]
  ) 2>/dev/null
}

http_ok() { # URL
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
  else
    "$MOTO_PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" >/dev/null 2>&1
  fi
}

# Waits until CHECK succeeds. Returns 0 when ready, 1 when the process died (ISDEAD says so), 2 on timeout.
wait_ready() { # CHECK_CMD ISDEAD_CMD
  local check=$1 isdead=$2 deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if eval "$check"; then
      # Still ours? (A port stolen between picking and binding would make the check hit someone else's server.)
      sleep 0.2
      if eval "$isdead"; then
        return 1
      fi
      return 0
    fi
    if eval "$isdead"; then
      return 1
    fi
    sleep 0.2
  done
  return 2
}

addr_in_use() { # LOG
  grep -qiE 'address already in use|bind: address|failed listening' "$1" 2>/dev/null
}

# Reports a service that would not start, keeping its log (the run directory is removed on exit), and exits.
service_failed() { # NAME LOG STATUS
  local name=$1 logfile="$LOG_DIR/$1-failed.log" status=$3
  cp "$2" "$logfile" 2>/dev/null || : >"$logfile"
  if [[ $status -eq 2 ]]; then
    log "error: $name did not accept connections within ${TIMEOUT}s"
  else
    log "error: $name exited during start-up"
  fi
  show_log_tail "$logfile"
  die "$name failed to start (log: $logfile)"
}

start_redis() {
  local dir="$RUN_DIR/redis" port status attempt
  mkdir -p "$dir"
  for attempt in 1 2 3; do
    pick_port
    port=$PORT
    rm -f "$dir/redis.pid"
    : >"$dir/redis.log"
    # shellcheck disable=SC2094 # both append: errors before daemonizing go to stdout, later ones to --logfile
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" \
      </dev/null >>"$dir/redis.log" 2>&1 || service_failed redis "$dir/redis.log" 1
    status=0
    wait_ready "redis_ping $port" "redis_dead '$dir'" || status=$?
    REDIS_PID=$(cat "$dir/redis.pid" 2>/dev/null || true)
    if [[ $status -eq 0 ]]; then
      TALLY_TEST_REDIS_URL="redis://127.0.0.1:$port"
      export TALLY_TEST_REDIS_URL
      log "redis on 127.0.0.1:$port"
      return 0
    fi
    stop_pid "$REDIS_PID" redis-server
    REDIS_PID=''
    if [[ $status -eq 1 ]] && addr_in_use "$dir/redis.log" && [[ $attempt -lt 3 ]]; then
      log "redis: port $port was taken, retrying"
      continue
    fi
    service_failed redis "$dir/redis.log" "$status"
  done
}

redis_dead() { # DIR
  local pid
  pid=$(cat "$1/redis.pid" 2>/dev/null || true)
  if [[ -n $pid ]]; then
    if alive "$pid"; then
      return 1
    fi
    return 0
  else
    # Redis writes its pid file only after binding; bind errors end the process before that.
    grep -qiE 'failed listening|address already in use|fatal|bad directive' "$1/redis.log" 2>/dev/null
  fi
}

start_ferretdb() {
  local dir="$RUN_DIR/ferretdb" port status attempt
  for attempt in 1 2 3; do
    pick_port
    port=$PORT
    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/state"
    DO_NOT_TRACK=1 $SETSID "$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$dir/data/" \
      --listen-addr="127.0.0.1:$port" --state-dir="$dir/state" --debug-addr=- --telemetry=disable --log-level=warn \
      </dev/null >"$dir/ferretdb.log" 2>&1 &
    FERRETDB_PID=$!
    status=0
    wait_ready "port_in_use $port" "! alive $FERRETDB_PID" || status=$?
    if [[ $status -eq 0 ]]; then
      TALLY_TEST_MONGODB_URL="mongodb://127.0.0.1:$port"
      export TALLY_TEST_MONGODB_URL
      log "ferretdb $FERRETDB_VERSION (sqlite) on 127.0.0.1:$port"
      return 0
    fi
    stop_pid "$FERRETDB_PID" ferretdb
    FERRETDB_PID=''
    if [[ $status -eq 1 ]] && addr_in_use "$dir/ferretdb.log" && [[ $attempt -lt 3 ]]; then
      log "ferretdb: port $port was taken, retrying"
      continue
    fi
    service_failed ferretdb "$dir/ferretdb.log" "$status"
  done
}

start_moto() {
  local dir="$RUN_DIR/moto" port status attempt
  mkdir -p "$dir"
  for attempt in 1 2 3; do
    pick_port
    port=$PORT
    $SETSID "$MOTO_PY" -m moto.server -H 127.0.0.1 -p "$port" </dev/null >"$dir/moto.log" 2>&1 &
    MOTO_PID=$!
    status=0
    wait_ready "http_ok http://127.0.0.1:$port/moto-api/" "! alive $MOTO_PID" || status=$?
    if [[ $status -eq 0 ]]; then
      TALLY_TEST_AWS_ENDPOINT="http://127.0.0.1:$port"
      export TALLY_TEST_AWS_ENDPOINT
      log "moto $("$MOTO_PY" -c 'import moto; print(moto.__version__)' 2>/dev/null) on 127.0.0.1:$port"
      return 0
    fi
    stop_pid "$MOTO_PID" moto.server
    MOTO_PID=''
    if [[ $status -eq 1 ]] && addr_in_use "$dir/moto.log" && [[ $attempt -lt 3 ]]; then
      log "moto: port $port was taken, retrying"
      continue
    fi
    service_failed moto "$dir/moto.log" "$status"
  done
}

start_azurite() {
  local dir="$RUN_DIR/azurite" port status attempt
  for attempt in 1 2 3; do
    pick_port
    port=$PORT
    rm -rf "$dir"
    mkdir -p "$dir/data"
    # Blob only, data in the run directory; --loose and --skipApiVersionCheck accept newer SDK headers and versions.
    $SETSID "$AZURITE_BIN" --blobHost 127.0.0.1 --blobPort "$port" --location "$dir/data" --skipApiVersionCheck \
      --loose --disableTelemetry --silent </dev/null >"$dir/azurite.log" 2>&1 &
    AZURITE_PID=$!
    status=0
    wait_ready "port_in_use $port" "! alive $AZURITE_PID" || status=$?
    if [[ $status -eq 0 ]]; then
      TALLY_TEST_AZURITE_BLOB_URL="http://127.0.0.1:$port/devstoreaccount1"
      export TALLY_TEST_AZURITE_BLOB_URL
      log "azurite blob on 127.0.0.1:$port"
      return 0
    fi
    stop_pid "$AZURITE_PID" azurite-blob
    AZURITE_PID=''
    if [[ $status -eq 1 ]] && grep -qiE 'EADDRINUSE|address already in use' "$dir/azurite.log" 2>/dev/null &&
      [[ $attempt -lt 3 ]]; then
      log "azurite: port $port was taken, retrying"
      continue
    fi
    service_failed azurite "$dir/azurite.log" "$status"
  done
}

start_fake_gcs() {
  local dir="$RUN_DIR/fake-gcs" port status attempt
  mkdir -p "$dir"
  for attempt in 1 2 3; do
    pick_port
    port=$PORT
    # Objects in memory; -public-host so that download URLs name this port.
    $SETSID "$FAKE_GCS_BIN" -scheme http -backend memory -host 127.0.0.1 -port "$port" -public-host "127.0.0.1:$port" \
      -log-level warn </dev/null >"$dir/fake-gcs.log" 2>&1 &
    FAKE_GCS_PID=$!
    status=0
    wait_ready "http_ok http://127.0.0.1:$port/_internal/healthcheck" "! alive $FAKE_GCS_PID" || status=$?
    if [[ $status -eq 0 ]]; then
      TALLY_TEST_GCS_URL="http://127.0.0.1:$port"
      export TALLY_TEST_GCS_URL
      log "fake-gcs-server $FAKE_GCS_VERSION on 127.0.0.1:$port"
      return 0
    fi
    stop_pid "$FAKE_GCS_PID" fake-gcs-server
    FAKE_GCS_PID=''
    if [[ $status -eq 1 ]] && addr_in_use "$dir/fake-gcs.log" && [[ $attempt -lt 3 ]]; then
      log "fake-gcs-server: port $port was taken, retrying"
      continue
    fi
    service_failed fake-gcs-server "$dir/fake-gcs.log" "$status"
  done
}

stop_started() {
  stop_pid "$FAKE_GCS_PID" fake-gcs-server
  stop_pid "$AZURITE_PID" azurite-blob
  stop_pid "$MOTO_PID" moto.server
  stop_pid "$FERRETDB_PID" ferretdb
  stop_pid "$REDIS_PID" redis-server
  FAKE_GCS_PID='' AZURITE_PID='' MOTO_PID='' FERRETDB_PID='' REDIS_PID=''
  if [[ -n $RUN_DIR && -d $RUN_DIR ]]; then
    rm -rf "$RUN_DIR"
  fi
  RUN_DIR=''
}

# ---------------------------------------------------------------------------------------------------------------------
# What to start

NEED_REDIS=''
NEED_FERRETDB=''
NEED_MOTO=''
NEED_AZURITE=''
NEED_FAKE_GCS=''

decide() {
  if [[ -n ${TALLY_TEST_REDIS_URL:-} ]]; then
    log "redis: using TALLY_TEST_REDIS_URL from the environment"
  else
    NEED_REDIS=1
  fi
  if [[ -z ${TALLY_TEST_MONGODB_URL:-} && -n ${MONGODB_URI:-} ]]; then
    TALLY_TEST_MONGODB_URL=$MONGODB_URI
    export TALLY_TEST_MONGODB_URL
    log 'mongodb: using MONGODB_URI from the environment'
  elif [[ -n ${TALLY_TEST_MONGODB_URL:-} ]]; then
    log 'mongodb: using TALLY_TEST_MONGODB_URL from the environment'
  else
    NEED_FERRETDB=1
  fi
  if [[ -n ${TALLY_TEST_AWS_ENDPOINT:-} ]]; then
    log 'moto: using TALLY_TEST_AWS_ENDPOINT from the environment'
  else
    NEED_MOTO=1
  fi
  if [[ -n ${TALLY_TEST_AZURITE_BLOB_URL:-} ]]; then
    log 'azurite: using TALLY_TEST_AZURITE_BLOB_URL from the environment'
  else
    NEED_AZURITE=1
  fi
  if [[ -n ${TALLY_TEST_GCS_URL:-} ]]; then
    log 'fake-gcs-server: using TALLY_TEST_GCS_URL from the environment'
  else
    NEED_FAKE_GCS=1
  fi
}

install_needed() {
  lock_install
  if [[ -n $NEED_REDIS ]]; then install_redis; fi
  if [[ -n $NEED_FERRETDB ]]; then install_ferretdb; fi
  if [[ -n $NEED_MOTO ]]; then install_moto; fi
  if [[ -n $NEED_AZURITE ]]; then install_azurite; fi
  if [[ -n $NEED_FAKE_GCS ]]; then install_fake_gcs; fi
  unlock_install
}

start_needed() {
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tally-services.XXXXXX")
  if [[ -n $NEED_REDIS ]]; then start_redis; fi
  if [[ -n $NEED_FERRETDB ]]; then start_ferretdb; fi
  if [[ -n $NEED_MOTO ]]; then start_moto; fi
  if [[ -n $NEED_AZURITE ]]; then start_azurite; fi
  if [[ -n $NEED_FAKE_GCS ]]; then start_fake_gcs; fi
}

print_exports() {
  local name
  for name in TALLY_TEST_REDIS_URL TALLY_TEST_MONGODB_URL TALLY_TEST_AWS_ENDPOINT TALLY_TEST_AZURITE_BLOB_URL \
    TALLY_TEST_GCS_URL; do
    printf 'export %s=%q\n' "$name" "${!name}"
  done
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  stop_started
  exit "$rc"
}

# ---------------------------------------------------------------------------------------------------------------------
# Subcommands

cmd_install() {
  NEED_REDIS=1 NEED_FERRETDB=1 NEED_MOTO=1 NEED_AZURITE=1 NEED_FAKE_GCS=1
  install_needed
  log "redis: $(command -v redis-server) ($(redis-server --version | cut -d' ' -f3))"
  log "ferretdb: $FERRETDB_BIN ($FERRETDB_VERSION)"
  log "moto: $MOTO_PY ($("$MOTO_PY" -c 'import moto; print(moto.__version__)'))"
  log "azurite: $AZURITE_BIN"
  log "fake-gcs-server: $FAKE_GCS_BIN"
}

cmd_exec() {
  [[ $# -gt 0 ]] || die 'usage: test-services.sh exec CMD [ARGS...]'
  decide
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  install_needed
  start_needed
  local rc=0
  "$@" || rc=$?
  exit "$rc"
}

state_alive() {
  [[ -f $STATE_FILE ]] || return 1
  local RUN_DIR REDIS_PID FERRETDB_PID MOTO_PID AZURITE_PID FAKE_GCS_PID TALLY_TEST_REDIS_URL TALLY_TEST_MONGODB_URL \
    TALLY_TEST_AWS_ENDPOINT TALLY_TEST_AZURITE_BLOB_URL TALLY_TEST_GCS_URL
  AZURITE_PID='' TALLY_TEST_AZURITE_BLOB_URL='' FAKE_GCS_PID='' TALLY_TEST_GCS_URL=''
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  if [[ -n $REDIS_PID ]] && ! ours "$REDIS_PID" redis-server; then return 1; fi
  if [[ -n $FERRETDB_PID ]] && ! ours "$FERRETDB_PID" ferretdb; then return 1; fi
  if [[ -n $MOTO_PID ]] && ! ours "$MOTO_PID" moto.server; then return 1; fi
  if [[ -n $AZURITE_PID ]] && ! ours "$AZURITE_PID" azurite-blob; then return 1; fi
  if [[ -n $FAKE_GCS_PID ]] && ! ours "$FAKE_GCS_PID" fake-gcs-server; then return 1; fi
  return 0
}

write_state() {
  mkdir -p "$(dirname "$STATE_FILE")"
  local name
  for name in RUN_DIR REDIS_PID FERRETDB_PID MOTO_PID AZURITE_PID FAKE_GCS_PID TALLY_TEST_REDIS_URL \
    TALLY_TEST_MONGODB_URL TALLY_TEST_AWS_ENDPOINT TALLY_TEST_AZURITE_BLOB_URL TALLY_TEST_GCS_URL; do
    printf '%s=%q\n' "$name" "${!name}"
  done >"$STATE_FILE"
}

cmd_start() {
  if state_alive; then
    log "already running (state: $STATE_FILE); \`$0 stop\` stops them"
    local caller_azurite=${TALLY_TEST_AZURITE_BLOB_URL:-} caller_gcs=${TALLY_TEST_GCS_URL:-} added=''
    TALLY_TEST_AZURITE_BLOB_URL='' TALLY_TEST_GCS_URL=''
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    # A state file written before Azurite or fake-gcs-server was added: start the missing ones beside the services
    # already running (they may be in use), in the same run directory, so that `stop` stops them together. One the
    # caller provides is not started (its URL is not written to the state).
    NEED_AZURITE='' NEED_FAKE_GCS=''
    if [[ -z $AZURITE_PID && -z $TALLY_TEST_AZURITE_BLOB_URL ]]; then
      added=1
      TALLY_TEST_AZURITE_BLOB_URL=$caller_azurite
      if [[ -z $TALLY_TEST_AZURITE_BLOB_URL ]]; then NEED_AZURITE=1; fi
    fi
    if [[ -z $FAKE_GCS_PID && -z $TALLY_TEST_GCS_URL ]]; then
      added=1
      TALLY_TEST_GCS_URL=$caller_gcs
      if [[ -z $TALLY_TEST_GCS_URL ]]; then NEED_FAKE_GCS=1; fi
    fi
    if [[ -n $added ]]; then
      install_needed
      if [[ -n $NEED_AZURITE ]]; then start_azurite; fi
      if [[ -n $NEED_FAKE_GCS ]]; then start_fake_gcs; fi
      write_state
    fi
    print_exports
    return 0
  fi
  if [[ -f $STATE_FILE ]]; then
    # Some of what an earlier `start` started has died: stop the rest, and do not take the URLs the caller may have
    # eval'd from that run for services it provides itself.
    local stale name
    stale=$(
      # Absent from a state file written before Azurite or fake-gcs-server was added.
      TALLY_TEST_AZURITE_BLOB_URL='' TALLY_TEST_GCS_URL=''
      # shellcheck disable=SC1090
      source "$STATE_FILE"
      printf '%s\n' "$TALLY_TEST_REDIS_URL" "$TALLY_TEST_MONGODB_URL" "$TALLY_TEST_AWS_ENDPOINT" \
        "${TALLY_TEST_AZURITE_BLOB_URL:-}" "${TALLY_TEST_GCS_URL:-}"
    )
    for name in TALLY_TEST_REDIS_URL TALLY_TEST_MONGODB_URL TALLY_TEST_AWS_ENDPOINT TALLY_TEST_AZURITE_BLOB_URL \
      TALLY_TEST_GCS_URL; do
      if [[ -n ${!name:-} ]] && grep -qxF -- "${!name}" <<<"$stale"; then
        unset "$name"
      fi
    done
    cmd_stop
  fi
  decide
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  install_needed
  start_needed
  write_state
  trap - EXIT INT TERM
  print_exports
  log "running; \`$0 stop\` stops them"
}

cmd_stop() {
  if [[ ! -f $STATE_FILE ]]; then
    log 'nothing to stop'
    return 0
  fi
  # Locals, so that a restart from `cmd_start` does not mistake the old URLs for ones the caller provided.
  local TALLY_TEST_REDIS_URL TALLY_TEST_MONGODB_URL TALLY_TEST_AWS_ENDPOINT TALLY_TEST_AZURITE_BLOB_URL \
    TALLY_TEST_GCS_URL CHECK_CMDLINE=1
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  stop_started
  rm -f "$STATE_FILE"
  log 'stopped'
}

SETSID=''
if command -v setsid >/dev/null 2>&1; then
  # Own session: a Ctrl-C or hang-up aimed at the caller's terminal does not reach the services; we stop them.
  SETSID=setsid
fi

case "${1:-}" in
exec)
  shift
  cmd_exec "$@"
  ;;
start) cmd_start ;;
stop) cmd_stop ;;
install) cmd_install ;;
*)
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
  ;;
esac
