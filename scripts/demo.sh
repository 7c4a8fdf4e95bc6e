#!/usr/bin/env bash
# ./eagle demo [--keep-running] [--resume] [--images N] [--timeout-s S]
#
# Runs the whole platform on this machine on its embedded default (README "command one"):
#   1. builds what is missing (fast-jars of the five services, the local infrastructure, the demo source);
#   2. starts PostgreSQL (15432) and Kafka (19092) with eagle.infra.LocalInfra, creates the topics;
#   3. starts registry :8081, ingest :8082, trainer :8083, evaluator :8084, gateway :8085 as separate JVMs
#      (dev tokens from the registry's DevTokens, DEV-ONLY key), logs under .eagle/demo/logs; the operator
#      console on :8086 (its URL is printed);
#   4. eagle.demo.DemoDriver seeds the registry with models/embedded-base (the evaluator blesses it as the
#      first production), publishes synthetic annotations (plus a few malformed ones for the DLQ), shows
#      progress and ends with a summary when the gateway serves the version trained from them.
# Ctrl-C stops everything it started. --keep-running leaves the stack up (stop it with Ctrl-C, or
# `kill $(cat .eagle/demo/pids)`). A second run starts clean unless --resume.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/local-infra.sh
source "$ROOT/scripts/lib/local-infra.sh"
cd "$ROOT"
STATE="$ROOT/.eagle/demo"
LOGS="$STATE/logs"
KEEP=false
RESUME=false
IMAGES=800
TIMEOUT_S=420
MODEL=eagle-encoder
KAFKA_PORT=19092
PG_PORT=15432
BOOTSTRAP="localhost:$KAFKA_PORT"
SERVICES=(registry ingest trainer evaluator gateway)
declare -A PORT=([registry]=8081 [ingest]=8082 [trainer]=8083 [evaluator]=8084 [gateway]=8085)
CONSOLE_PORT=8086
# PyTorch intra-op threads of the trainer and the evaluator (they rarely compute at the same time)
THREADS=${EAGLE_THREADS:-2}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep-running) KEEP=true ;;
    --resume) RESUME=true ;;
    --images) IMAGES=$2; shift ;;
    --timeout-s) TIMEOUT_S=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[demo %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

command -v java >/dev/null || die "java (17 or newer) is not installed"
command -v mvn >/dev/null || die "mvn (Maven 3.8+) is not installed"

# ---- 1. build what is missing or older than its sources ----------------------------------------------
stale() {   # stale <artifact> <source dirs...>: true when the artifact is missing or a source is newer
  local artifact=$1; shift
  [[ ! -f "$artifact" ]] && return 0
  [[ -n "$(find "$@" pom.xml -newer "$artifact" -type f 2>/dev/null | head -1)" ]]
}
shared_src=(core/src core/pom.xml contracts/src contracts/pom.xml scenes/src scenes/pom.xml)
need_services=false
for m in "${SERVICES[@]}"; do
  stale "$m/target/quarkus-app/quarkus-run.jar" "$m/src" "$m/pom.xml" "${shared_src[@]}" && need_services=true
done
if $need_services; then
  say "building the services (mvn -pl registry,ingest,trainer,evaluator,gateway -am package) ..."
  mvn -q -B -pl registry,ingest,trainer,evaluator,gateway -am package -DskipTests
  # an unchanged jar is not rewritten by Maven: mark the build as newer than its sources
  for m in "${SERVICES[@]}"; do touch "$m/target/quarkus-app/quarkus-run.jar"; done
fi
if stale infra/target/eagle-infra-0.1.0-SNAPSHOT.jar infra/src infra/pom.xml \
   || stale demo/target/eagle-demo-0.1.0-SNAPSHOT.jar demo/src demo/pom.xml "${shared_src[@]}"; then
  say "building the local infrastructure and the demo source (mvn -pl infra,demo -am package) ..."
  mvn -q -B -pl infra,demo -am package -DskipTests
  touch infra/target/eagle-infra-0.1.0-SNAPSHOT.jar demo/target/eagle-demo-0.1.0-SNAPSHOT.jar
fi
if stale console/target/quarkus-app/quarkus-run.jar console/src console/pom.xml; then
  say "building the operator console (mvn -pl console -am package) ..."
  mvn -q -B -pl console -am package -Dmaven.test.skip=true
  touch console/target/quarkus-app/quarkus-run.jar
fi
INFRA_CP="infra/target/eagle-infra-0.1.0-SNAPSHOT.jar:infra/target/lib/*"
DEMO_CP="demo/target/eagle-demo-0.1.0-SNAPSHOT.jar:demo/target/lib/*"
REG_CP="registry/target/quarkus-app/app/*:registry/target/quarkus-app/lib/boot/*:registry/target/quarkus-app/lib/main/*"

# ---- state and ports ---------------------------------------------------------------------------------
if [[ -f "$STATE/pids" ]]; then
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then
      die "a demo is still running ($name, pid $pid); stop it first: kill \$(cut -d' ' -f1 $STATE/pids)"
    fi
  done < "$STATE/pids"
fi
for p in $KAFKA_PORT $PG_PORT "${PORT[@]}" $CONSOLE_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    die "port $p is in use; stop what listens there (or a demo left running)"
  fi
done
if ! $RESUME; then
  rm -rf "$STATE"
fi
mkdir -p "$LOGS"
: > "$STATE/pids"

# ---- process bookkeeping: Ctrl-C / exit stops what this run started ------------------------------------
PIDS=()
NAMES=()
INFRA_PID=""
stop_all() {
  trap - INT TERM EXIT
  say "stopping the demo ..."
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
  done
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    wait_gone "${PIDS[$i]}" 30 || kill -KILL "${PIDS[$i]}" 2>/dev/null || true
  done
  if [[ -n "$INFRA_PID" ]]; then
    kill -TERM "$INFRA_PID" 2>/dev/null || true
    wait_gone "$INFRA_PID" 30 || kill -KILL "$INFRA_PID" 2>/dev/null || true
  fi
  # LocalInfra stops its postgres child on SIGTERM; after a kill -9 the child survives: stop it by its pid file
  local pm="$STATE/infra/postgres/data/postmaster.pid"
  if [[ -f "$pm" ]]; then
    local pg; pg=$(head -1 "$pm")
    if [[ -n "$pg" ]] && kill -0 "$pg" 2>/dev/null; then
      kill -TERM "$pg" 2>/dev/null || true
      wait_gone "$pg" 20 || kill -KILL "$pg" 2>/dev/null || true
    fi
  fi
  : > "$STATE/pids"
  say "stopped"
}
wait_gone() {   # wait_gone <pid> <seconds>
  local pid=$1 n=$(( $2 * 5 ))
  while kill -0 "$pid" 2>/dev/null && (( n-- > 0 )); do sleep 0.2; done
  ! kill -0 "$pid" 2>/dev/null
}
on_signal() { echo; stop_all; exit 130; }
trap on_signal INT TERM
trap stop_all EXIT

start() {   # start <name> <command...>: background, log to $LOGS/<name>.log
  local name=$1; shift
  "$@" > "$LOGS/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid"); NAMES+=("$name")
  echo "$pid $name" >> "$STATE/pids"
  say "started $name (pid $pid, log $LOGS/$name.log)"
}
wait_http() {   # wait_http <name> <url> <seconds>
  local name=$1 url=$2 n=$3 pid i
  for i in "${!NAMES[@]}"; do [[ "${NAMES[$i]}" == "$name" ]] && pid=${PIDS[$i]}; done
  while (( n-- > 0 )); do
    # any HTTP answer means the server listens (not every service has a health endpoint)
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" != 000 ]] && return 0
    kill -0 "$pid" 2>/dev/null || { tail -30 "$LOGS/$name.log" >&2; die "$name exited (log $LOGS/$name.log)"; }
    sleep 1
  done
  tail -30 "$LOGS/$name.log" >&2
  die "$name did not become ready at $url"
}

