#!/usr/bin/env bash
# JMH micro-benchmarks of the pure parts: TOTP, secret generation, AES-GCM seal/open, Argon2id.
#   bench/jmh/run.sh                 all benchmarks, short settings (1 fork, 3 x 2 s measured)
#   bench/jmh/run.sh Totp -f 2 -i 5  any JMH arguments (regexp of benchmarks, forks, iterations...)
# Results: target/bench-jmh/jmh.json. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=target/bench-jmh
if [ ! -d target/classes/dev/twofold ] || [ ! -d target/quarkus-app/lib/main ]; then
  echo "Building the service classes (./mvnw -q -DskipTests package)" >&2
  ./mvnw -q -ntp -DskipTests package
fi
mkdir -p "$OUT/classes"
./mvnw -q -ntp -f bench/jmh/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >&2
# JMH from Maven; the service's classes and runtime libraries (SmallRye JWT...) from its packaged build.
DEPS="$(cat "$OUT/classpath.txt"):target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*"
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
javac -nowarn -d "$OUT/classes" -cp "target/classes:$DEPS" -processorpath "$(cat "$OUT/classpath.txt")" \
  $(find bench/jmh/src -name '*.java')
ARGS=("$@")
[ ${#ARGS[@]} -gt 0 ] || ARGS=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
exec java --enable-native-access=ALL-UNNAMED -cp "$OUT/classes:target/classes:$DEPS" org.openjdk.jmh.Main \
  -rf json -rff "$OUT/jmh.json" "${ARGS[@]}"
