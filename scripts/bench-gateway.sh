#!/usr/bin/env bash
# ./eagle bench gateway [--duration 10] [--warmup 10] [--connections 16] [--large-connections 2] [--threads 1]
#                       [--rounds 3] [--no-large] [--hold]
#
# The gateway against nginx (Debian's package) serving the same file in the same run:
#   (a) full downloads of the weights: GET /v1/encoders/{name}/weights vs nginx GET of the same cache file
#       (requests/s and MB/s);
#   (b) conditional GETs answered 304: If-None-Match with the ETag each server gives (statuses counted by a
#       wrk Lua script: every answer must be 304);
#   (c) POST /v1/encoders/{name}/embed with a PNG of the synthetic world (requests/s; nginx has no
#       counterpart, so no ratio).
# Files: models/embedded-base (5.9 MB) and, unless --no-large, a randomly initialised ViT-B/16 CLIP
# (598 MB, written by scripts/bench/RandomClip.java). Same wrk threads/connections/duration for both
# servers; per case a warm-up run of each (the JVM's JIT needs it), then rounds alternating nginx and the
# gateway, medians reported (the machine may be shared). Starts LocalInfra (PostgreSQL + Kafka), the
# registry and the gateway fast-jars and nginx on free loopback ports; everything it started is stopped on
# exit. --hold leaves everything up (until Ctrl-C) for profiling by hand, before any measurement.
# EAGLE_GATEWAY_OPTS replaces the gateway's JVM options (default -Xmx1g), e.g. adding
# -Deagle.gateway.file-fast-path=false measures the REST path alone.
# Installs nginx-light and wrk with apt-get when missing (needs root). State: .eagle/bench/gateway.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/local-infra.sh
source "$ROOT/scripts/lib/local-infra.sh"
cd "$ROOT"
STATE="$ROOT/.eagle/bench/gateway"
LOGS="$STATE/logs"
DURATION=10
WARMUP=10
CONNS=16
LARGE_CONNS=2
THREADS=1
ROUNDS=3
LARGE=true
HOLD=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --large-connections) LARGE_CONNS=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --no-large) LARGE=false ;;
    --hold) HOLD=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench-gateway: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "bench-gateway: $*" >&2; exit 1; }

# ---- tools ---------------------------------------------------------------------------------------------
command -v java >/dev/null || die "java (17 or newer) is not installed"
command -v curl >/dev/null || die "curl is not installed"
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]] || ! command -v wrk >/dev/null; then
  [[ $EUID -eq 0 ]] || die "nginx and wrk are needed: sudo apt-get install -y nginx-light wrk"
  say "installing nginx and wrk (apt-get) ..."
  apt-get install -y -q nginx-light wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q nginx-light wrk >/dev/null; } \
    || apt-get install -y -q nginx wrk >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
INFRA_JAR=infra/target/eagle-infra-0.1.0-SNAPSHOT.jar
REG_JAR=registry/target/quarkus-app/quarkus-run.jar
GW_JAR=gateway/target/quarkus-app/quarkus-run.jar
for f in "$INFRA_JAR" "$REG_JAR" "$GW_JAR" demo/target/eagle-demo-0.1.0-SNAPSHOT.jar models/embedded-base/model.safetensors; do
  [[ -f "$f" ]] || die "$f is missing: build first (mvn -q -B -pl registry,gateway,infra,demo -am package -DskipTests)"
done
INFRA_CP="$INFRA_JAR:infra/target/lib/*"
DEMO_CP="demo/target/lib/*"
REG_CP="registry/target/quarkus-app/app/*:registry/target/quarkus-app/lib/boot/*:registry/target/quarkus-app/lib/main/*"

