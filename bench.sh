#!/usr/bin/env sh
# Builds patchbay and runs the benchmark (BENCHMARKS.md): processor throughput against a raw JDBC loop and a
# naive consumer, open-loop HTTP PATCH latency against a direct CRUD endpoint, resident memory of both apps.
# Options are passed on (./bench.sh --help; ./bench.sh --smoke for a run of a few seconds). Needs only a JDK 17+.
set -eu
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl bench -am
exec java -Dpatchbay.registry.runner-jar="$PWD/registry-runner/target/quarkus-app/quarkus-run.jar" \
  -Dpatchbay.bench.project-dir="$PWD" -jar bench/target/patchbay-bench.jar "$@"
