# Keycloak side by side, sourced by bench/run.sh (uses its variables and helpers): the same TOTP
# sign-in on Keycloak's direct grant (password + OTP), on the same PostgreSQL, its own database.
#
# keycloak-quarkus-dist comes from Maven Central through ./mvnw (the local repository caches the zip);
# it is unpacked and built once (`kc.sh build`) under ~/.cache/twofold-bench/keycloak-VERSION. The
# realm is imported at start: KC_PER_SLICE users per slice (warm-up, measured), each with a password
# hashed cheaply (realm policy pbkdf2-sha256 x 1, so the OTP path dominates) and a TOTP credential whose
# secret the benchmark knows; a public client with direct access grants. Keycloak refuses a reused code
# (otpPolicyCodeReusable=false, its default), so each user signs in once with the current step's code
# and once with the next step's, as in Twofold's two-factor scenario. Keycloak's own JVM options (kc.sh's
# defaults: G1, -Xms64m -Xmx512m) and its defaults otherwise (persistent user sessions included).

KC_HOME=${BENCH_KEYCLOAK_HOME:-$HOME/.cache/twofold-bench/keycloak-$KC_VERSION}
KC_JAVA_HOME=${BENCH_KEYCLOAK_JAVA_HOME:-$BENCH_JAVA_HOME}
KC_SLICES="warmup,c$FOCUS"

keycloak_install() {
  [ -x "$KC_HOME/bin/kc.sh" ] && [ -f "$KC_HOME/.bench-built" ] && return 0
  log "Fetching keycloak-quarkus-dist $KC_VERSION (Maven) and building it under $KC_HOME"
  local zip_dir=$WORK/keycloak-zip
  ./mvnw -q -ntp dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
    -DoutputDirectory="$zip_dir" >"$OUT/logs/keycloak-fetch.log" 2>&1 \
    || { tail -20 "$OUT/logs/keycloak-fetch.log" >&2; die "could not fetch keycloak-quarkus-dist $KC_VERSION"; }
  mkdir -p "$(dirname "$KC_HOME")"
  rm -rf "$KC_HOME"
  (cd "$(dirname "$KC_HOME")" && unzip -q "$zip_dir/keycloak-quarkus-dist-$KC_VERSION.zip") || die "could not unpack Keycloak"
  [ -d "$KC_HOME" ] || mv "$(dirname "$KC_HOME")/keycloak-$KC_VERSION" "$KC_HOME"
  JAVA_HOME=$KC_JAVA_HOME "$KC_HOME/bin/kc.sh" build --db=postgres --health-enabled=true \
    >"$OUT/logs/keycloak-build.log" 2>&1 || { tail -20 "$OUT/logs/keycloak-build.log" >&2; die "kc.sh build failed"; }
  touch "$KC_HOME/.bench-built"
}

keycloak_start() {
  keycloak_install
  port_free "$PORT_KC"; port_free "$((PORT_KC + 1))"
  createdb "$KC_DB" || die "cannot create database $KC_DB"
  mkdir -p "$KC_HOME/data/import"
  rm -f "$KC_HOME/data/import/"*.json
  bt keycloak-realm --dir "$SEED" --slices "$KC_SLICES" --per-slice "$KC_PER_SLICE" \
    --out "$KC_HOME/data/import/bench-realm.json" >/dev/null
  log "Starting Keycloak $KC_VERSION (port $PORT_KC; importing $KC_PER_SLICE users per slice: $KC_SLICES)"
  local t0 deadline
  t0=$(date +%s%N) deadline=$(($(date +%s%N) + 600000000000))
  JAVA_HOME=$KC_JAVA_HOME "$KC_HOME/bin/kc.sh" start --optimized --import-realm \
    --http-enabled=true --http-host=127.0.0.1 --http-port="$PORT_KC" --http-management-port="$((PORT_KC + 1))" \
    --hostname-strict=false --cache=local \
    --db-url="jdbc:postgresql://$PGHOST:$PGPORT/$KC_DB" --db-username="$PGUSER" --db-password=unused \
    >"$WORK/keycloak.log" 2>&1 &
  PID_KC_SCRIPT=$!
  until ready "$((PORT_KC + 1))" /health/ready 200; do
    kill -0 "$PID_KC_SCRIPT" 2>/dev/null || { tail -40 "$WORK/keycloak.log" >&2; die "Keycloak exited during start"; }
    [ "$(date +%s%N)" -lt "$deadline" ] || die "Keycloak not ready after 600 s"
    sleep 0.2
  done
  rm -f "$KC_HOME/data/import/bench-realm.json"
  # kc.sh stays as the parent of the JVM: the JVM is what is measured, the script is what is stopped.
  PID_KC=$(ps -o pid= --ppid "$PID_KC_SCRIPT" | tr -d ' ' | head -1)
  log "Keycloak (JVM pid $PID_KC) ready in $((($(date +%s%N) - t0) / 1000000)) ms, realm imported"
  local code
  code=$(curl -s -o "$WORK/kc-sanity.json" -w '%{http_code}' "http://127.0.0.1:$PORT_KC/realms/bench" || true)
  log "  sanity keycloak realm: HTTP $code"
}

# keycloak_load SLICE CLIENTS SECONDS RESULT: token requests valid now for the slice's users, by wrk
keycloak_load() {
  local slice=$1 clients=$2 seconds=$3 result=$4
  bt totp-requests --for keycloak --seeds "$SEED/keycloak-$slice.seeds" --out "$WORK/keycloak-$slice.req" >/dev/null
  TARGET_URL=http://127.0.0.1:$PORT_KC wrk_load "keycloak-$slice" "$clients" "$seconds" "$WORK/keycloak-$slice.req" \
    "$result" BENCH_TOKEN= BENCH_ONCE=1 'BENCH_EXPECT_BODY="access_token"' \
    BENCH_PROBE=/realms/bench 'BENCH_PROBE_MARK="public_key"'
}

keycloak_stop() {
  stop_pid "$PID_KC_SCRIPT"
  PID_KC= PID_KC_SCRIPT=
}
