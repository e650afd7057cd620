#!/usr/bin/env bash
# The whole-box figures of bench/README.md: starts `pushwire box` (media driver, dispatch with its store on
# disk, gateways as child JVMs), runs `pushwire sim` scenarios against it, prints one summary line per run
# and stops the box (SIGTERM to the box's own pid; it stops its children in order). Bounded: every sim run
# has its own --timeout, the whole script stops after BENCH_DEADLINE seconds (default 900).
#
#   bench/box-sim.sh unicast-rate [runs] [rate]      # latency at a fixed rate (default 20000/s), 10,000 devices
#   bench/box-sim.sh unicast-full [runs]             # pushes accepted, stored and delivered at full rate
#   bench/box-sim.sh broadcast [runs] [ack-delay]    # broadcasts to 19,000 devices over 2 workers (5 warm-up, 3 measured)
#
# Environment: GATEWAYS (default 2), DATA_DIR (default a fresh directory under /tmp, removed afterwards),
# SIM_OPTS (more sim options), BOX_OPTS (more box options).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
pushwire="$root/bin/pushwire"
scenario=${1:?usage: box-sim.sh unicast-rate|unicast-full|broadcast [runs] [rate|ack-delay]}
runs=${2:-3}
deadline=$(( $(date +%s) + ${BENCH_DEADLINE:-900} ))
data_dir=${DATA_DIR:-$(mktemp -d /tmp/pushwire-bench.XXXXXX)}
out_dir=$(mktemp -d /tmp/pushwire-bench-out.XXXXXX)

box_pid=""
cleanup() {
  if [ -n "$box_pid" ] && kill -0 "$box_pid" 2>/dev/null; then
    kill -TERM "$box_pid"
    for _ in $(seq 60); do kill -0 "$box_pid" 2>/dev/null || break; sleep 0.5; done
  fi
  [ -z "${DATA_DIR:-}" ] && rm -rf "$data_dir"
  rm -rf "$out_dir"
}
trap cleanup EXIT

# shellcheck disable=SC2086
"$pushwire" box --data-dir "$data_dir" --gateways "${GATEWAYS:-2}" ${BOX_OPTS:-} > "$out_dir/box.log" 2>&1 &
box_pid=$!
for _ in $(seq 120); do
  grep -q "box: ready" "$out_dir/box.log" && break
  kill -0 "$box_pid" 2>/dev/null || { cat "$out_dir/box.log"; exit 1; }
  sleep 0.5
done
grep -q "box: ready" "$out_dir/box.log" || { echo "box-sim: the box did not get ready" >&2; cat "$out_dir/box.log"; exit 1; }
echo "box-sim: box pid $box_pid, store in $data_dir/store, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

for run in $(seq "$runs"); do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "box-sim: deadline reached"; break; }
  log="$out_dir/run-$run.log"
  case "$scenario" in
    unicast-rate)
      # shellcheck disable=SC2086
      timeout 300 "$pushwire" sim --scenario unicast --connections 10000 --duration 20s --rate "${3:-20000}" \
        --timeout 240s --output "$out_dir/result-$run.json" ${SIM_OPTS:-} > "$log" 2>&1 || true
      echo "run $run: $(grep -o 'accepted .*end to end)' "$log") | $(grep -o 'unicast push to device: .*' "$log")";;
    unicast-full)
      # shellcheck disable=SC2086
      timeout 300 "$pushwire" sim --scenario unicast --connections 10000 --duration 20s \
        --timeout 240s --output "$out_dir/result-$run.json" ${SIM_OPTS:-} > "$log" 2>&1 || true
      echo "run $run: $(grep -o 'accepted .*end to end)' "$log") | $(grep -o 'errors {.*}' "$log" || echo 'no errors')";;
    broadcast)
      # shellcheck disable=SC2086
      timeout 300 "$pushwire" sim --scenario broadcast --connections 19000 --per-worker 9500 --ack-delay "${3:-0ms}" \
        --timeout 240s --output "$out_dir/result-$run.json" ${SIM_OPTS:-} > "$log" 2>&1 || true
      echo "run $run: $(grep -o 'complete in [0-9.]* ms' "$log" | tr '\n' ' ')| $(grep -o 'median .*' "$log") | $(grep -o 'receipt: .*' "$log")";;
    *) echo "box-sim: unknown scenario $scenario" >&2; exit 2;;
  esac
  grep -q "sim: " "$log" || { echo "box-sim: the sim said nothing:"; cat "$log"; }
done
echo "box-sim: load after $(cut -d' ' -f1-3 /proc/loadavg)"