# ---- processes: everything started here is stopped on exit -----------------------------------------------
PIDS=()
INFRA_PID=""
wait_gone() { local pid=$1 n=$(( $2 * 5 )); while kill -0 "$pid" 2>/dev/null && (( n-- > 0 )); do sleep 0.2; done; ! kill -0 "$pid" 2>/dev/null; }
stop_all() {
  trap - INT TERM EXIT
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill -TERM "${PIDS[$i]}" 2>/dev/null || true; done
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do wait_gone "${PIDS[$i]}" 30 || kill -KILL "${PIDS[$i]}" 2>/dev/null || true; done
  if [[ -n "$INFRA_PID" ]]; then
    kill -TERM "$INFRA_PID" 2>/dev/null || true
    wait_gone "$INFRA_PID" 30 || kill -KILL "$INFRA_PID" 2>/dev/null || true
  fi
  local pm="$STATE/infra/postgres/data/postmaster.pid" pg
  if [[ -f "$pm" ]]; then
    pg=$(head -1 "$pm")
    if [[ -n "$pg" ]] && kill -0 "$pg" 2>/dev/null; then
      kill -TERM "$pg" 2>/dev/null || true
      wait_gone "$pg" 20 || kill -KILL "$pg" 2>/dev/null || true
    fi
  fi
  say "stopped everything this run started"
}
trap 'echo; stop_all; exit 130' INT TERM
trap stop_all EXIT
start() {   # start <name> <command...>
  local name=$1; shift
  "$@" > "$LOGS/$name.log" 2>&1 &
  PIDS+=("$!")
  say "started $name (pid $!, log $LOGS/$name.log)"
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {   # a free loopback port from a random start in 20000-29999, not one taken by this run
  local p=$(( 20000 + RANDOM % 10000 ))
  while ! port_free "$p" || [[ " ${TAKEN:-} " == *" $p "* ]]; do p=$(( p + 1 )); done
  TAKEN="${TAKEN:-} $p"
  echo "$p"
}
wait_http() {   # wait_http <url> <seconds> <pid> <log>
  local n=$2
  while (( n-- > 0 )); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" == 200 ]] && return 0
    kill -0 "$3" 2>/dev/null || { tail -30 "$4" >&2; die "process $3 exited (log $4)"; }
    sleep 1
  done
  tail -30 "$4" >&2
  die "$1 did not answer 200 within $2 s"
}

rm -rf "$STATE"
mkdir -p "$LOGS" "$STATE/work"
KAFKA_PORT=$(free_port); PG_PORT=$(free_port); REG_PORT=$(free_port); GW_PORT=$(free_port); NGINX_PORT=$(free_port)

# ---- the files -----------------------------------------------------------------------------------------
BASE_FILE=models/embedded-base/model.safetensors
LARGE_FILE="$ROOT/.eagle/bench/models/vit-b16-random.safetensors"
if $LARGE && [[ ! -f "$LARGE_FILE" ]]; then
  say "writing a randomly initialised ViT-B/16 CLIP (about 600 MB) ..."
  java -Xmx6g -Dai.djl.offline=true -cp "$DEMO_CP" scripts/bench/RandomClip.java ViT-B-16 7 "$LARGE_FILE" \
    > "$LOGS/random-clip.log" 2>&1 || { cat "$LOGS/random-clip.log" >&2; die "cannot write the ViT-B/16 file"; }
fi
java -cp "$DEMO_CP" eagle.scenes.cli.ExportCoco --seed 0 --count 1 --out "$STATE/work/scene" > "$LOGS/export.log" 2>&1 \
  || { cat "$LOGS/export.log" >&2; die "cannot render a scene PNG"; }
PNG=$(find "$STATE/work/scene" -name '*.png' | head -1)
[[ -n "$PNG" ]] || die "no PNG in $STATE/work/scene"

# ---- PostgreSQL, Kafka, registry ---------------------------------------------------------------------------
launch_local_infra "$STATE/infra" "$LOGS/infra.log" "$KAFKA_PORT" "$PG_PORT"
say "started LocalInfra (pid $INFRA_PID, Kafka :$KAFKA_PORT, PostgreSQL :$PG_PORT)"
await_local_infra "$STATE/infra" "$LOGS/infra.log" 120
BOOTSTRAP="localhost:$KAFKA_PORT"
COMMON=(-Dai.djl.offline=true)
start registry java -Xmx384m -XX:+UseSerialGC "${COMMON[@]}" -Dquarkus.profile=local -Dquarkus.http.port="$REG_PORT" \
  -Dquarkus.datasource.jdbc.url="$JDBC" -Dkafka.bootstrap.servers="$BOOTSTRAP" -jar "$REG_JAR"
REG_PID=${PIDS[-1]}

token() { java -cp "$REG_CP" eagle.registry.security.DevTokens "$1" "$2" 86400; }
TOK_REGISTER=$(token bench registry.read,registry.register)
TOK_EVALUATE=$(token bench registry.evaluate)
TOK_ALIAS=$(token bench registry.alias)
TOK_READ=$(token gateway registry.read)
wait_http "http://localhost:$REG_PORT/q/health/ready" 180 "$REG_PID" "$LOGS/registry.log"
API="http://localhost:$REG_PORT/api/v1"

call() {   # call <method> <path> <token> <json> <expected status>
  local out code
  out=$(curl -s -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    --data "$4" "$API$2")
  code=${out##*$'\n'}
  [[ "$code" == "$5" ]] || die "$1 $2 answered $code (expected $5): ${out%$'\n'*}"
  printf '%s' "${out%$'\n'*}"
}
in_production() {   # in_production <model> <file> <preset>: create, register, upload, bless, promote
  local model=$1 file=$2 preset=$3 sha size body version
  sha=$(sha256sum "$file" | cut -d' ' -f1)
  size=$(stat -c %s "$file")
  call POST /models "$TOK_REGISTER" "{\"name\":\"$model\",\"description\":\"gateway benchmark\"}" 201 >/dev/null
  body="{\"parentVersion\":null,\"sha256\":\"$sha\",\"sizeBytes\":$size,\"format\":\"safetensors\",\"architecture\":{\"preset\":\"$preset\"},\"trainingRun\":{\"runId\":\"bench-${sha:0:8}\",\"parameters\":{},\"dataManifest\":[]}}"
  version=$(call POST "/models/$model/versions" "$TOK_REGISTER" "$body" 201 | sed -E 's/.*"version" *: *([0-9]+).*/\1/')
  code=$(curl -s -o "$LOGS/upload-$model.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $TOK_REGISTER" \
    -H 'Content-Type: application/octet-stream' --data-binary "@$file" "$API/models/$model/versions/$version/artifact")
  [[ "$code" == 200 ]] || die "upload of $file answered $code: $(cat "$LOGS/upload-$model.json")"
  call POST "/models/$model/versions/$version/evaluations" "$TOK_EVALUATE" \
    '{"suiteId":"bench","metrics":{"zeroshot.cls":0.32},"thresholds":{},"slices":[{"slice":"zeroshot/cls","passed":true}],"passed":true}' 201 >/dev/null
  call PUT "/models/$model/aliases/production" "$TOK_ALIAS" "{\"version\":$version,\"reason\":\"gateway benchmark\"}" 200 >/dev/null
  say "$model: version $version ($size bytes, sha256 ${sha:0:12}) blessed and in production"
}
MODELS=(bench-base)
in_production bench-base "$BASE_FILE" tiny
if $LARGE; then
  MODELS+=(bench-vitb16)
  in_production bench-vitb16 "$LARGE_FILE" ViT-B-16
fi

# ---- gateway and nginx ---------------------------------------------------------------------------------
CACHE="$STATE/gateway-cache"
start gateway java ${EAGLE_GATEWAY_OPTS:--Xmx1g} "${COMMON[@]}" -Dai.djl.pytorch.num_threads=1 \
  -Dai.djl.pytorch.num_interop_threads=1 -Dquarkus.profile=local -Dquarkus.http.port="$GW_PORT" \
  -Dkafka.bootstrap.servers="$BOOTSTRAP" -Deagle.gateway.registry.url="http://localhost:$REG_PORT" -Deagle.gateway.registry.token="$TOK_READ" \
  -Deagle.gateway.cache-dir="$CACHE" -Deagle.gateway.poll-interval=1h -Deagle.gateway.models="$(IFS=,; echo "${MODELS[*]}")" \
  -jar "$GW_JAR"
GW_PID=${PIDS[-1]}
wait_http "http://localhost:$GW_PORT/q/health/ready" 600 "$GW_PID" "$LOGS/gateway.log"
GW="http://127.0.0.1:$GW_PORT/v1/encoders"

mkdir -p "$STATE/nginx/tmp" "$STATE/nginx/logs"
cat > "$STATE/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
$( [[ $EUID -eq 0 ]] && echo "user root;" )
pid $STATE/nginx/nginx.pid;
error_log $STATE/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  etag on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path $STATE/nginx/tmp/body;
  proxy_temp_path $STATE/nginx/tmp/proxy;
  fastcgi_temp_path $STATE/nginx/tmp/fastcgi;
  uwsgi_temp_path $STATE/nginx/tmp/uwsgi;
  scgi_temp_path $STATE/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $CACHE;
    location / { }
  }
}
EOF
start nginx "$NGINX" -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" -e "$STATE/nginx/logs/error.log"
NGINX_PID=${PIDS[-1]}
for _ in $(seq 50); do port_free "$NGINX_PORT" || break; sleep 0.1; done
NG="http://127.0.0.1:$NGINX_PORT"
if $HOLD; then   # for profiling by hand: everything stays up until Ctrl-C
  say "holding: gateway $GW (pid $GW_PID), nginx $NG/<sha256>.safetensors, registry $API; Ctrl-C stops"
  while true; do sleep 1; done
