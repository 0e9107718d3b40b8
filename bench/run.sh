#!/usr/bin/env bash
# Twofold benchmark: the hot paths measured against this machine's own floors, in one run.
#
#   bench/run.sh            full run (clients 1, 16, 64, 256; ~10 s per run; 30-40 min)
#   bench/run.sh --quick    smoke run (16 clients, ~3 s per run; about 10 minutes)
#   options: --no-build (reuse target/quarkus-app and the floor app), --jfr (record the service with JFR),
#            --keep-db (do not drop the databases), --seconds N (per measured run),
#            --levels "16 64" (client counts), --only floor-echo,mail-verify-warm,two-factor-verify,keycloak,
#            scale-out,first-use,flood,revocation,import,db-restart (a subset while investigating; bars whose runs
#            are missing show N/A; floors run whenever a scenario compared with them does)
#   env:     BENCH_JAVA_HOME (the JDK every measured process runs on; default Temurin 25 where installed),
#            BENCH_JAVA_OPTS (service JVM options added to deploy/jvm.options, the ones production
#            runs with; with -XX:NativeMemoryTracking=summary the native memory breakdown lands in
#            target/bench), BENCH_AOT=0 (no AOT cache training run on Java 25+),
#            BENCH_PORT_A / BENCH_PORT_B / BENCH_PORT_FLOOR / BENCH_PORT_KEYCLOAK (18181 / 18182 / 18183 /
#            18184, Keycloak's management port the next one), PGHOST/PGPORT/PGUSER,
#            BENCH_KEYCLOAK_VERSION (keycloak-quarkus-dist from Maven, default 26.5.6; unpacked under
#            ~/.cache/twofold-bench), BENCH_KEYCLOAK_JAVA_HOME (default: BENCH_JAVA_HOME),
#            BENCH_FLOOD_RATE (fire-and-close creations/s of the flood scenario, default 50),
#            TWOFOLD_ARGON2_* (the cost the service and the floors use), BENCH_CACHE (Argon2 hash cache)
#
# Builds the packaged service and the bare floor app (bench/floor), creates a fresh PostgreSQL database
# (dropped at the end), starts the jar in the prod profile with throwaway keys and the floor app beside
# it, seeds a population, runs Keycloak on the same PostgreSQL for the side-by-side TOTP sign-in, drives
# load with wrk (and a JVM
# closed-loop client for the Argon2-bound first-use and revocation loads) from separate processes,
# and prints a table, the ratios to the floors and the DESIGN quality bars; the JSON summary goes to
# target/bench/summary.json. Exit status: 0, or 1 on real errors only (service does not start, a
# scenario above 1% errors, a revocation violation); never because a ratio misses its bar.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MODE=full BUILD=1 JFR=0 KEEP_DB=0 SECONDS_OVERRIDE= LEVELS_OVERRIDE= ONLY=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --no-build) BUILD=0 ;;
    --jfr) JFR=1 ;;
    --keep-db) KEEP_DB=1 ;;
    --seconds) SECONDS_OVERRIDE=$2; shift ;;
    --levels) LEVELS_OVERRIDE=$2; shift ;;
    --only) ONLY=",$2,"; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$MODE" = quick ]; then
  LEVELS="16" DURATION=3 WARMUP=4 COLD_DURATION=3 CORE=2000 WARM_SET=200 TOTP_PER_SLICE=6000
  REVOCATION_ROUNDS=2 ARGON2_FLOOR_SECONDS=3 KC_PER_SLICE=1500 KC_WARMUP=10
else
  LEVELS="1 16 64 256" DURATION=10 WARMUP=20 COLD_DURATION=10 CORE=10000 WARM_SET=1000 TOTP_PER_SLICE=30000
  REVOCATION_ROUNDS=4 ARGON2_FLOOR_SECONDS=10 KC_PER_SLICE=5000 KC_WARMUP=20
fi
if [ -n "$SECONDS_OVERRIDE" ]; then DURATION=$SECONDS_OVERRIDE COLD_DURATION=$SECONDS_OVERRIDE; fi
if [ -n "$LEVELS_OVERRIDE" ]; then LEVELS=$LEVELS_OVERRIDE; fi
wanted() { [ -z "$ONLY" ] || [[ "$ONLY" == *",$1,"* ]]; }
# The floors run whenever a scenario compared with them does.
if [ -n "$ONLY" ]; then
  for s in mail-verify-warm nginx-auth mail-verify-reject; do wanted "$s" && ONLY="$ONLY,floor-echo,"; done
  for s in two-factor-verify keycloak; do wanted "$s" && ONLY="$ONLY,floor-update,"; done
  wanted keycloak && ONLY="$ONLY,two-factor-verify,"
fi

# Every measured process (service, floor app, Keycloak, load tool) runs on one JDK, Java 25 by default
# as the issue's measurement did; the Maven builds keep the machine's default JDK.
BENCH_JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=java
[ -x "$BENCH_JAVA_HOME/bin/java" ] && JAVA=$BENCH_JAVA_HOME/bin/java

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
PORT_A=${BENCH_PORT_A:-18181}
PORT_B=${BENCH_PORT_B:-18182}
PORT_FLOOR=${BENCH_PORT_FLOOR:-18183}
PORT_KC=${BENCH_PORT_KEYCLOAK:-18184}
KC_VERSION=${BENCH_KEYCLOAK_VERSION:-26.5.6}
ARGON2="${TWOFOLD_ARGON2_MEMORY_KIB:-19456},${TWOFOLD_ARGON2_ITERATIONS:-2},${TWOFOLD_ARGON2_PARALLELISM:-1}"
JAVA_OPTS_SERVICE="@$ROOT/deploy/jvm.options ${BENCH_JAVA_OPTS:-}"
OUT=$ROOT/target/bench
CACHE=${BENCH_CACHE:-$ROOT/target/bench-cache}
DB=twofold_bench_$$
KC_DB=${DB}_keycloak
ISSUER=https://idp.bench.test
LUA=$ROOT/bench/lua/replay.lua
CLK_TCK=$(getconf CLK_TCK)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------- tools ----------
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "Installing wrk (Debian package)"
    (apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }) \
      || die "could not install wrk"
  else
    die "wrk is required (apt-get install wrk)"
  fi
