#!/usr/bin/env bash
# The benchmarks of `npm run bench`, on the test services (Redis, FerretDB, moto).
# BENCH_ONLY=query|slack-ack|teams|agent|approvals|scan|digest runs one.
set -euo pipefail
only="${BENCH_ONLY:-}"
run() { [ -z "$only" ] || [ "$only" = "$1" ]; }
run query && node --expose-gc dist/bench/query.bench.js
run slack-ack && node dist/bench/slack-ack.bench.js
run teams && node dist/bench/teams.bench.js
run agent && node --expose-gc dist/bench/agent.bench.js
run approvals && node dist/bench/approvals.bench.js
run scan && node dist/bench/scan.bench.js
run digest && node dist/bench/digest.bench.js
exit 0