fi

# ---- wrk scripts -----------------------------------------------------------------------------------------
cat > "$STATE/work/status.lua" <<'EOF'
-- counts the status of every answer; prints "statuses: 304=N ..." at the end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for s, n in pairs(t:get("counts")) do all[s] = (all[s] or 0) + n end
  end
  local parts = {}
  for s, n in pairs(all) do table.insert(parts, s .. "=" .. n) end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, " ") .. "\n")
end
EOF
# embed.lua: status.lua's counting, plus an init (a later definition replaces the first) and a request
# that POST the PNG named by the first script argument
{ cat "$STATE/work/status.lua"; cat <<'EOF'; } > "$STATE/work/embed.lua"
function init(args)
  counts = {}
  local f = assert(io.open(args[1], "rb"))
  local png = f:read("*all")
  f:close()
  req = wrk.format("POST", nil, {["Content-Type"] = "image/png"}, png)
end
function request() return req end
EOF

WRK=(wrk -t"$THREADS" --timeout 120s)
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
bad() { sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1"; }
errs() { grep -E '^ *Socket errors' "$1" || true; }
statuses() { sed -n 's/^statuses: //p' "$1"; }
run_wrk() {   # run_wrk <out> <seconds> <expected status or ""> <wrk args...>
  local out=$1 secs=$2 status=$3 e b s; shift 3
  "${WRK[@]}" "${WRK_OPTS[@]}" -d"${secs}s" "$@" > "$out" 2>&1 || die "wrk failed: $(cat "$out")"
  e=$(errs "$out"); b=$(bad "$out")
  [[ -z "$e" ]] || say "$(basename "$out"): $e"
  [[ -z "$b" ]] || die "$(basename "$out"): $b answers were not 2xx/3xx"
  if [[ -n "$status" ]]; then
    s=$(statuses "$out")
    [[ "$s" =~ ^$status=[0-9]+$ ]] || die "$(basename "$out"): expected only $status answers, got: $s"
  fi
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
compare() {   # compare <label> <seconds> <expected status or "">: nginx with NG_ARGS, gateway with GW_ARGS
  local label=$1 secs=$2 status=$3 round ng=() gw=() rs=()
  run_wrk "$LOGS/wrk-$label-nginx-warmup.txt" "$WARMUP" "$status" "${NG_ARGS[@]}"
  run_wrk "$LOGS/wrk-$label-gateway-warmup.txt" "$WARMUP" "$status" "${GW_ARGS[@]}"
  for ((round = 1; round <= ROUNDS; round++)); do
    run_wrk "$LOGS/wrk-$label-nginx-$round.txt" "$secs" "$status" "${NG_ARGS[@]}"
    run_wrk "$LOGS/wrk-$label-gateway-$round.txt" "$secs" "$status" "${GW_ARGS[@]}"
    ng+=("$(rps "$LOGS/wrk-$label-nginx-$round.txt")"); gw+=("$(rps "$LOGS/wrk-$label-gateway-$round.txt")")
    rs+=("$(ratio "${gw[-1]}" "${ng[-1]}")")
  done
  NG_RPS=$(printf '%s\n' "${ng[@]}" | median); GW_RPS=$(printf '%s\n' "${gw[@]}" | median)
  RATIO=$(ratio "$GW_RPS" "$NG_RPS")
  ROUND_RATIOS=$(IFS=' '; echo "${rs[*]}")
  awk -v r="$RATIO" 'BEGIN { exit !(r < 0.8) }' && GOALS_MET=false
  say "$label: nginx ${ng[*]} req/s, gateway ${gw[*]} req/s, ratio of medians $RATIO"
}
etag_of() { curl -s -D - -o /dev/null "$1" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p'; }
mbs() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.0f", r * s / 1e6 }'; }

ROWS=()
GOALS_MET=true
for model in "${MODELS[@]}"; do
  sha=$(curl -s -D - -o /dev/null "$GW/$model/weights" | tr -d '\r' | sed -n 's/^X-Eagle-Sha256: *//Ip')
  [[ -n "$sha" ]] || die "the gateway did not name the digest of $model"
  file="$CACHE/$sha.safetensors"
  size=$(stat -c %s "$file")
  mb=$(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }')
  # both servers send exactly the registered bytes
  [[ "$(curl -s "$GW/$model/weights" | sha256sum | cut -d' ' -f1)" == "$sha" ]] || die "gateway body of $model differs"
  [[ "$(curl -s "$NG/$sha.safetensors" | sha256sum | cut -d' ' -f1)" == "$sha" ]] || die "nginx body of $model differs"
  gw_etag=$(etag_of "$GW/$model/weights"); ng_etag=$(etag_of "$NG/$sha.safetensors")
  # a 600 MB body takes seconds: fewer connections and a longer run, so that enough requests complete
  if (( size > 100000000 )); then WRK_OPTS=(-c"$LARGE_CONNS"); secs=$(( DURATION * 2 )); else WRK_OPTS=(-c"$CONNS"); secs=$DURATION; fi
  say "$model ($mb): full downloads, wrk ${WRK_OPTS[*]} -d${secs}s ..."
  NG_ARGS=("$NG/$sha.safetensors"); GW_ARGS=("$GW/$model/weights")
  compare "$model-get" "$secs" ""
  ROWS+=("| $model weights, full GET ($mb), -c${WRK_OPTS[0]#-c} | $NG_RPS/s, $(mbs "$NG_RPS" "$size") MB/s | $GW_RPS/s, $(mbs "$GW_RPS" "$size") MB/s | **$RATIO** | $ROUND_RATIOS |")
  WRK_OPTS=(-c"$CONNS")
  say "$model: If-None-Match → 304 (gateway $gw_etag, nginx $ng_etag) ..."
  NG_ARGS=(-s "$STATE/work/status.lua" -H "If-None-Match: $ng_etag" "$NG/$sha.safetensors")
  GW_ARGS=(-s "$STATE/work/status.lua" -H "If-None-Match: $gw_etag" "$GW/$model/weights")
  compare "$model-304" "$DURATION" 304
  ROWS+=("| $model weights, If-None-Match → 304, -c$CONNS | $NG_RPS/s | $GW_RPS/s | **$RATIO** | $ROUND_RATIOS |")
done
say "embed (bench-base, $(stat -c %s "$PNG")-byte PNG) ..."
code=$(curl -s -o "$STATE/work/embed.json" -w '%{http_code}' -H 'Content-Type: image/png' --data-binary "@$PNG" "$GW/bench-base/embed")
[[ "$code" == 200 ]] || die "embed answered $code: $(cat "$STATE/work/embed.json")"
WRK_OPTS=(-c"$CONNS")
run_wrk "$LOGS/wrk-embed-warmup.txt" "$WARMUP" 200 -s "$STATE/work/embed.lua" "$GW/bench-base/embed" -- "$PNG"
em=()
for ((round = 1; round <= ROUNDS; round++)); do
  run_wrk "$LOGS/wrk-embed-$round.txt" "$DURATION" 200 -s "$STATE/work/embed.lua" "$GW/bench-base/embed" -- "$PNG"
  em+=("$(rps "$LOGS/wrk-embed-$round.txt")")
done
EM=$(printf '%s\n' "${em[@]}" | median)
ROWS+=("| bench-base embed, POST $(stat -c %s "$PNG")-byte PNG (tiny CLIP, 64 px), -c$CONNS | (no counterpart) | $EM/s | — | ${em[*]} req/s |")

echo
echo "gateway vs nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), wrk -t$THREADS, ${WARMUP}s warm-up per server and case, then $ROUNDS rounds of ${DURATION}s alternating nginx/gateway (large file: -c$LARGE_CONNS, $(( DURATION * 2 ))s); medians; $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | nginx | gateway | gateway/nginx (medians) | per-round ratios |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
if $GOALS_MET; then echo "goal (each ratio >= 0.8): met"; else echo "goal (each ratio >= 0.8): MISSED"; fi
echo "wrk outputs: $LOGS"