# ---- 2. PostgreSQL and Kafka -------------------------------------------------------------------------
# not in PIDS: stopped last, after the services
launch_local_infra "$STATE/infra" "$LOGS/infra.log" "$KAFKA_PORT" "$PG_PORT"
echo "$INFRA_PID infra" >> "$STATE/pids"
say "started LocalInfra (pid $INFRA_PID, log $LOGS/infra.log)"
await_local_infra "$STATE/infra" "$LOGS/infra.log" 60
say "PostgreSQL and Kafka are up ($JDBC, $BOOTSTRAP)"
java -cp "$DEMO_CP" eagle.demo.CreateTopics "$BOOTSTRAP"

# ---- 3. the five services ------------------------------------------------------------------------------
token() { java -cp "$REG_CP" eagle.registry.security.DevTokens "$1" "$2" 86400; }
TOK_TRAINER=$(token trainer registry.read,registry.register)
TOK_EVALUATOR=$(token evaluator registry.read,registry.evaluate,registry.alias)
TOK_READ=$(token gateway registry.read)
TOK_SEED=$(token demo registry.read,registry.register)

# The evaluator gates with the default gate (GateConfig.defaults(), evaluator/README.md), as in production.
# EAGLE_DEMO_GATE=<file> picks another gate file.
GATE_ARGS=()
GATE="the default gate"
if [[ -n "${EAGLE_DEMO_GATE:-}" ]]; then
  GATE_ARGS=(-Deagle.evaluator.gate-file="$EAGLE_DEMO_GATE")
  GATE="$EAGLE_DEMO_GATE"
fi
COMMON=(-XX:+UseSerialGC -Dai.djl.offline=true)
start registry java -Xmx384m "${COMMON[@]}" -Dquarkus.profile=local -Dquarkus.http.port=8081 \
  -Dquarkus.datasource.jdbc.url="$JDBC" -Dkafka.bootstrap.servers="$BOOTSTRAP" \
  -jar registry/target/quarkus-app/quarkus-run.jar
