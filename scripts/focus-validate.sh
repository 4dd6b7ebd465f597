#!/usr/bin/env bash
# Checks a FOCUS cost-and-usage CSV against FOCUS 1.2 with the FinOps Foundation's validator (PyPI focus-validator),
# offline, and prints its report.
#
# Usage:
#   scripts/focus-validate.sh FILE.csv      validate FILE.csv (e.g. `tally sample --out FILE.csv`)
#   scripts/focus-validate.sh --install     only install the validator (when missing)
#
# Exit status: 0 when no check on a mandatory FOCUS 1.2 column failed (failures on other columns are listed, not
# fatal), 1 when one did, 2 when the validator could not be installed or did not run to the end.
#
# The validator is installed once into a virtualenv, pinned with every dependency (a newer pyarrow than the one below
# needs NumPy 2, which focus-validator 2.2.1 excludes), and reused: ${TALLY_SERVICES_HOME}/focus-validator-venv
# (default ~/.cache/tally-services). It needs Python 3.12 (focus-validator 2.x wants >= 3.12 and NumPy 1.26, which
# has no wheels for 3.13); the first python3.12 found on PATH or under pyenv is used, or FOCUS_VALIDATOR_PYTHON.
# It runs with --block-download: the FOCUS 1.2 rules come from the package itself, nothing is fetched.
#
# Environment:
#   TALLY_SERVICES_HOME        cache directory (default ~/.cache/tally-services)
#   FOCUS_VALIDATOR_PYTHON     the Python (>= 3.12) to build the virtualenv with
#   FOCUS_VALIDATOR_CRITERIA   the validator's --applicability-criteria (default ALL: every conditional column is
#                              checked, as for a provider that supports every FOCUS feature); set it empty for the
#                              validator's own default, which skips the checks of conditional columns
set -euo pipefail

readonly VALIDATOR_VERSION=2.2.1
readonly FOCUS_VERSION=1.2
# focus-validator's dependencies as resolved and tested with it (pip freeze); pinned so that a fresh install
# resolves the same way.
readonly CONSTRAINTS='annotated-types==0.8.0
attrs==26.1.0
certifi==2026.10.19.post1
charset-normalizer==3.5.3
ddt==1.7.2
duckdb==1.5.6
graphviz==0.21
idna==3.21
jsonschema==4.26.0
jsonschema-specifications==2025.9.1
multimethod==2.0.2
mypy_extensions==1.2.0
numpy==1.26.4
packaging==26.4
pandas==2.3.3
pandasql==0.7.3
pandera==0.26.1
polars==1.44.2
polars-runtime-32==1.44.2
pyarrow==21.0.0
pydantic==2.14.4
pydantic_core==2.50.5
python-dateutil==4.0.0
pytz==2025.2
PyYAML==6.0.4
referencing==0.37.0
requests==2.34.2
rpds-py==2026.9.1
SQLAlchemy==2.1.9
sqlglot==27.29.0
tabulate==0.10.0
typeguard==4.6.1
typing-inspect==0.9.0
typing-inspection==0.4.5
typing_extensions==4.16.0
tzdata==2026.6
urllib3==2.8.0'
# The columns whose FOCUS 1.2 feature level is Mandatory (FOCUS 1.2 specification, columns/*.md).
readonly MANDATORY_COLUMNS='BilledCost BillingAccountId BillingAccountName BillingCurrency BillingPeriodEnd
BillingPeriodStart ChargeCategory ChargeClass ChargeDescription ChargePeriodEnd ChargePeriodStart ContractedCost
EffectiveCost InvoiceIssuerName ListCost PricingQuantity PricingUnit ProviderName PublisherName ServiceCategory
ServiceName'

SERVICES_HOME="${TALLY_SERVICES_HOME:-${HOME:-/root}/.cache/tally-services}"
VENV="$SERVICES_HOME/focus-validator-venv"
MARKER="$VENV/.tally-focus-validator"
CRITERIA="${FOCUS_VALIDATOR_CRITERIA-ALL}"

log() { printf 'focus-validate: %s\n' "$*" >&2; }

die() {
  log "error: $*"
  exit 2
}

# What the marker holds once an install finished: the version and the pinned dependencies.
install_id() { printf 'focus-validator==%s\n%s\n' "$VALIDATOR_VERSION" "$CONSTRAINTS"; }

# Prints a Python >= 3.12 to build the virtualenv with, preferring 3.12, or nothing.
find_python() {
  local cand
  local -a cands=()
  if [[ -n ${FOCUS_VALIDATOR_PYTHON:-} ]]; then cands+=("$FOCUS_VALIDATOR_PYTHON"); fi
  cands+=(python3.12)
  local pyenv_root="${PYENV_ROOT:-${HOME:-/root}/.pyenv}"
  for cand in "$pyenv_root"/versions/3.12.*/bin/python3 /usr/local/bin/python3.12 /usr/bin/python3.12; do
    if [[ -x $cand ]]; then cands+=("$cand"); fi
  done
  cands+=(python3.13 python3)
  for cand in "${cands[@]}"; do
    if "$cand" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$cand"
      return 0
    fi
  done
  return 0
}