fi
for tool in java psql createdb dropdb openssl curl; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

rm -rf "$OUT"
mkdir -p "$OUT/runs" "$OUT/logs" "$CACHE"
WORK=$(mktemp -d /tmp/twofold-bench.XXXXXX)
SEED=$WORK/seed
PID_A= PID_B= PID_FLOOR= PID_KC= PID_KC_SCRIPT= DB_CREATED=0

stop_pid() { if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  local status=$?
  for pid in $PID_KC_SCRIPT $PID_FLOOR $PID_B $PID_A; do stop_pid "$pid"; done
  if [ "$DB_CREATED" = 1 ] && [ "$KEEP_DB" = 0 ]; then
    dropdb --if-exists "$DB" >/dev/null 2>&1 || log "WARNING: could not drop database $DB"
    dropdb --if-exists "$KC_DB" >/dev/null 2>&1 || log "WARNING: could not drop database $KC_DB"
  fi
  cp "$WORK"/*.log "$OUT/logs/" 2>/dev/null || true
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "Mode $MODE; load average $LOADAVG_START on $(nproc) cores"
if awk -v l="${LOADAVG_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
  log "WARNING: the machine is busy (load above core count): ratios stay comparable, absolute figures do not"
fi

# ---------- build ----------
if [ "$BUILD" = 1 ]; then
  log "Building the packaged service (./mvnw -q -DskipTests package)"
  ./mvnw -q -ntp -DskipTests package >"$OUT/logs/build.log" 2>&1 || { tail -30 "$OUT/logs/build.log" >&2; die "build failed"; }
fi
[ -f target/quarkus-app/quarkus-run.jar ] || die "target/quarkus-app/quarkus-run.jar missing (build first)"
FLOOR_JAR=bench/floor/target/quarkus-app/quarkus-run.jar
if [ "$BUILD" = 1 ] || [ ! -f "$FLOOR_JAR" ]; then
  log "Building the floor app (bench/floor)"
  ./mvnw -q -ntp -f bench/floor/pom.xml -DskipTests package >"$OUT/logs/floor-build.log" 2>&1 \
    || { tail -30 "$OUT/logs/floor-build.log" >&2; die "floor app build failed"; }
fi
# The tool compiles against the packaged service's jar (bench/tool/pom.xml) and runs on its libraries.
./mvnw -q -ntp -f bench/tool/pom.xml package >"$OUT/logs/tool-build.log" 2>&1 \
  || { cat "$OUT/logs/tool-build.log" >&2; die "bench tool does not compile"; }
CP="bench/tool/target/classes:target/classes:target/quarkus-app/lib/main/*"
bt() { "$JAVA" -Xss512k --enable-native-access=ALL-UNNAMED -cp "$CP" dev.twofold.benchtool.BenchTool "$@"; }

# ---------- throwaway keys ----------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/idp-private.pem" 2>/dev/null
openssl pkey -in "$WORK/idp-private.pem" -pubout -out "$WORK/idp-public.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/assertion-private.pem" 2>/dev/null  # ES256, the default assertion algorithm
KEY_RING="bench:$(openssl rand -base64 32)"

createdb "$DB" || die "cannot create database $DB on $PGHOST:$PGPORT"
DB_CREATED=1

# Throttling is lifted (limits of 10^9) so the wrong-secret scenario measures the reject path itself;
# every other setting is the service's default, and the process environment is the one the systemd
# unit and the Containerfile ship (two malloc arenas).
service_env() { # replaces the (background) subshell, so $! is the JVM's pid
  exec env MALLOC_ARENA_MAX=2 QUARKUS_HTTP_PORT="$1" \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
    QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
    TWOFOLD_ENCRYPTION_KEYS="$KEY_RING" TWOFOLD_ENCRYPTION_ACTIVE_KEY=bench \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$WORK/idp-public.pem" MP_JWT_VERIFY_ISSUER="$ISSUER" \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$WORK/assertion-private.pem" \
    TWOFOLD_MAIL_AUTH_NGINX_BACKENDS_IMAP=127.0.0.1:143 \
    TWOFOLD_MAIL_AUTH_THROTTLE_ACCOUNT_IP_FAILURES=1000000000 TWOFOLD_MAIL_AUTH_THROTTLE_IP_FAILURES=1000000000 \
    "${@:2}"
}

# ready PORT [PATH] [STATUS]: polls with bash's /dev/tcp (no process per poll, so polling does not
# slow the start) until GET PATH (default /q/health/ready) answers STATUS (default 200).
ready() {
  local port=$1 path=${2:-/q/health/ready} status=${3:-200} line
  { exec 9<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&9
  IFS= read -r -t 2 line <&9 || line=
  exec 9<&- 9>&-
  [[ "$line" == *" $status "* ]]
}
port_free() {
  if { exec 8<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
    exec 8<&- 8>&-
    die "port $1 is already in use (see the BENCH_PORT_* variables)"
  fi
}

# start_instance NAME PORT [JVM options...]: sets STARTED_PID and STARTED_MS (process start to first 200 of /q/health/ready)
start_instance() {
  local name=$1 port=$2; shift 2
  local t0 deadline
  port_free "$port"
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  service_env "$port" "$JAVA" $JAVA_OPTS_SERVICE "${AOT_OPTS[@]}" "$@" \
    -jar target/quarkus-app/quarkus-run.jar >"$WORK/service-$name.log" 2>&1 &
  STARTED_PID=$!
  deadline=$((t0 + 180000000000))
  until ready "$port"; do
    kill -0 "$STARTED_PID" 2>/dev/null || { tail -40 "$WORK/service-$name.log" >&2; die "service $name exited during start"; }
    [ "$(date +%s%N)" -lt "$deadline" ] || die "service $name not ready after 180 s"
    sleep 0.02
  done
  STARTED_MS=$((($(date +%s%N) - t0) / 1000000))
  log "Instance $name (pid $STARTED_PID, port $port) ready in $STARTED_MS ms"
}

# Java 25+: a training run records an AOT cache (JEP 483/514/515: classes loaded and linked, method
# profiles) that the measured instances start from, as production can (deploy/README.md, "Start
# time: the AOT cache").
# It runs the migrations, so the measured starts do not.
AOT_OPTS=()
JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${BENCH_AOT:-1}" = 1 ] && [ "${JAVA_FEATURE:-0}" -ge 25 ]; then
  log "Training run for the AOT cache (Java $JAVA_FEATURE)"
  start_instance train "$PORT_A" "-XX:AOTCacheOutput=$WORK/app.aot"
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT_A/q/openapi"; curl -s -o /dev/null \
    -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$PORT_A/v1/mail-auth/verify"; done
  kill -TERM "$STARTED_PID"; wait "$STARTED_PID" 2>/dev/null || true
  # The cache is assembled by a child JVM after the training run exits.
  for _ in $(seq 1 600); do pgrep -f "AOTCacheOutput=$WORK/app.aot" >/dev/null || break; sleep 0.1; done
  [ -s "$WORK/app.aot" ] && AOT_OPTS=("-XX:AOTCache=$WORK/app.aot") || log "No AOT cache was written; starting without"
fi

JFR_OPTS=()
[ "$JFR" = 1 ] && JFR_OPTS=("-XX:StartFlightRecording=filename=$OUT/service-a.jfr,settings=profile,dumponexit=true")
start_instance a "$PORT_A" "${JFR_OPTS[@]}"
PID_A=$STARTED_PID START_A_MS=$STARTED_MS
URL_A=http://127.0.0.1:$PORT_A
URL_B=http://127.0.0.1:$PORT_B
URL_FLOOR=http://127.0.0.1:$PORT_FLOOR

# The floor app: Quarkus's defaults and the JVM's (java -jar, no options), on the same database; it
# creates its own table at start (bench_floor, like the totp_factor the service has just migrated).
port_free "$PORT_FLOOR"
env QUARKUS_HTTP_PORT="$PORT_FLOOR" QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_USERNAME="$PGUSER" "$JAVA" -jar "$FLOOR_JAR" >"$WORK/floor.log" 2>&1 &
PID_FLOOR=$!
for _ in $(seq 1 3000); do
  ready "$PORT_FLOOR" /echo 405 && [ "$(psql -Atqc "select to_regclass('bench_floor') is not null" -d "$DB")" = t ] && break
  kill -0 "$PID_FLOOR" 2>/dev/null || { tail -40 "$WORK/floor.log" >&2; die "floor app exited during start"; }
  sleep 0.05
done
log "Floor app (pid $PID_FLOOR, port $PORT_FLOOR) ready"

MAIL_TOKEN=$(bt token --key "$WORK/idp-private.pem" --issuer "$ISSUER" --subject imap-bench.mail.test --group twofold-mail-server)
ADMIN_TOKEN=$(bt token --key "$WORK/idp-private.pem" --issuer "$ISSUER" --subject bench-helpdesk --group twofold-admin)

# ---------- raw Argon2 floor (service idle) ----------
log "Floor: raw Argon2id ($ARGON2) on 2 threads for $ARGON2_FLOOR_SECONDS s"
bt argon2-floor --params "$ARGON2" --threads 2 --seconds "$ARGON2_FLOOR_SECONDS" --out "$OUT/argon2-floor.json" >/dev/null
ARGON2_RATE=$(sed -E 's/.*"rate_per_s":([0-9.]+).*/\1/' "$OUT/argon2-floor.json")
# Enough never-used passcodes for one first-use run, sized generously: on a busy machine the rate
# measured now can be far below the rate reached later (a run that exhausts its pool says so).
COLD_PER_SLICE=$(awk -v r="$ARGON2_RATE" -v d="$COLD_DURATION" 'BEGIN { if (r < 50) r = 50; printf "%d", r * d * 2 + 40 }')
log "Raw Argon2id: $ARGON2_RATE verifications/s; $COLD_PER_SLICE first-use passcodes per run"

# ---------- population ----------
COLD_SLICES=warmup,flood TOTP_SLICES=warmup
for c in $LEVELS; do COLD_SLICES="$COLD_SLICES,c$c" TOTP_SLICES="$TOTP_SLICES,c$c"; done
wanted scale-out && TOTP_SLICES="$TOTP_SLICES,scalewarm,scale1,scale2"
log "Seeding files (accounts, sealed TOTP seeds, lookup hashes)"
bt seed --dir "$SEED" --keys "$KEY_RING" --active-key bench --params "$ARGON2" \
  --hash-cache "$CACHE/argon2-${ARGON2//,/-}.tsv" --core "$CORE" --warm "$WARM_SET" \
  --cold-slices "$COLD_SLICES" --cold-per-slice "$COLD_PER_SLICE" \
  --totp-slices "$TOTP_SLICES" --totp-per-slice "$TOTP_PER_SLICE" --revocations "$REVOCATION_ROUNDS"
cp "$SEED/manifest.json" "$OUT/manifest.json"
log "Loading the population into PostgreSQL ($DB)"
psql -q -v ON_ERROR_STOP=1 -d "$DB" >"$WORK/seed-sql.log" 2>&1 <<SQL || { cat "$WORK/seed-sql.log" >&2; die "seeding failed"; }
\copy totp_factor (account_id, seed_ciphertext, seed_key_id, algorithm, digits, period_seconds, enabled_at, last_step, failed_attempts, lockouts) from '$SEED/totp_factor.csv' with (format csv)
\copy app_passcode (id, account_id, name, lookup_hash, passcode_hash, created_at) from '$SEED/app_passcode.csv' with (format csv)
-- Keyed under the ring's active key, as the service stores them (rows without a key id are an older
-- release's, which every boot of instance b would first have to assign).
update app_passcode set lookup_key_id = 'bench';
-- Ten recovery codes per two-factor account, never presented: random index values, placeholder hash.
insert into recovery_code (account_id, lookup_hash, lookup_key_id, code_hash, generated_at)
  select account_id, decode(md5(account_id || ':' || g) || md5(g || ':' || account_id), 'hex'), 'bench',
         '$(cat "$SEED/placeholder.phc")', enabled_at
  from totp_factor, generate_series(1, 10) g;
-- The UPDATE floor's rows (its table is the floor app's): copies of the core accounts' totp_factor rows.
insert into bench_floor (account_id, seed_ciphertext, seed_key_id, algorithm, digits, period_seconds, enabled_at,
                         last_step, failed_attempts, lockouts, locked_until)
  select account_id, seed_ciphertext, seed_key_id, algorithm, digits, period_seconds, enabled_at,
         last_step, failed_attempts, lockouts, locked_until
  from totp_factor where account_id like 'core%';
