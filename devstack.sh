#!/usr/bin/env sh
# Builds patchbay and starts the embedded default (devstack): Kafka, PostgreSQL and a schema registry on
# loopback, the processor and the adapter in one JVM, demo data. Prints URLs and ready-to-paste curl commands.
# Options are passed on (./devstack.sh --help); --verbose also shows the build's and the components' logs.
# Needs only a JDK 17+.
set -eu
cd "$(dirname "$0")"
quiet=-q
for arg in "$@"; do [ "$arg" = --verbose ] && quiet=; done
if [ -f devstack/target/patchbay-devstack.jar ]; then
  echo "patchbay devstack: building (seconds when nothing changed)..."
else
  echo "patchbay devstack: building (the first build downloads dependencies and takes a few minutes)..."
fi
./mvnw -B $quiet -DskipTests package -pl devstack -am
exec java -Dpatchbay.registry.runner-jar="$PWD/registry-runner/target/quarkus-app/quarkus-run.jar" \
  -jar devstack/target/patchbay-devstack.jar "$@"
