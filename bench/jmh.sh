#!/usr/bin/env bash
# JMH micro-benchmarks of Keyline's hot paths: ./bench/jmh.sh [JMH options, e.g. RespBenchmark -f 1]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/jmh.classpath)"
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
