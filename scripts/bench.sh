#!/usr/bin/env bash
# The benchmarks of `npm run bench`, on the test services (Redis, FerretDB, moto).
# BENCH_ONLY=query|slack-ack|teams|agent|understand|approvals|scan|digest|budgets|sources runs one.
# sources: BENCH_SOURCES_MB=1024 by default (the size of the FOCUS object synced from moto S3).
# query: BENCH_ROWS=10000000 by default; BENCH_ROWS=10000000,30000000,100000000 for the large sizes (100M takes hours on
# 2 cores and is skipped when the disk is too small; see bench/query.bench.ts for every knob).
set -euo pipefail
only="${BENCH_ONLY:-}"
run() { [ -z "$only" ] || [ "$only" = "$1" ]; }
run query && node --expose-gc dist/bench/query.bench.js
run slack-ack && node dist/bench/slack-ack.bench.js
run teams && node dist/bench/teams.bench.js
run agent && node --expose-gc dist/bench/agent.bench.js
run understand && node dist/bench/understand.bench.js
run approvals && node dist/bench/approvals.bench.js
run scan && node dist/bench/scan.bench.js
run digest && node dist/bench/digest.bench.js
run budgets && node dist/bench/budgets.bench.js
run sources && node dist/bench/sources.bench.js
exit 0