analyze;
SQL

# ---------- measurement helpers ----------
argon2_total() {
  curl -fs "$URL_A/q/metrics" 2>/dev/null | awk '/^twofold_argon2_evaluations_total/ { s += $2 } END { printf "%d", s }'
}
argon2_drain() { # waits (up to 60 s) until no Argon2 evaluation is running or queued
  local i in_flight
  for i in $(seq 1 300); do
    in_flight=$(curl -fs "$URL_A/q/metrics" 2>/dev/null | awk '/^twofold_argon2_in_flight/ { s += $2 } END { printf "%d", s }')
    [ "${in_flight:-0}" -le 0 ] && return 0
    sleep 0.2
  done
}
proc_cpu_ticks() { # utime + stime of a process
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  set -- $stat
  echo $((${12} + ${13}))
}
machine_ticks() { # busy and total jiffies of the whole machine
  local cpu user nice system idle iowait irq softirq steal rest
  read -r cpu user nice system idle iowait irq softirq steal rest </proc/stat
  echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}
children_cpu_seconds() { # CPU of this shell's reaped children (wrk, the JVM tool), from a `times` dump
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, b, "m"); sub("s", "", b[2]); t += b[1] * 60 + b[2] } printf "%.3f", t }' "$1"
}
rss_sampler() { # max VmRSS (KiB) of $1 into $2 while $2.on exists
  local pid=$1 out=$2 max=0 key value unit
  while [ -e "$out.on" ]; do
    while read -r key value unit; do
      if [ "$key" = VmRSS: ]; then [ "$value" -gt "$max" ] && max=$value; break; fi
    done <"/proc/$pid/status" 2>/dev/null || break
    echo "$max" >"$out"
    sleep 0.2
  done
}

