#!/usr/bin/env bash
# Gateway memory per idle authenticated connection: one gateway child JVM, 2 client JVMs x 9,500 devices.
# Prints RSS / live heap / NMT before and after, per-connection deltas and the class histogram top.
# Bounded: the clients exit by themselves after 170 s and every wait has a timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-$(bin/find-java)}
./mvnw -B -ntp -q -DskipTests process-test-classes
exec timeout 300 "$JAVA_HOME/bin/java" @bin/jvm.options -Xmx512m \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.pushwire.bench.gateway.GatewayMemoryBench "${1:-2}" "${2:-9500}"
