#!/usr/bin/env sh
# Builds patchbay and runs the benchmark (BENCHMARKS.md): processor throughput against a raw JDBC loop, a naive
# consumer and Debezium's JDBC sink, latency under load, HTTP PATCH latency against a direct CRUD endpoint, memory;
# --growth sweeps table size, skew, patch size, batch size, partitions and instances. Charts go beside the JSON.
# Options are passed on (./bench.sh --help; ./bench.sh --smoke for a run of a few seconds). Needs only a JDK 17+.
set -eu
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl bench -am
exec java -Dpatchbay.registry.runner-jar="$PWD/registry-runner/target/quarkus-app/quarkus-run.jar" \
  -Dpatchbay.bench.project-dir="$PWD" -jar bench/target/patchbay-bench.jar "$@"