# measure NAME CLIENTS COMMAND...: runs the load command and writes runs/NAME@CLIENTS.meta.json.
# Server CPU is that of the processes in TARGET_PIDS (RSS: the first), database CPU that of the
# PostgreSQL backends serving this run's databases.
TARGET_PIDS=
measure() {
  local name=$1 clients=$2; shift 2
  local base="$OUT/runs/$name@$clients" pids=${TARGET_PIDS:-$PID_A} a0 a1 s0 s1 d0 d1 m0 m1 l0 l1 t0 t1 sampler
  # `times` must run in this shell (a subshell starts with zero child times), so it is dumped to a file.
  a0=$(argon2_total); s0=$(pids_cpu_ticks $pids); db_cpu_ticks >"$WORK/db0"; m0=$(machine_ticks); times >"$WORK/times0"
  t0=$(date +%s%N)
  touch "$WORK/rss.on"; echo 0 >"$WORK/rss"
  rss_sampler "${pids%% *}" "$WORK/rss" & sampler=$!
  "$@" || log "WARNING: load command for $name @$clients exited with $?"
  rm -f "$WORK/rss.on"; wait "$sampler" 2>/dev/null || true
  t1=$(date +%s%N); times >"$WORK/times1"; m1=$(machine_ticks); db_cpu_ticks >"$WORK/db1"; s1=$(pids_cpu_ticks $pids)
  # Backends alive at the end: their ticks since the start (all of them if they started during the run).
  d0=0 d1=$(awk 'NR == FNR { start[$1] = $2; next } { t += $2 - start[$1] } END { printf "%d", t }' "$WORK/db0" "$WORK/db1")
  argon2_drain; a1=$(argon2_total)
  l0=$(children_cpu_seconds "$WORK/times0"); l1=$(children_cpu_seconds "$WORK/times1")
  awk -v s0="$s0" -v s1="$s1" -v d0="$d0" -v d1="$d1" -v l0="$l0" -v l1="$l1" -v t0="$t0" -v t1="$t1" \
      -v hz="$CLK_TCK" -v m0="$m0" -v m1="$m1" -v rss="$(cat "$WORK/rss")" -v a0="${a0:-0}" -v a1="${a1:-0}" 'BEGIN {
    wall = (t1 - t0) / 1e9; split(m0, b, " "); split(m1, e, " ")
    printf "{\"server_cpu_pct\":%.1f,\"db_cpu_pct\":%.1f,\"lg_cpu_pct\":%.1f,\"machine_busy_pct\":%.1f,\"rss_max_mib\":%.1f,\"argon2_evaluations\":%d,\"wall_s\":%.3f}\n",
      100 * (s1 - s0) / hz / wall, 100 * (d1 - d0) / hz / wall, 100 * (l1 - l0) / wall, 100 * (e[1] - b[1]) / (e[2] - b[2]),
      rss / 1024, a1 - a0, wall
  }' >"$base.meta.json"
}
pids_cpu_ticks() { local t=0 pid; for pid in "$@"; do t=$((t + $(proc_cpu_ticks "$pid"))); done; echo "$t"; }
db_cpu_ticks() { # "pid ticks" of each PostgreSQL backend whose process title names this run's databases
  local f pid title
  for f in /proc/[0-9]*/cmdline; do
    IFS= read -r -d '' title 2>/dev/null <"$f" || true
    if [[ "$title" == "postgres: "*" $DB"[\ _]* ]]; then
      pid=${f#/proc/}; pid=${pid%/cmdline}
      echo "$pid $(proc_cpu_ticks "$pid")"
    fi
  done
}

# wrk_load NAME CLIENTS SECONDS REQUEST_FILE RESULT [VAR=VALUE...]: one wrk run with replay.lua
# against TARGET_URL (default: instance a)
TARGET_URL=
wrk_load() {
  local name=$1 clients=$2 seconds=$3 requests=$4 result=$5; shift 5
  local threads=2
  [ "$clients" -lt 2 ] && threads=1
  env BENCH_REQUESTS="$requests" BENCH_THREADS="$threads" BENCH_TOKEN="$MAIL_TOKEN" BENCH_RESULT="$result" "$@" \
    wrk -t"$threads" -c"$clients" -d"${seconds}s" --timeout 30s -s "$LUA" "${TARGET_URL:-$URL_A}" >"$WORK/wrk-$name-$clients.log" 2>&1
}

declare -A FILE EXPECT
FILE[floor-echo]=$SEED/echo.req;              EXPECT[floor-echo]='BENCH_EXPECT_BODY="decision":"accept"'
FILE[floor-update]=$SEED/update.req;          EXPECT[floor-update]='BENCH_EXPECT_BODY="updated":true'
FILE[mail-verify-warm]=$SEED/warm.req;        EXPECT[mail-verify-warm]='BENCH_EXPECT_BODY="decision":"accept"'
FILE[mail-verify-reject]=$SEED/reject.req;    EXPECT[mail-verify-reject]='BENCH_EXPECT_BODY="decision":"reject"'
FILE[nginx-auth]=$SEED/nginx.req;             EXPECT[nginx-auth]='BENCH_EXPECT_HEADER=Auth-Status=OK'
EXPECT[two-factor-verify]='BENCH_EXPECT_BODY="method":"totp"'

# target SCENARIO: where its load goes and whose CPU and memory it measures (floors: the floor app)
target() {
  case "$1" in
    floor-*) TARGET_URL=$URL_FLOOR TARGET_PIDS=$PID_FLOOR ;;
    *) TARGET_URL=$URL_A TARGET_PIDS=$PID_A ;;
  esac
}

