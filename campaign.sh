#!/usr/bin/env sh
# Builds patchbay and runs one fault campaign (RELIABILITY.md): sustained mixed load on two adapters and two
# processors in their own JVMs, random overlapping faults drawn from a seed, and a check of the whole history at
# the end. Options are passed on (./campaign.sh --help; ./campaign.sh --duration 10m --seed 7). Exit code 0: clean,
# 1: a guarantee broke (the first violation is printed with the seed and the fault schedule), 2: it could not run.
set -eu
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package -pl devstack -am
exec java -Xmx1g -Dpatchbay.registry.runner-jar="$PWD/registry-runner/target/quarkus-app/quarkus-run.jar" \
  -Dpatchbay.processor.exec-jar="$(ls "$PWD"/processor/target/patchbay-processor-*-exec.jar)" \
  -Dpatchbay.adapter.exec-jar="$(ls "$PWD"/api-adapter/target/patchbay-api-adapter-*-exec.jar)" \
  -cp devstack/target/patchbay-devstack.jar -Dloader.main=io.patchbay.devstack.campaign.Campaign \
  org.springframework.boot.loader.launch.PropertiesLauncher "$@"
