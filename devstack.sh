#!/usr/bin/env sh
# Builds patchbay and starts the embedded default (devstack): Kafka, PostgreSQL and a schema registry on
# loopback, the processor and the adapter in one JVM, demo data. Prints URLs and ready-to-paste curl commands.
# Options are passed on (./devstack.sh --help). Needs only a JDK 17+.
set -eu
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl devstack -am
exec java -Dpatchbay.registry.runner-jar="$PWD/registry-runner/target/quarkus-app/quarkus-run.jar" \
  -jar devstack/target/patchbay-devstack.jar "$@"