# run_wrk SCENARIO CLIENTS [after]: one measured run
run_wrk() {
  local scenario=$1 clients=$2 file=${FILE[$1]:-} once= name=$1${3:+-$3}
  wanted "$scenario" || return 0
  if [ "$scenario" = two-factor-verify ]; then
    file=$WORK/totp-c$clients.req once=BENCH_ONCE=1
    bt totp-requests --seeds "$SEED/totp-c$clients.seeds" --out "$file" >/dev/null
  fi
  log "  $name @$clients clients, ${DURATION}s"
  target "$scenario"
  measure "$name" "$clients" wrk_load "$name" "$clients" "$DURATION" "$file" \
    "$OUT/runs/$name@$clients.result.json" "${EXPECT[$scenario]}" $once
  TARGET_URL= TARGET_PIDS=
}

# prime [URL]: present every warm passcode once (first uses cost Argon2), so the warm runs are
# cache-warm (the JVM client stops when the list is done; wrk would wait out its duration).
prime() {
  { wanted mail-verify-warm || wanted nginx-auth || wanted scale-out; } || return 0
  bt cold --url "${1:-$URL_A}" --token "$MAIL_TOKEN" --pool "$SEED/warm.pool" --concurrency 16 --seconds 600 --out "$WORK/prime.json"
}

