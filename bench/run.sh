#!/usr/bin/env bash
# One command for the whole benchmark: renders per second of every ../shared/bench case
#   - native Rust (the same core as the wasm module; --release),
#   - the wasm package in Node (npm/, built by scripts/build-npm.sh),
#   - velocityjs 2.1.7 in the same Node process (with an API Gateway $input/$util shim),
#   - Apache Velocity 1.7 on a warmed JVM (with a Java $input/$util shim),
# in both modes (parse once / parse each time), median of 3 runs after a warm-up, then one table
# with the ratios. Raw measurements go to bench/results/latest.jsonl.
#
# Env: APIGW_BENCH_DIR (default ../shared/bench), BENCH_MS (one timed run, default 400),
#      BENCH_CASES (comma-separated case names), BENCH_SKIP=native,java,node (skip engines),
#      BENCH_NO_BUILD=1 (use the npm/ build as it is), BENCH_ROUNDS (Node processes, default 3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH_DIR=$(cd "${APIGW_BENCH_DIR:-../shared/bench}" && pwd)
export APIGW_BENCH_DIR=$BENCH_DIR
SKIP=",${BENCH_SKIP:-},"
ROUNDS=${BENCH_ROUNDS:-3}
OUT=bench/results
mkdir -p "$OUT"
RAW="$OUT/latest.jsonl"
: > "$RAW"
log() { printf 'bench: %s\n' "$*" >&2; }

if [[ $SKIP != *,node,* ]]; then
  [ "${BENCH_NO_BUILD:-}" = 1 ] || bash scripts/build-npm.sh
  if [ ! -d bench/node_modules/velocityjs ]; then
    log "installing velocityjs (bench/package.json)"
    (cd bench && npm ci --ignore-scripts --no-audit --no-fund)
  fi
fi

if [[ $SKIP != *,native,* ]]; then
  log "native: cargo run --release -p apigw-wasm --example bench"
  cargo build --release -q -p apigw-wasm --example bench
  cargo run --release -q -p apigw-wasm --example bench -- "$BENCH_DIR/cases" | tee -a "$RAW"
fi

if [[ $SKIP != *,node,* ]]; then
  # Several rounds, each a new Node process measuring both engines: a process runs at a rate that
  # is steady within it but differs between processes (docs/benchmarks.md, "Sixth session"), so
  # the report takes each engine's median over the rounds.
  for round in $(seq 1 "$ROUNDS"); do
    log "node: wasm package and velocityjs ($(node --version)), round $round of $ROUNDS"
    BENCH_ROUND=$round node bench/node-bench.mjs | tee -a "$RAW"
  done
fi

if [[ $SKIP != *,java,* ]]; then
  CP=/usr/share/java/velocity-1.7.jar:/usr/share/java/commons-collections3.jar:/usr/share/java/commons-lang.jar
  for jar in ${CP//:/ }; do
    [ -f "$jar" ] || { log "missing $jar (apt-get install velocity libcommons-collections3-java libcommons-lang-java default-jdk-headless); skipping Java"; SKIP="$SKIP,java,"; }
  done
  if [[ $SKIP != *,java,* ]]; then
    CLASSES="${CARGO_TARGET_DIR:-$ROOT/target}/bench-java"
    mkdir -p "$CLASSES"
    javac -nowarn -d "$CLASSES" -cp "$CP" bench/java/VelocityBench.java
    log "java: Apache Velocity 1.7 ($(java -version 2>&1 | head -1))"
    java -cp "$CP:$CLASSES" VelocityBench "$BENCH_DIR/cases" | tee -a "$RAW"
  fi
fi

node bench/report.mjs "$RAW"
