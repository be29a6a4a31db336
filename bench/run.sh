#!/usr/bin/env bash
# bench/run.sh SCENARIO [tool flags]            the platform (cluster mode: 1 silo, 1 front)
# bench/run.sh baseline SCENARIO [tool flags]   SignalR + Redis (bench/baselines/signalr-redis)
# bench/run.sh compare SCENARIO [tool flags]    both in turn, in one run, then the ratios
# bench/run.sh ab REV SCENARIO [tool flags]      the platform at git REV, then the working tree, in one run
# SCENARIO: fanout | chat | game | hotroom | idle | storm (see bench/README.md).
# Starts a private PostgreSQL (synchronous commit on, the default) and Redis on loopback with
# data in a temp folder, and stops everything it started at the end. JSON reports are written
# to bench/results/ (not committed), with the servers' logs. BENCH_SERVER_ENV='K=V ...' sets
# environment variables for our silo and front only (runtime knobs), not for the tool;
# BENCH_SILO_ENV and BENCH_FRONT_ENV set them for one of the two (say, a JIT log file each).
# BENCH_PG_OPTS='-c name=value ...' adds PostgreSQL settings (say, a wal_sync_method to compare).
# BENCH_ROUNDS=N makes ab and compare run N pairs, each in the other order from the last
# (A B B A A B ...), then print every metric's mean over the rounds with each round's ratio.
# BENCH_ABBA=1 is BENCH_ROUNDS=2.
# BENCH_TOGETHER=1 makes ab and compare run the two targets at the same time, side by side, each
# with its own PostgreSQL and Redis: both then see the same VM, which drifts by 10-40 % within
# minutes here. Each side has the cores half the time, so its figures are not a solo run's; the
# ratio is what it is for (two runs of the same code side by side agreed within 0.1-5 %).
set -euo pipefail
mode=ours
case ${1:-} in
  compare|baseline) mode=$1; shift ;;
  ab) mode=ab; rev=${2:?ab needs a git revision}; shift 2 ;;
esac
scenario=${1:-}
rounds=${BENCH_ROUNDS:-1}
[[ -n ${BENCH_ABBA:-} && $rounds == 1 ]] && rounds=2
[[ $rounds =~ ^[1-9][0-9]?$ ]] || { echo "BENCH_ROUNDS must be a number from 1 to 99" >&2; exit 2; }
[[ $scenario =~ ^(fanout|chat|game|hotroom|idle|storm)$ ]] || { sed -n '2,7p' "$0" >&2; exit 2; }
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# A side of a side-by-side run (BENCH_TOGETHER) finds everything installed and built.
if [[ -z ${BENCH_SIDE:-} ]]; then
  bash scripts/install-deps.sh
  dotnet build Orleans.sln -c Release -v q -nologo >/dev/null
  dotnet build bench/Messaging.Bench -c Release -v q -nologo >/dev/null
  dotnet build bench/baselines/signalr-redis -c Release -v q -nologo >/dev/null
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
tool=(dotnet bench/Messaging.Bench/bin/Release/net10.0/Messaging.Bench.dll)

