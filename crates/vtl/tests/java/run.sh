#!/bin/sh
# Renders case files with real Velocity 1.7 (see VtlRun.java):
#   crates/vtl/tests/java/run.sh [--write] crates/vtl/tests/cases/**/*.case
CP=/usr/share/java/velocity-1.7.jar:/usr/share/java/commons-collections3.jar:/usr/share/java/commons-lang.jar
OUT=${TMPDIR:-/tmp}/vtlrun-classes
mkdir -p "$OUT"
javac -cp "$CP" -d "$OUT" "$(dirname "$0")/VtlRun.java" || exit 1
exec java -cp "$OUT:$CP" VtlRun "$@"
