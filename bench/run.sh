#!/usr/bin/env bash
# bench/run.sh hotroom [clients] [window] [seconds]
# Starts a private PostgreSQL and Redis on loopback (data in a temp folder), one silo and one
# front (cluster mode), and runs the hot-room benchmark twice in one run: with group commit,
# then with one commit per message. Everything it started is stopped at the end.
set -euo pipefail
scenario=${1:-hotroom}
clients=${2:-20} window=${3:-8} seconds=${4:-10}
[[ $scenario == hotroom ]] || { echo "usage: bench/run.sh hotroom [clients] [window] [seconds]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/install-deps.sh
dotnet build Orleans.sln -c Release -v q -nologo >/dev/null
dotnet build bench/Messaging.Bench -c Release -v q -nologo >/dev/null

tmp=$(mktemp -d /tmp/msg-bench-XXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n ${pgbin:-} ]] && $as_pg "$pgbin/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg=""
if [[ $(id -u) -eq 0 ]]; then chown postgres "$tmp"; as_pg="runuser -u postgres --"; fi
pgport=$(free_port) redisport=$(free_port) httpport=$(free_port)
$as_pg "$pgbin/initdb" -D "$tmp/pg" -U postgres --auth=trust -E UTF8 >/dev/null
$as_pg "$pgbin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -o "-p $pgport -k $tmp -c listen_addresses=127.0.0.1" start >/dev/null
redis-server --port "$redisport" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
pids+=($!)

key="bench-signing-key-0123456789abcdef0123456789"
export ConnectionStrings__Redis="127.0.0.1:$redisport"
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
export Orleans__AdvertisedIP=127.0.0.1 Orleans__ClusterId=bench Orleans__ServiceId=bench
export Orleans__SiloPort=$(free_port) Orleans__GatewayPort=$(free_port)

run() {
  local label=$1 group=$2
  Rooms__GroupCommit=$group dotnet Silo/bin/Release/net10.0/Silo.dll >"$tmp/silo-$label.log" 2>&1 &
  local silo=$!
  pids+=("$silo")
  until grep -q "Started silo" "$tmp/silo-$label.log"; do
    kill -0 "$silo" 2>/dev/null || { cat "$tmp/silo-$label.log" >&2; exit 1; }
    sleep 0.2
  done
  # Load clients send far above the per-connection command rate a person needs.
  Hosting__Mode=Cluster Auth__SigningKey=$key Limits__CommandsPerSecond=100000 Limits__CommandBurst=100000 dotnet WebFront/bin/Release/net10.0/WebFront.dll --urls "http://127.0.0.1:$httpport" >"$tmp/front-$label.log" 2>&1 &
  local front=$!
  pids+=("$front")
  until curl -sf "http://127.0.0.1:$httpport/readyz" >/dev/null; do
    kill -0 "$front" 2>/dev/null || { cat "$tmp/front-$label.log" >&2; exit 1; }
    sleep 0.2
  done
  dotnet bench/Messaging.Bench/bin/Release/net10.0/Messaging.Bench.dll hotroom --url "ws://127.0.0.1:$httpport/ws" --key "$key" \
    --clients "$clients" --window "$window" --seconds "$seconds" --label "$label" | tee -a "$tmp/results.txt" || true
  kill "$front" "$silo"; wait "$front" "$silo" 2>/dev/null || true
}

run group-commit true
run one-commit-per-message false
echo
echo "| run | clients x window | acked | acked/s | ack p50 | ack p99 | ack max | errors | seq gaps |"
echo "|---|---|---|---|---|---|---|---|---|"
grep '^|' "$tmp/results.txt"