tmp=$(mktemp -d /tmp/msg-bench-XXXX)
out=$root/bench/results
mkdir -p "$out"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n ${pgbin:-} ]] && $as_pg "$pgbin/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null 2>&1 || true
  cp "$tmp"/*.log "$out/" 2>/dev/null || true
  [[ $mode == ab ]] && git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { "${tool[@]}" free-port; }
round_suffix() { [[ $1 == 1 ]] || echo "-$1"; } # round 1's reports keep the plain names
wait_ready() { # url pid log
  for _ in $(seq 1 600); do
    curl -sf "$1" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "not ready: $1" >&2; exit 1
}

checkout_base() { # ab's REV, built, in $tmp/base
  git worktree add --detach "$tmp/base" "$rev" >/dev/null 2>&1
  dotnet build "$tmp/base/Orleans.sln" -c Release -v q -nologo >/dev/null
}

if [[ -n ${BENCH_TOGETHER:-} && $mode =~ ^(ab|compare)$ ]]; then
  [[ $mode == ab ]] && checkout_base
  flags=("$@")
  side() { # tag mode binaries-root: one side, in the background, its report to a file
    local which=(); [[ $2 == baseline ]] && which=(baseline)
    BENCH_SIDE=1 BENCH_TAG=$1 BENCH_BIN=$3 bash "$root/bench/run.sh" "${which[@]}" "$scenario" "${flags[@]}" >"$out/$scenario-$1.txt" 2>&1 &
  }
  reports=()
  for ((round = 1; round <= rounds; round++)); do
    suffix=$(round_suffix "$round")
    if [[ $mode == ab ]]; then a=(ours$suffix ours "$root") b=(before$suffix ours "$tmp/base"); else a=(ours$suffix ours "$root") b=(signalr-redis$suffix baseline "$root"); fi
    # Even rounds start the other side first; the 2 s apart keep their start-ups (and port
    # choices) from colliding, and the measured windows still overlap by all but 2 s.
    if ((round % 2 == 0)); then first=("${b[@]}") second=("${a[@]}"); else first=("${a[@]}") second=("${b[@]}"); fi
    side "${first[@]}"
    sleep 2
    side "${second[@]}"
    wait
    cat "$out/$scenario-${first[0]}.txt" "$out/$scenario-${second[0]}.txt"
    "${tool[@]}" compare "$out/$scenario-${a[0]}.json" "$out/$scenario-${b[0]}.json"
    reports+=("$out/$scenario-${a[0]}.json" "$out/$scenario-${b[0]}.json")
  done
  ((rounds == 1)) || "${tool[@]}" compare "${reports[@]}"
  exit 0
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg=""
if [[ $(id -u) -eq 0 ]]; then chown postgres "$tmp"; as_pg="runuser -u postgres --"; fi
pgport=$(free_port) redisport=$(free_port) httpport=$(free_port)
$as_pg "$pgbin/initdb" -D "$tmp/pg" -U postgres --auth=trust -E UTF8 >/dev/null
$as_pg "$pgbin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -o "-p $pgport -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=200 ${BENCH_PG_OPTS:-}" start >/dev/null
pgpid=$(head -n 1 "$tmp/pg/postmaster.pid")
redis-server --port "$redisport" --bind 127.0.0.1 --save "" --appendonly no >"$tmp/redis.log" 2>&1 &
redispid=$!
pids+=("$redispid")

key="bench-signing-key-0123456789abcdef0123456789"
export ConnectionStrings__Redis="127.0.0.1:$redisport"
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres;Maximum Pool Size=${BENCH_PG_POOL:-16}"
export Orleans__AdvertisedIP=127.0.0.1 Orleans__ClusterId=bench Orleans__ServiceId=bench
export Orleans__SiloPort=$(free_port) Orleans__GatewayPort=$(free_port)
export Auth__SigningKey=$key

run_ours() { # [tag] [binaries root]
  local tag=${1:-ours} bin=${2:-$root}
  shift $(( $# < 2 ? $# : 2 ))
  env ${BENCH_SERVER_ENV:-} ${BENCH_SILO_ENV:-} dotnet "$bin/Silo/bin/Release/net10.0/Silo.dll" --urls "http://127.0.0.1:$(free_port)" >"$tmp/silo-$tag.log" 2>&1 &
  local silo=$!
  pids+=("$silo")
  until grep -qs "Started silo" "$tmp/silo-$tag.log"; do
    kill -0 "$silo" 2>/dev/null || { cat "$tmp/silo-$tag.log" >&2; exit 1; }
    sleep 0.2
  done
  # Load clients send far above the per-connection command rate a person needs. idle starts from
  # a cold front, as before the warm-up existed; the tool's own base wave (see bench/README.md)
  # is what puts one-off costs before its "before" sample, the same way on both targets.
  local warm=WarmUp__Enabled=true
  [[ $scenario == idle ]] && warm=WarmUp__Enabled=false
  Hosting__Mode=Cluster Limits__CommandsPerSecond=100000 Limits__CommandBurst=100000 \
    env $warm ${BENCH_SERVER_ENV:-} ${BENCH_FRONT_ENV:-} dotnet "$bin/WebFront/bin/Release/net10.0/WebFront.dll" --urls "http://127.0.0.1:$httpport" >"$tmp/front-$tag.log" 2>&1 &
  local front=$!
  pids+=("$front")
  wait_ready "http://127.0.0.1:$httpport/readyz" "$front" "$tmp/front-$tag.log"
  if [[ -n ${BENCH_HOLD:-} ]]; then echo "holding: silo $silo front $front pg $pgpid http $httpport" >&2; sleep "$BENCH_HOLD"; fi
  "${tool[@]}" "$scenario" --target ours --url "ws://127.0.0.1:$httpport/ws" --key "$key" \
    --pids "$silo,$front,$pgpid,$redispid" --json "$out/$scenario-$tag.json" --label "$tag: 1 silo + 1 front + PostgreSQL + Redis" "$@" | tail -n +2 || true
  kill "$front" "$silo"; wait "$front" "$silo" 2>/dev/null || true
}

run_baseline() { # [json name suffix]
  local suffix=${1:-}
  [[ $# -gt 0 ]] && shift
  dotnet bench/baselines/signalr-redis/bin/Release/net10.0/SignalRBaseline.dll --urls "http://127.0.0.1:$httpport" >"$tmp/baseline$suffix.log" 2>&1 &
  local app=$!
  pids+=("$app")
  wait_ready "http://127.0.0.1:$httpport/healthz" "$app" "$tmp/baseline$suffix.log"
  "${tool[@]}" "$scenario" --target signalr --url "ws://127.0.0.1:$httpport/hub" --key "$key" \
    --pids "$app,$redispid" --json "$out/$scenario-signalr-redis$suffix.json" --label "SignalR + Redis backplane" "$@" | tail -n +2 || true
  kill "$app"; wait "$app" 2>/dev/null || true
}

case $mode in
  ours) run_ours "${BENCH_TAG:-ours}" "${BENCH_BIN:-$root}" "$@" ;;
  baseline) tag=${BENCH_TAG:-signalr-redis}; run_baseline "${tag#signalr-redis}" "$@" ;;
  ab|compare)
    [[ $mode == ab ]] && checkout_base
    reports=()
    for ((round = 1; round <= rounds; round++)); do
      suffix=$(round_suffix "$round")
      # Each round in the other order from the last (ab runs the base first): the run that goes
      # second pays for the first one's database growth, and this VM drifts by 10-20 % within
      # minutes, so one pair decides nothing at a ratio near 1.
      # odd: the side that goes first in odd rounds; other: its report's name for the comparison.
      if [[ $mode == ab ]]; then
        odd=(run_ours "before$suffix" "$tmp/base") even=(run_ours "ours$suffix" "$root") other=before$suffix
      else
        odd=(run_ours "ours$suffix" "$root") even=(run_baseline "$suffix") other=signalr-redis$suffix
      fi
      if ((round % 2)); then "${odd[@]}" "$@"; "${even[@]}" "$@"; else "${even[@]}" "$@"; "${odd[@]}" "$@"; fi
      "${tool[@]}" compare "$out/$scenario-ours$suffix.json" "$out/$scenario-$other.json"
      reports+=("$out/$scenario-ours$suffix.json" "$out/$scenario-$other.json")
    done
    ((rounds == 1)) || "${tool[@]}" compare "${reports[@]}"
    ;;
esac