install_validator() {
  if [[ -f $MARKER && "$(cat "$MARKER")" == "$(install_id)" && -x $VENV/bin/focus-validator ]]; then
    return 0
  fi
  local py logfile constraints
  py=$(find_python)
  [[ -n $py ]] || die "focus-validator $VALIDATOR_VERSION needs Python 3.12 and none was found (python3.12 on PATH or under pyenv); set FOCUS_VALIDATOR_PYTHON"
  mkdir -p "$SERVICES_HOME/logs"
  logfile="$SERVICES_HOME/logs/focus-validator-install.log"
  log "installing focus-validator $VALIDATOR_VERSION with $py into $VENV (log: $logfile)"
  rm -rf "$VENV"
  constraints=$(mktemp)
  printf '%s\n' "$CONSTRAINTS" >"$constraints"
  if ! {
    "$py" -m venv "$VENV" &&
      "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
        -c "$constraints" "focus-validator==$VALIDATOR_VERSION"
  } >"$logfile" 2>&1; then
    rm -f "$constraints"
    tail -n 20 "$logfile" | sed 's/^/    /' >&2
    rm -rf "$VENV"
    die "could not pip install focus-validator==$VALIDATOR_VERSION (log: $logfile)"
  fi
  rm -f "$constraints"
  # The validator logs DEBUG to a file in the working directory by default; send warnings to stderr instead.
  cat >"$VENV/tally-logging.yaml" <<'YAML'
version: 1
disable_existing_loggers: false
handlers:
  stderr:
    class: logging.StreamHandler
    stream: ext://sys.stderr
    level: WARNING
root:
  level: WARNING
  handlers: [stderr]
YAML
  install_id >"$MARKER"
}

# Installs under a lock, so that two runs at once do not build the same virtualenv.
locked_install() {
  mkdir -p "$SERVICES_HOME"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$SERVICES_HOME/focus-validator.lock"
    flock 9
    install_validator
    flock -u 9
    exec 9>&-
  else
    install_validator
  fi
}

# Reads the validator's console report (FILE); prints which failed checks are on a mandatory column, and exits 1 when
# there is one.
summarise() { # FILE
  "$VENV/bin/python" - "$MANDATORY_COLUMNS" "$1" <<'PY'
import re
import sys

mandatory = set(sys.argv[1].split())
line_re = re.compile(r"^\S+\s+([A-Za-z]+-[A-Z]-\d{3}-[A-Z]): (FAIL|PASS|SKIPPED)\b(.*)$")
total = None
failed_mandatory, failed_other, aggregates = [], [], []
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("Total: "):
        total = line
    m = line_re.match(line)
    if not m or m.group(2) != "FAIL":
        continue
    rule, rest = m.group(1), m.group(3)
    prefix, kind = rule.split("-")[0], rule.split("-")[1]
    if kind == "C":
        column = prefix
    elif kind == "D":
        # A dataset rule: the presence of one column, or a composite of other rules (listed on their own).
        named = re.search(r"Column '(\w+)'", rest)
        if not named:
            aggregates.append(rule)
            continue
        column = named.group(1)
    else:
        # An attribute (null handling, formats, ...) applies to every column, the mandatory ones too.
        column = "*"
    (failed_mandatory if column in mandatory or column == "*" else failed_other).append(f"{rule} ({column})")

print("\n=== FOCUS 1.2 mandatory columns ===")
print(total or "Total: (no summary in the report)")
print("Failed checks on mandatory columns: " + (", ".join(failed_mandatory) or "none"))
print("Failed checks on other columns (not mandatory): " + (", ".join(failed_other) or "none"))
if aggregates:
    print("Failed dataset composites (failing through the checks above): " + ", ".join(aggregates))
if total is None:
    sys.exit(2)
sys.exit(1 if failed_mandatory else 0)
PY
}

main() {
  [[ $# -eq 1 ]] || die 'usage: scripts/focus-validate.sh FILE.csv | --install'
  locked_install
  if [[ $1 == --install ]]; then return 0; fi
  local file=$1 work report rc site
  [[ -f $file ]] || die "no such file: $file"
  file=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
  site=$("$VENV/bin/python" -c 'import focus_validator, os; print(os.path.dirname(os.path.dirname(focus_validator.__file__)))')
  # The validator reads its currency codes from a path relative to the working directory (focus_validator/rules/…).
  work=$(mktemp -d)
  ln -s "$site/focus_validator" "$work/focus_validator"
  report="$work/report.txt"
  local -a args=(--data-file "$file" --validate-version "$FOCUS_VERSION" --block-download --show-violations)
  [[ -n $CRITERIA ]] && args+=(--applicability-criteria "$CRITERIA")
  log "focus-validator $VALIDATOR_VERSION, FOCUS $FOCUS_VERSION, applicability criteria: ${CRITERIA:-(validator default)}"
  set +e
  (cd "$work" && LOGGING_CONFIG="$VENV/tally-logging.yaml" PYTHONIOENCODING=utf-8 \
    "$VENV/bin/focus-validator" "${args[@]}") | tee "$report"
  rc=${PIPESTATUS[0]}
  set -e
  if [[ $rc -ne 0 ]]; then
    rm -rf "$work"
    die "focus-validator exited with status $rc"
  fi
  set +e
  summarise "$report"
  rc=$?
  set -e
  rm -rf "$work"
  return "$rc"
}

main "$@"