sanity() { # one request per scenario, answers logged (a broken endpoint shows here first)
  local name=$1 file=$2 url=$3 line method path headers body
  IFS= read -r line <"$file"
  method=${line%%$'\t'*} line=${line#*$'\t'}
  path=${line%%$'\t'*} line=${line#*$'\t'}
  headers=${line%%$'\t'*} body=${line#*$'\t'}
  local args=(-s -o "$WORK/sanity.body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $MAIL_TOKEN")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  if [ -n "$headers" ]; then IFS='|' read -ra hs <<<"$headers"; for h in "${hs[@]}"; do args+=(-H "$h"); done; args+=(-D "$WORK/sanity.headers"); fi
  local code; code=$(curl "${args[@]}" "$url$path" || true)
  log "  sanity $name: HTTP $code $(head -c 160 "$WORK/sanity.body" 2>/dev/null | tr -d '\n')"
}

log "Sanity checks"
for s in floor-echo floor-update mail-verify-warm mail-verify-reject nginx-auth; do
  target "$s"; sanity "$s" "${FILE[$s]}" "$TARGET_URL"
done
TARGET_URL= TARGET_PIDS=

# ---------- Keycloak beside it (same PostgreSQL, its own database) ----------
FOCUS=64
[[ " $LEVELS " == *" 64 "* ]] || FOCUS=16
[[ " $LEVELS " == *" $FOCUS "* ]] || FOCUS=${LEVELS##* }
if wanted keycloak; then source "$ROOT/bench/keycloak.sh"; keycloak_start; fi

# ---------- warm-up (JIT, connections, caches); nothing recorded ----------
log "Warm-up: priming $WARM_SET warm passcodes, then ${WARMUP}s per scenario"
prime
for s in floor-echo mail-verify-warm nginx-auth mail-verify-reject floor-update; do
  wanted "$s" || continue
  target "$s"
  wrk_load "warmup-$s" 64 "$WARMUP" "${FILE[$s]}" "$WORK/warmup.json" "${EXPECT[$s]}"
done
TARGET_URL= TARGET_PIDS=
if wanted two-factor-verify; then
  bt totp-requests --seeds "$SEED/totp-warmup.seeds" --out "$WORK/totp-warmup.req" >/dev/null
  wrk_load warmup-two-factor 64 "$WARMUP" "$WORK/totp-warmup.req" "$WORK/warmup.json" BENCH_ONCE=1
fi
if wanted keycloak; then keycloak_load warmup 64 "$KC_WARMUP" "$WORK/warmup.json"; fi

# ---------- throughput scenarios, each floor next to its hot paths ----------
for c in $LEVELS; do
  log "Clients: $c"
  # Each floor is measured before and after its hot paths; the ratios use the mean of the two.
  run_wrk floor-echo "$c"
  prime
  run_wrk mail-verify-warm "$c"
  run_wrk nginx-auth "$c"
  run_wrk mail-verify-reject "$c"
  run_wrk floor-echo "$c" after
  run_wrk floor-update "$c"
  run_wrk two-factor-verify "$c"
  # Keycloak's direct-grant TOTP logins right after Twofold's, at the client count the bars use.
  if wanted keycloak && [ "$c" = "$FOCUS" ]; then
    log "  keycloak-totp-login @$c clients, ${DURATION}s"
    TARGET_PIDS=$PID_KC measure keycloak-totp-login "$c" keycloak_load "c$c" "$c" "$DURATION" \
      "$OUT/runs/keycloak-totp-login@$c.result.json"
    keycloak_stop
  fi
  run_wrk floor-update "$c" after
done
# ---------- first use (Argon2-bound), JVM closed-loop client ----------
cold_load() { bt cold --url "$URL_A" --token "$MAIL_TOKEN" --pool "$1" --concurrency "$2" --seconds "$3" --out "$4"; }
if wanted first-use; then
# The floor the first-use runs are compared with, measured again right before them (service idle).
log "Floor: raw Argon2id again, right before the first-use runs"
bt argon2-floor --params "$ARGON2" --threads 2 --seconds "$ARGON2_FLOOR_SECONDS" --out "$OUT/argon2-floor.json" >/dev/null
log "Raw Argon2id: $(sed -E 's/.*"rate_per_s":([0-9.]+).*/\1/' "$OUT/argon2-floor.json") verifications/s"
log "First use (never-presented passcodes), ${COLD_DURATION}s per run"
cold_load "$SEED/cold1-warmup.pool" 16 "$WARMUP" "$WORK/cold-warmup.json"
for c in $LEVELS; do
  for kind in 1 25; do
    log "  mail-verify-first-use-$kind @$c clients"
    measure "mail-verify-first-use-$kind" "$c" cold_load "$SEED/cold$kind-c$c.pool" "$c" "$COLD_DURATION" \
      "$OUT/runs/mail-verify-first-use-$kind@$c.result.json"
  done
done
fi
# ---------- first-use logins during a cancelled-request flood ----------
# Victims: FLOOD_VICTIMS mail clients logging in with never-presented passcodes (first uses), while an
# attacker sends FLOOD_RATE passcode creations a second, each on a connection closed right after
# sending: about the raw Argon2 rate, so each creation that still cost a hash would swamp the pool,
# while the requests themselves (a token check and one read each) stay well within the service's means.
# The figure is the victims' p99, from a login's first attempt to its acceptance.
FLOOD_VICTIMS=4 FLOOD_RATE=${BENCH_FLOOD_RATE:-50}
if wanted flood; then
  argon2_drain
  log "  first-use-during-flood: $FLOOD_VICTIMS victims, $FLOOD_RATE fire-and-close creations/s, ${COLD_DURATION}s"
  measure first-use-during-flood "$FLOOD_VICTIMS" bt cold --url "$URL_A" --token "$MAIL_TOKEN" \
    --pool "$SEED/cold1-flood.pool" --concurrency "$FLOOD_VICTIMS" --seconds "$COLD_DURATION" \
    --flood-rate "$FLOOD_RATE" --key "$WORK/idp-private.pem" --issuer "$ISSUER" \
    --out "$OUT/runs/first-use-during-flood@$FLOOD_VICTIMS.result.json"
fi
RSS_HWM_KIB=$(awk '/VmHWM/ { print $2 }' "/proc/$PID_A/status")
# With -XX:NativeMemoryTracking=summary in BENCH_JAVA_OPTS: where the RSS goes, after all the load.
if [[ "$JAVA_OPTS_SERVICE" == *NativeMemoryTracking* ]]; then
  jcmd "$PID_A" VM.native_memory summary >"$OUT/native-memory.txt" 2>&1 || true
  grep -E '^(Total|-)' "$OUT/native-memory.txt" >&2 || true
fi

# ---------- revocation across two instances ----------
START_B_MS=-1
if wanted revocation; then
start_instance b "$PORT_B"
PID_B=$STARTED_PID START_B_MS=$STARTED_MS
log "Revocation under load: $REVOCATION_ROUNDS rounds, load on one instance, DELETE through the other"
bt revocation --url-a "$URL_A" --url-b "$URL_B" --token "$MAIL_TOKEN" --admin-token "$ADMIN_TOKEN" \
  --cases "$SEED/revocation.tsv" --rounds "$REVOCATION_ROUNDS" --out "$OUT/revocation.json" >/dev/null \
  || log "WARNING: revocation check failed to run"
fi

# ---------- scale-out: one and two replicas on one database ----------
# The same load (FOCUS clients) on instance a alone, then split evenly across a and b (two wrk
# processes, each half the clients and half the accounts); server CPU is both instances', database CPU
# the backends of this run's databases, so the table shows where the bottleneck moves.
# split_load NAME CLIENTS SECONDS FILE_A FILE_B RESULT [VAR=VALUE...]: both halves at once, results
# RESULT.part-a.json and RESULT.part-b.json
split_load() {
  local name=$1 clients=$2 seconds=$3 file_a=$4 file_b=$5 result=$6 pa pb; shift 6
  TARGET_URL=$URL_A wrk_load "$name-a" $((clients / 2)) "$seconds" "$file_a" "$result.part-a.json" "$@" & pa=$!
  TARGET_URL=$URL_B wrk_load "$name-b" $((clients / 2)) "$seconds" "$file_b" "$result.part-b.json" "$@" & pb=$!
  wait "$pa" "$pb"
}
# totp_halves SLICE: that slice's requests valid now, split by account into $WORK/totp-SLICE-{a,b}.req
# (line i and line i + N, N even: the slice's size, are one account's two codes)
totp_halves() {
  bt totp-requests --seeds "$SEED/totp-$1.seeds" --out "$WORK/totp-$1.req" >/dev/null
  awk 'NR % 2 == 1' "$WORK/totp-$1.req" >"$WORK/totp-$1-a.req"
  awk 'NR % 2 == 0' "$WORK/totp-$1.req" >"$WORK/totp-$1-b.req"
}
if wanted scale-out; then
  if [ -z "$PID_B" ]; then start_instance b "$PORT_B"; PID_B=$STARTED_PID START_B_MS=$STARTED_MS; fi
  log "Scale-out at $FOCUS clients: 1 replica, then 2 replicas on one database"
  prime "$URL_A"; prime "$URL_B"
  # Both replicas warmed alike (b has served nothing yet).
  split_load warmup-scale-warm 64 "$WARMUP" "${FILE[mail-verify-warm]}" "${FILE[mail-verify-warm]}" "$WORK/warmup" \
    "${EXPECT[mail-verify-warm]}"
  totp_halves scalewarm
  split_load warmup-scale-totp 64 "$WARMUP" "$WORK/totp-scalewarm-a.req" "$WORK/totp-scalewarm-b.req" "$WORK/warmup" \
    "${EXPECT[two-factor-verify]}" BENCH_ONCE=1
  log "  scale-mail-verify-warm: 1 replica, then 2"
  TARGET_PIDS=$PID_A measure scale-mail-verify-warm-1r "$FOCUS" wrk_load scale-warm-1r "$FOCUS" "$DURATION" \
    "${FILE[mail-verify-warm]}" "$OUT/runs/scale-mail-verify-warm-1r@$FOCUS.result.json" "${EXPECT[mail-verify-warm]}"
  TARGET_PIDS="$PID_A $PID_B" measure scale-mail-verify-warm-2r "$FOCUS" split_load scale-warm-2r "$FOCUS" "$DURATION" \
    "${FILE[mail-verify-warm]}" "${FILE[mail-verify-warm]}" "$OUT/runs/scale-mail-verify-warm-2r@$FOCUS" \
    "${EXPECT[mail-verify-warm]}"
  log "  scale-two-factor-verify: 1 replica, then 2"
  bt totp-requests --seeds "$SEED/totp-scale1.seeds" --out "$WORK/totp-scale1.req" >/dev/null
  TARGET_PIDS=$PID_A measure scale-two-factor-verify-1r "$FOCUS" wrk_load scale-totp-1r "$FOCUS" "$DURATION" \
    "$WORK/totp-scale1.req" "$OUT/runs/scale-two-factor-verify-1r@$FOCUS.result.json" "${EXPECT[two-factor-verify]}" BENCH_ONCE=1
  totp_halves scale2
  TARGET_PIDS="$PID_A $PID_B" measure scale-two-factor-verify-2r "$FOCUS" split_load scale-totp-2r "$FOCUS" "$DURATION" \
    "$WORK/totp-scale2-a.req" "$WORK/totp-scale2-b.req" "$OUT/runs/scale-two-factor-verify-2r@$FOCUS" \
    "${EXPECT[two-factor-verify]}" BENCH_ONCE=1
fi

# ---------- migration import: 10,000 seeds-only accounts through POST /v1/admin/imports ----------
if wanted import; then
  IMPORT_FILE="$WORK/import.ndjson"
  # Random 20-byte seeds as base32, one account per line; seeds only, so no Argon2 is involved.
  for i in $(seq 1 10000); do
    printf '{"accountId":"import-%05d@bench.example","totp":{"secret":"%s"}}\n' "$i" \
      "$(head -c 20 /dev/urandom | base32 | tr -d '=\n')"
  done >"$IMPORT_FILE"
  log "Import: 10000 seeds-only accounts in one request"
  IMPORT_START=$(date +%s.%N)
  # Chunked: a body with a Content-Length above the HTTP body limit is refused before the import starts.
  curl -sS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/x-ndjson' \
    -H 'Transfer-Encoding: chunked' --data-binary @"$IMPORT_FILE" "$URL_A/v1/admin/imports" >"$OUT/import.results.ndjson" \
    || log "WARNING: import scenario failed to run"
  IMPORT_SECONDS=$(awk -v start="$IMPORT_START" -v end="$(date +%s.%N)" 'BEGIN { print end - start }')
  IMPORTED=$(grep -c '"status":"imported"' "$OUT/import.results.ndjson" || true)
  printf '{"accounts":10000,"imported":%d,"seconds":%.2f,"accounts_per_second":%.0f}\n' "$IMPORTED" "$IMPORT_SECONDS" \
    "$(awk -v n="$IMPORTED" -v s="$IMPORT_SECONDS" 'BEGIN { print n / s }')" >"$OUT/import.json"
  log "  $(cat "$OUT/import.json")"
fi

# ---------- database restart during load (last: it restarts the machine's PostgreSQL cluster) ----------
DB_RESTART_FAILED=0
if wanted db-restart; then
  PG_CLUSTER=$(pg_lsclusters -h 2>/dev/null | awk -v port="$PGPORT" '$3 == port { print $1, $2; exit }')
  if [ -n "$PG_CLUSTER" ] && command -v pg_ctlcluster >/dev/null; then
    # A real restart of the cluster this benchmark runs on (every database on it, so never from ./mvnw verify).
    RESTART_CMD="pg_ctlcluster $PG_CLUSTER restart"
    log "Database restart during load: mail logins, TOTP verifies, passcode creations; $RESTART_CMD"
    bt db-restart --url "$URL_A" --token "$MAIL_TOKEN" --key "$WORK/idp-private.pem" --issuer "$ISSUER" \
      --pool "$SEED/warm.pool" --seeds "$SEED/totp-warmup.seeds" --clients 4 --restart "$RESTART_CMD" \
      --out "$OUT/db-restart.json" >/dev/null || log "WARNING: database restart scenario failed to run"
    if [ -s "$OUT/db-restart.json" ]; then
      log "  $(sed -E 's/.*"five_xx":([0-9]+),"internal_errors":([0-9]+),"unavailable_503":([0-9]+),"hung":([0-9]+),"seconds_to_full_service":([0-9.]+),"acknowledged_creations":([0-9]+),"operations_lost":([0-9]+),"duplicates":([0-9]+).*/5xx \1 (500: \2, 503: \3), hung \4, full service \5 s after the database returned, operations lost \7 of \6 acknowledged, duplicates \8/' "$OUT/db-restart.json")"
      grep -Eq '"internal_errors":0,.*"hung":0,.*"operations_lost":0,"duplicates":0' "$OUT/db-restart.json" || DB_RESTART_FAILED=1
    fi
  else
    log "Database restart during load skipped: no pg_ctlcluster cluster on port $PGPORT"
  fi
fi

printf '{"instance_a_ms":%d,"instance_b_ms":%d,"note":"process start to first 200 of /q/health/ready; a: first start on an empty database (runs the migrations), b: second instance while a is idle"}\n' \
  "$START_A_MS" "$START_B_MS" >"$OUT/startup.json"
printf '{"mode":"%s","cores":%d,"loadavg_start":"%s","loadavg_end":"%s","java":"%s","jvm_opts":"%s","git":"%s","rss_hwm_a_mib":%d,"clients":"%s","seconds_per_run":%d}\n' \
  "$MODE" "$(nproc)" "$LOADAVG_START" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$("$JAVA" -version 2>&1 | head -1 | tr -d '"')" "$JAVA_OPTS_SERVICE" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
  "$((RSS_HWM_KIB / 1024))" "$LEVELS" "$DURATION" >"$OUT/env.json"

REPORT_STATUS=0
bt report --dir "$OUT" --focus "$FOCUS" || REPORT_STATUS=$?
if [ "$DB_RESTART_FAILED" = 1 ]; then
  log "ERROR: database restart during load: 500s, hung requests or lost operations (target/bench/db-restart.json)"
  REPORT_STATUS=1
fi
exit "$REPORT_STATUS"
