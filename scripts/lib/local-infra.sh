# Sourced by scripts/demo.sh and scripts/bench-gateway.sh: the local PostgreSQL and Kafka (eagle.infra.LocalInfra)
# as a background process. The caller defines INFRA_CP (the infra module's classpath) and die().

# launch_local_infra <state dir> <log file> <kafka port> <postgres port>: starts it in the background; sets INFRA_PID
launch_local_infra() {
  java -Xmx1g -cp "$INFRA_CP" eagle.infra.LocalInfra --dir "$1" \
    --kafka-port "$3" --pg-port "$4" --database registry > "$2" 2>&1 &
  INFRA_PID=$!
}

# await_local_infra <state dir> <log file> <seconds>: waits until it is up (or dies with its log);
# sets JDBC to the registry database's URL
await_local_infra() {
  local _
  for _ in $(seq $(($3 * 2))); do
    [[ -f "$1/infra.properties" ]] && break
    kill -0 "$INFRA_PID" 2>/dev/null || { cat "$2" >&2; die "LocalInfra exited"; }
    sleep 0.5
  done
  [[ -f "$1/infra.properties" ]] || die "LocalInfra did not start (log $2)"
  JDBC=$(grep '^postgres.jdbc.url.registry=' "$1/infra.properties" | cut -d= -f2- | sed 's/\\//g')
}
