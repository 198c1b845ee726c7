#!/usr/bin/env bash
# Runs the whole benchmark suite and writes benchmarks/RESULTS.md (about 10-15 minutes on 2 cores).
#   benchmarks/run.sh            full run: 1,000,000 orders (PostgreSQL) x 100,000 customers (H2)
#   benchmarks/run.sh --quick    pipeline check on the smoke data set (figures meaningless)
#   benchmarks/run.sh --include 'JoinBenchmark' --out /tmp/join.md    a subset
# Needs PostgreSQL at TRIBUTARY_PG_URL (default r2dbc:postgresql://postgres@127.0.0.1:5432/test).
# Ad-hoc JMH runs: java -jar benchmarks/target/benchmarks.jar <JMH options>, e.g. -prof gc or -prof jfr.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl benchmarks -am package -DskipTests
exec java -Xmx4g -cp benchmarks/target/benchmarks.jar dev.tributary.benchmarks.Suite "$@"
