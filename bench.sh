#!/usr/bin/env sh
# Builds patchbay and runs the benchmark (BENCHMARKS.md): processor throughput against a raw JDBC loop, a naive
# consumer and Debezium's JDBC sink, latency under load, HTTP PATCH latency against a direct CRUD endpoint, memory;
# --growth sweeps table size, skew, patch size, batch size, partitions and instances. Charts go beside the JSON.
# Options are passed on (./bench.sh --help; ./bench.sh --smoke for a run of a few seconds). Needs only a JDK 17+.
# Runs on $JAVA_HOME's java when it is set (as the Maven wrapper does), else on the java on the PATH; the JVMs it
# starts run on the same unless --service-java says otherwise. The JDK matters here (BENCHMARKS.md, "The benchmark's
# own JDK").
set -eu
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl bench -am
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Dpatchbay.registry.runner-jar="$PWD/registry-runner/target/quarkus-app/quarkus-run.jar" \
  -Dpatchbay.bench.project-dir="$PWD" -jar bench/target/patchbay-bench.jar "$@"