start ingest java -Xmx512m "${COMMON[@]}" -Dquarkus.http.port=8082 \
  -Dkafka.bootstrap.servers="$BOOTSTRAP" -Dquarkus.kafka-streams.bootstrap-servers="$BOOTSTRAP" \
  -Dkafka-streams.state.dir="$STATE/ingest/kafka-streams" -Dkafka-streams.replication.factor=1 \
  -Deagle.blobs.dir="$STATE/blobs" \
  -jar ingest/target/quarkus-app/quarkus-run.jar
start trainer java -Xmx2g "${COMMON[@]}" -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dquarkus.profile=local -Dquarkus.http.port=8083 -Dkafka.bootstrap.servers="$BOOTSTRAP" \
  -Deagle.trainer.state-dir="$STATE/trainer" -Deagle.trainer.blob-root="$STATE/blobs" \
  -Deagle.trainer.base-dir=models/embedded-base \
  -Deagle.trainer.registry.url=http://localhost:8081 -Deagle.trainer.registry.token="$TOK_TRAINER" \
  -Deagle.trainer.registry.model="$MODEL" \
  -Deagle.trainer.round.min-samples=$(( IMAGES * 3 / 4 )) -Deagle.trainer.round.min-classes=2 \
  -Deagle.trainer.round.steps=${EAGLE_DEMO_STEPS:-300} -Deagle.trainer.round.batch=16 \
  ${EAGLE_DEMO_LR:+-Deagle.trainer.round.lr=$EAGLE_DEMO_LR} -Deagle.trainer.round.checkpoint-every=20 \
  -jar trainer/target/quarkus-app/quarkus-run.jar
start evaluator java -Xmx2g "${COMMON[@]}" -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dquarkus.profile=local -Dquarkus.http.port=8084 -Deagle.evaluator.public-url=http://localhost:8084 \
  -Deagle.evaluator.registry.url=http://localhost:8081 -Deagle.evaluator.registry.token="$TOK_EVALUATOR" \
  -Dkafka.bootstrap.servers="$BOOTSTRAP" -Deagle.evaluator.consumer-group=eagle-evaluator-demo \
  -Deagle.evaluator.base-dir=models/embedded-base -Deagle.evaluator.work-dir="$STATE/evaluator" \
  -Deagle.evaluator.suite.zero-shot-images=1000 -Deagle.evaluator.suite.pope-images=400 \
  -Deagle.evaluator.suite.calibration-images=150 -Deagle.evaluator.suite.mmvp-pairs-per-kind=20 \
  -Deagle.evaluator.suite.stats-scenes=500 -Deagle.evaluator.suite.bootstrap-resamples=200 \
  "${GATE_ARGS[@]}" \
  -jar evaluator/target/quarkus-app/quarkus-run.jar
start gateway java -Xmx1g "${COMMON[@]}" -Dai.djl.pytorch.num_threads=1 -Dquarkus.profile=local \
  -Dquarkus.http.port=8085 -Dkafka.bootstrap.servers="$BOOTSTRAP" \
  -Deagle.gateway.registry.url=http://localhost:8081 -Deagle.gateway.registry.token="$TOK_READ" \
  -Deagle.gateway.cache-dir="$STATE/gateway-cache" -Deagle.gateway.poll-interval=5s \
  -jar gateway/target/quarkus-app/quarkus-run.jar
for s in "${SERVICES[@]}"; do
  wait_http "$s" "http://localhost:${PORT[$s]}/" 180
done
say "all five services are up"
# the operator console (console/README.md): a page that reaches the services through its relay
start console java -Xmx256m "${COMMON[@]}" -Dquarkus.http.port=$CONSOLE_PORT -Deagle.console.model="$MODEL" \
  -Deagle.console.services.registry.read-token="$TOK_READ" \
  -jar console/target/quarkus-app/quarkus-run.jar
wait_http console "http://localhost:$CONSOLE_PORT/" 120
say "operator console: http://localhost:$CONSOLE_PORT/"

# ---- 4. seed, annotate, watch, summarise -------------------------------------------------------------
# in the background + wait, so that a SIGTERM to this script runs the trap at once (bash runs traps only
# between commands, and `wait` is interruptible)
java -cp "$DEMO_CP" eagle.demo.DemoDriver --model-registry http://localhost:8081 --ingest http://localhost:8082 \
  --trainer http://localhost:8083 --evaluator http://localhost:8084 --gateway http://localhost:8085 \
  --bootstrap "$BOOTSTRAP" --model "$MODEL" --base models/embedded-base/model.safetensors \
  --register-token "$TOK_SEED" --read-token "$TOK_READ" --source-dir "$STATE/source" \
  --images "$IMAGES" --timeout-s "$TIMEOUT_S" --gate "$GATE" &
DRIVER=$!
PIDS+=("$DRIVER"); NAMES+=(driver)
set +e
wait "$DRIVER"
rc=$?
set -e
if $KEEP; then
  trap - EXIT
  trap on_signal INT TERM
  say "the stack keeps running (pids in $STATE/pids); Ctrl-C stops it"
  say "operator console: http://localhost:$CONSOLE_PORT/"
  while true; do sleep 1; done
fi
exit $rc
