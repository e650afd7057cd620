#!/usr/bin/env bash
# Tests for native-tuning. Single entry point: native-tuning/tests/run.sh
#
# State-changing steps run only inside network namespaces created here
# (ip netns + a veth pair, 10.213.0.0/30 inside them); the host's routes,
# sysctls and IRQ affinities are only read, and the tests check that they
# are unchanged. Tests that need root are skipped when not root.
# Last line of output: "N passed, M failed, K skipped".
# VERBOSE=1 also prints the output of passing tests (measured rto values etc).
set -euo pipefail

TESTS_DIR=$(dirname "$(readlink -f "$0")")
ND=$(dirname "$TESTS_DIR")
FIX=$TESTS_DIR/fixtures
TMP=$(mktemp -d /tmp/pushwire-tuning-test.XXXXXX)
NS_A=pwt$$a
NS_B=pwt$$b
VETH_A=pwt$$va
VETH_B=pwt$$vb
ADDR_A=10.213.0.1
ADDR_B=10.213.0.2
PORT=7411
PORT2=7412
NS_MADE=0
PIDS=()
PASSED=0 FAILED=0 SKIPPED=0

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ $NS_MADE -eq 1 ]]; then
        ip netns del "$NS_A" 2>/dev/null || true
        ip netns del "$NS_B" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

is_root() { [[ $(id -u) -eq 0 ]]; }

# run_test NAME FUNCTION: the function prints its own diagnostics and
# returns 0 (pass), 1 (fail) or 77 (skip, first output line = reason).
run_test() {
    local name=$1 fn=$2 rc=0 log=$TMP/$2.log
    "$fn" >"$log" 2>&1 || rc=$?
    case $rc in
    0)
        PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$name"
        if [[ ${VERBOSE:-0} -eq 1 ]]; then sed 's/^/    | /' "$log"; fi
        ;;
    77) SKIPPED=$((SKIPPED + 1)); printf 'SKIP %s: %s\n' "$name" "$(head -n1 "$log")" ;;
    *) FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$name"; sed 's/^/    | /' "$log" | tail -n 40 ;;
    esac
}

skip() { printf '%s\n' "$1"; return 77; }
need_root_or_skip() { is_root || skip "needs root (network namespaces); run as root"; }

# expect DESCRIPTION CMD... : run CMD; on failure say what was expected.
expect() {
    local what=$1
    shift
    if "$@"; then return 0; fi
    printf 'expected: %s\n  command: %s\n' "$what" "$*"
    return 1
}
contains() { grep -qE -- "$2" <<<"$1"; }
lacks() { ! grep -qE -- "$2" <<<"$1"; }

host_irq_snapshot() {
    local f
    for f in /proc/irq/[0-9]*/smp_affinity_list; do
        printf '%s %s\n' "$f" "$(cat "$f" 2>/dev/null)"
    done
}
host_sysctl_snapshot() {
    local key
    for key in $(grep -E '^[a-z]' "$ND/sysctl-push.conf" | cut -d= -f1) net.ipv4.tcp_rto_min_us; do
        printf '%s=%s\n' "$key" "$(cat "/proc/sys/${key//.//}" 2>/dev/null)"
    done
}
HOST_ROUTES_BEFORE=$(ip route show table all 2>/dev/null; ip -6 route show table all 2>/dev/null)
HOST_SYSCTL_BEFORE=$(host_sysctl_snapshot)

# ---- shellcheck ---------------------------------------------------------------

t_shellcheck() {
    if ! command -v shellcheck >/dev/null 2>&1; then
        is_root || skip "shellcheck not installed and not root to install it"
        echo "installing shellcheck with apt-get" >&2
        if ! { timeout 120 apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
            { timeout 120 apt-get update -qq >/dev/null 2>&1 &&
                timeout 120 apt-get install -y -qq shellcheck >/dev/null 2>&1; }; }; then
            skip "shellcheck missing and 'apt-get install shellcheck' failed"
        fi
    fi
    (cd "$ND" && shellcheck -x lib.sh irq-affinity.sh tcp-rto.sh apply-sysctls.sh tests/run.sh)
}

# ---- command line basics ---------------------------------------------------------

t_help_and_usage_errors() {
    local s out rc
    for s in irq-affinity.sh tcp-rto.sh apply-sysctls.sh; do
        out=$("$ND/$s" --help) || { echo "$s --help failed"; return 1; }
        expect "$s --help prints Usage" contains "$out" '^Usage:' || return 1
        rc=0; "$ND/$s" --no-such-option >/dev/null 2>&1 || rc=$?
        expect "$s rejects a bad option with exit 2 (got $rc)" test "$rc" -eq 2 || return 1
    done
    rc=0; "$ND/tcp-rto.sh" --rto 3 parsecs --dry-run >/dev/null 2>&1 || rc=$?
    expect "tcp-rto.sh rejects a stray argument" test "$rc" -eq 2 || return 1
    rc=0; "$ND/tcp-rto.sh" --rto 3h --dry-run >/dev/null 2>&1 || rc=$?
    expect "tcp-rto.sh rejects --rto 3h" test "$rc" -eq 2
}

t_lib_helpers() {
    # shellcheck source=SCRIPTDIR/../lib.sh
    . "$ND/lib.sh"
    expect "3s = 3000" test "$(parse_ms 3s)" = 3000 || return 1
    expect "2.5s = 2500" test "$(parse_ms 2.5s)" = 2500 || return 1
    expect "3000ms = 3000" test "$(parse_ms 3000ms)" = 3000 || return 1
    expect "plain number is ms" test "$(parse_ms 250)" = 250 || return 1
    expect "garbage rejected" eval '! parse_ms 3x >/dev/null' || return 1
    expect "cpulist 0-2,5" test "$(cpulist_expand 0-2,5)" = "0 1 2 5" || return 1
    expect "mask of 0 2 5 = 25" test "$(cpus_to_mask '0 2 5')" = 25 || return 1
    expect "mask of cpu 33" test "$(cpus_to_mask '0 33')" = 2,00000001
}

# ---- irq-affinity.sh: the planner, on fixture data ---------------------------------

# plan_of OUTPUT IRQ -> the PLANNED column for IRQ.
plan_of() { awk -v irq="$2" '$1 == irq && NF >= 5 { print $NF }' <<<"$1"; }

t_irq_plan_least_loaded() {
    local out
    out=$("$ND/irq-affinity.sh" --dry-run --dev eth0 --interrupts-file "$FIX/interrupts-8cpu" \
        --cpu-load-file "$FIX/load-8cpu") || { echo "$out"; return 1; }
    echo "$out"
    # Loads: cpu3=5 cpu5=5 cpu1=15 cpu7=20 ... -> queues 0..3 on CPUs 3 5 1 7.
    expect "TxRx-0 on cpu3" test "$(plan_of "$out" 121)" = 3 || return 1
    expect "TxRx-1 on cpu5" test "$(plan_of "$out" 122)" = 5 || return 1
    expect "TxRx-2 on cpu1" test "$(plan_of "$out" 123)" = 1 || return 1
    expect "TxRx-3 on cpu7" test "$(plan_of "$out" 124)" = 7 || return 1
    expect "link vector 'eth0' left alone" test -z "$(plan_of "$out" 120)" || return 1
    expect "eth1 not touched" test -z "$(plan_of "$out" 130)" || return 1
    expect "nvme not touched" test -z "$(plan_of "$out" 140)" || return 1
    # Given CPU list and --max-cpus.
    out=$("$ND/irq-affinity.sh" --dry-run --dev eth0 --interrupts-file "$FIX/interrupts-8cpu" \
        --cpus 6,7) || return 1
    expect "--cpus 6,7 round-robin: q0->6" test "$(plan_of "$out" 121)" = 6 || return 1
    expect "--cpus 6,7 round-robin: q1->7" test "$(plan_of "$out" 122)" = 7 || return 1
    expect "--cpus 6,7 round-robin: q2->6" test "$(plan_of "$out" 123)" = 6 || return 1
    out=$("$ND/irq-affinity.sh" --dry-run --dev eth0 --interrupts-file "$FIX/interrupts-8cpu" \
        --cpu-load-file "$FIX/load-8cpu" --max-cpus 2) || return 1
    expect "--max-cpus 2: q2 back on cpu3" test "$(plan_of "$out" 123)" = 3 || return 1
    local rc=0
    "$ND/irq-affinity.sh" --dry-run --dev eth0 --interrupts-file "$FIX/interrupts-8cpu" --cpus 9 >/dev/null 2>&1 || rc=$?
    expect "offline CPU 9 rejected with exit 2" test "$rc" -eq 2
}

t_irq_plan_virtio() {
    # A fake sysfs where eth0 is virtio2, as on this VM.
    local sys=$TMP/sys out
    mkdir -p "$sys/class/net/eth0" "$sys/devices/pci0000:00/0000:00:03.0/virtio2"
    ln -s "$sys/devices/pci0000:00/0000:00:03.0/virtio2" "$sys/class/net/eth0/device"
    out=$("$ND/irq-affinity.sh" --dry-run --dev eth0 --interrupts-file "$FIX/interrupts-virtio" \
        --cpu-load-file "$FIX/load-4cpu" --sys-net-dir "$sys/class/net") || { echo "$out"; return 1; }
    echo "$out"
    # Loads: cpu1=10 cpu3=20 cpu2=30 cpu0=50; queue 0 = IRQs 38+39, queue 1 = 40+41.
    expect "input.0 on cpu1" test "$(plan_of "$out" 38)" = 1 || return 1
    expect "output.0 with input.0" test "$(plan_of "$out" 39)" = 1 || return 1
    expect "input.1 on cpu3" test "$(plan_of "$out" 40)" = 3 || return 1
    expect "output.1 with input.1" test "$(plan_of "$out" 41)" = 3 || return 1
    expect "config/control vectors untouched" test -z "$(plan_of "$out" 37)$(plan_of "$out" 42)" || return 1
    expect "virtio-rng 'virtio4-input' untouched" test -z "$(plan_of "$out" 34)"
}

t_irq_apply_fake_irq_dir() {
    local dir=$TMP/irq out irq
    for irq in 121 122 123 124; do mkdir -p "$dir/$irq"; echo 0-7 >"$dir/$irq/smp_affinity_list"; done
    out=$("$ND/irq-affinity.sh" --dev eth0 --interrupts-file "$FIX/interrupts-8cpu" \
        --cpu-load-file "$FIX/load-8cpu" --irq-dir "$dir") || { echo "$out"; return 1; }
    echo "$out"
    expect "121 written" test "$(cat "$dir/121/smp_affinity_list")" = 3 || return 1
    expect "124 written" test "$(cat "$dir/124/smp_affinity_list")" = 7 || return 1
    out=$("$ND/irq-affinity.sh" --dev eth0 --interrupts-file "$FIX/interrupts-8cpu" \
        --cpu-load-file "$FIX/load-8cpu" --irq-dir "$dir") || return 1
    expect "second run changes nothing" contains "$out" '0 IRQ affinity change' || return 1
    out=$("$ND/irq-affinity.sh" --check --dev eth0 --interrupts-file "$FIX/interrupts-8cpu" --irq-dir "$dir") || return 1
    expect "--check shows the pinned CPU" contains "$out" '^121 +eth0-TxRx-0 +3 '
}

t_irq_no_nic_irqs() {
    local out
    out=$("$ND/irq-affinity.sh" --dry-run --dev wlan9 --interrupts-file "$FIX/interrupts-virtio" \
        --cpu-load-file "$FIX/load-4cpu") || { echo "exit $?"; return 1; }
    expect "--dry-run explains there are no IRQs" contains "$out" 'no queue IRQs' || return 1
    out=$("$ND/irq-affinity.sh" --check --dev wlan9 --interrupts-file "$FIX/interrupts-virtio") || return 1
    expect "--check explains there are no IRQs" contains "$out" 'no queue IRQs'
}

t_irq_host_dry_run_and_check() {
    local before after out
    before=$(host_irq_snapshot)
    out=$("$ND/irq-affinity.sh" --dry-run --sample 0.3) || { echo "$out"; return 1; }
    echo "$out"
    expect "a plan table or a clear 'no IRQs'" contains "$out" '^IRQ +NAME|no queue IRQs' || return 1
    expect "dry run says nothing was made" contains "$out" 'none made|nothing to pin' || return 1
    out=$("$ND/irq-affinity.sh" --check) || { echo "$out"; return 1; }
    echo "$out"
    expect "--check reports affinity or no IRQs" contains "$out" 'SMP_AFFINITY|no queue IRQs' || return 1
    after=$(host_irq_snapshot)
    expect "host IRQ affinities unchanged" test "$before" = "$after"
}

# ---- network namespaces -------------------------------------------------------------

setup_netns() {
    [[ $NS_MADE -eq 1 ]] && return 0
    ip netns add "$NS_A" || return 1
    NS_MADE=1
    ip netns add "$NS_B" &&
        ip link add "$VETH_A" type veth peer name "$VETH_B" netns "$NS_B" &&
        ip link set "$VETH_A" netns "$NS_A" &&
        ip -n "$NS_A" addr add "$ADDR_A/30" dev "$VETH_A" &&
        ip -n "$NS_B" addr add "$ADDR_B/30" dev "$VETH_B" &&
        ip -n "$NS_A" link set lo up &&
        ip -n "$NS_B" link set lo up &&
        ip -n "$NS_A" link set "$VETH_A" up &&
        ip -n "$NS_B" link set "$VETH_B" up &&
        ip -n "$NS_A" route add default via "$ADDR_B" dev "$VETH_A" || return 1
    # A small server in NS_A: accepts, greets, holds connections for 60 s.
    cat >"$TMP/server.py" <<'EOF'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)
s.settimeout(0.5)
conns, end = [], time.time() + 60
while time.time() < end:
    try:
        c, _ = s.accept()
        c.sendall(b"hello\n")
        conns.append(c)
    except socket.timeout:
        pass
EOF
    start_server "$PORT"
}

# start_server PORT: the server in NS_A; wait (bounded) until it listens.
start_server() {
    local i
    ip netns exec "$NS_A" python3 "$TMP/server.py" "$ADDR_A" "$1" &
    PIDS+=($!)
    for ((i = 0; i < 30; i++)); do
        ip netns exec "$NS_A" ss -Htln "( sport = :$1 )" | grep -q . && return 0
        sleep 0.1
    done
    echo "server on port $1 did not start"
    return 1
}

# new_conn_rto -> the rto (ms) that NS_A's side of a fresh connection from
# NS_B reports in ss -ti; the client holds the connection for 3 s.
new_conn_rto() {
    local port=${1:-$PORT} portfile=$TMP/cport.$RANDOM i cport="" rto=""
    ip netns exec "$NS_B" timeout 10 python3 -c '
import socket, sys, time
for _ in range(40):
    try:
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2); break
    except OSError:
        time.sleep(0.1)
s.recv(16)
open(sys.argv[3], "w").write(str(s.getsockname()[1]))
time.sleep(3)' "$ADDR_A" "$port" "$portfile" &
    local cpid=$!
    PIDS+=("$cpid")
    for ((i = 0; i < 50; i++)); do
        [[ -s $portfile ]] && { cport=$(cat "$portfile"); break; }
        sleep 0.1
    done
    if [[ -n $cport ]]; then
        sleep 0.2
        rto=$(ip netns exec "$NS_A" ss -tin state established "( dport = :$cport )" |
            grep -o 'rto:[0-9.]*' | head -n1 | cut -d: -f2)
    fi
    kill "$cpid" 2>/dev/null || true
    wait "$cpid" 2>/dev/null || true
    printf '%s\n' "${rto%%.*}"
}

route_a() { ip -n "$NS_A" -4 route show "$1"; }
rto_sysctl_a() { ip netns exec "$NS_A" cat /proc/sys/net/ipv4/tcp_rto_min_us; }

t_tcp_rto_routes_in_netns() {
    need_root_or_skip || return 77
    setup_netns || { echo "netns setup failed"; return 1; }
    local st=$TMP/state-routes out rto0 rto1 rto2 def0 net0 rc
    def0=$(route_a default) net0=$(route_a 10.213.0.0/30)
    rto0=$(new_conn_rto)
    echo "baseline: route '$def0', new connection rto:$rto0"
    expect "baseline rto measured and < 1000 ms" test "${rto0:-99999}" -lt 1000 || return 1

    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --dry-run --dev "$VETH_A" --state-dir "$st") || { echo "$out"; return 1; }
    expect "--dry-run prints ip route change" contains "$out" 'ip -4 route change default via' || return 1
    expect "--dry-run leaves the route alone" test "$(route_a default)" = "$def0" || return 1
    expect "--dry-run writes no state" test ! -e "$st/tcp-rto.state" || return 1

    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --dev "$VETH_A" --state-dir "$st") || { echo "$out"; return 1; }
    echo "$out"
    expect "default route has rto_min 3s" contains "$(route_a default)" 'rto_min lock 3s' || return 1
    expect "device route has rto_min 3s" contains "$(route_a 10.213.0.0/30)" 'rto_min lock 3s' || return 1
    expect "sysctl untouched without --sysctl" test "$(rto_sysctl_a)" = 200000 || return 1
    rto1=$(new_conn_rto)
    echo "after tcp-rto.sh: route '$(route_a default)', new connection rto:$rto1"
    expect "new connection rto >= 3000 ms (got ${rto1:-none})" test "${rto1:-0}" -ge 3000 || return 1

    cp "$st/tcp-rto.state" "$TMP/state.first"
    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --dev "$VETH_A" --state-dir "$st") || return 1
    expect "second apply changes nothing" contains "$out" '0 change' || return 1
    expect "second apply keeps the original state" cmp -s "$TMP/state.first" "$st/tcp-rto.state" || return 1

    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --check --dev "$VETH_A" --state-dir "$st") || { echo "$out"; return 1; }
    echo "$out"
    expect "--check says ok" contains "$out" 'rto_min=3000ms +3000ms +ok' || return 1

    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --revert --state-dir "$st") || { echo "$out"; return 1; }
    echo "$out"
    expect "--revert restores the default route exactly" test "$(route_a default)" = "$def0" || return 1
    expect "--revert restores the device route exactly" test "$(route_a 10.213.0.0/30)" = "$net0" || return 1
    expect "--revert removes the state file" test ! -e "$st/tcp-rto.state" || return 1
    rc=0; ip netns exec "$NS_A" "$ND/tcp-rto.sh" --check --dev "$VETH_A" --state-dir "$st" >/dev/null || rc=$?
    expect "--check now exits 1 (differs)" test "$rc" -eq 1 || return 1
    rto2=$(new_conn_rto)
    echo "after --revert: new connection rto:$rto2"
    expect "rto back below 1000 ms" test "${rto2:-99999}" -lt 1000 || return 1
    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --revert --state-dir "$st") || return 1
    expect "second --revert is a no-op" contains "$out" 'nothing to revert'
}

t_tcp_rto_sysctl_in_netns() {
    need_root_or_skip || return 77
    [[ -e /proc/sys/net/ipv4/tcp_rto_min_us ]] || skip "kernel has no net.ipv4.tcp_rto_min_us (< 6.11)" || return 77
    setup_netns || { echo "netns setup failed"; return 1; }
    local st=$TMP/state-sysctl out rto0 rto1 def0 orig
    def0=$(route_a default) orig=$(rto_sysctl_a)
    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --sysctl-only --rto 2500ms --state-dir "$st") || { echo "$out"; return 1; }
    echo "$out"
    expect "sysctl is 2500000 in the netns" test "$(rto_sysctl_a)" = 2500000 || return 1
    expect "host sysctl untouched" test "$(cat /proc/sys/net/ipv4/tcp_rto_min_us)" = \
        "$(sed -n 's/^net.ipv4.tcp_rto_min_us=//p' <<<"$HOST_SYSCTL_BEFORE")" || return 1
    expect "routes untouched with --sysctl-only" test "$(route_a default)" = "$def0" || return 1
    # The sysctl is read when a socket is created, and accepted sockets
    # inherit it from their listener: the listener started before the
    # change still hands out the old floor, a new listener the new one.
    rto0=$(new_conn_rto "$PORT")
    start_server "$PORT2"
    rto1=$(new_conn_rto "$PORT2")
    echo "with tcp_rto_min_us=2500000 only: old listener rto:$rto0, listener started after the change rto:$rto1"
    expect "old listener keeps the old floor (got ${rto0:-none})" test "${rto0:-99999}" -lt 1000 || return 1
    expect "new listener: rto >= 2500 ms (got ${rto1:-none})" test "${rto1:-0}" -ge 2500 || return 1
    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --check --sysctl-only --rto 2.5s --state-dir "$st") || { echo "$out"; return 1; }
    expect "--check says ok for the sysctl" contains "$out" 'tcp_rto_min_us +2500000 +2500000 +ok' || return 1
    out=$(ip netns exec "$NS_A" "$ND/tcp-rto.sh" --revert --state-dir "$st") || { echo "$out"; return 1; }
    expect "--revert restores the sysctl ($orig)" test "$(rto_sysctl_a)" = "$orig"
}

t_irq_in_netns_without_irqs() {
    need_root_or_skip || return 77
    setup_netns || { echo "netns setup failed"; return 1; }
    local out
    out=$(ip netns exec "$NS_A" "$ND/irq-affinity.sh" --dry-run --sample 0) || { echo "exit $?: $out"; return 1; }
    echo "$out"
    expect "veth: explains there are no IRQs" contains "$out" "device: $VETH_A.*|no queue IRQs" || return 1
    expect "veth: no IRQs found" contains "$out" 'no queue IRQs'
}

# ---- apply-sysctls.sh -----------------------------------------------------------------

conf_keys() { grep -E '^[a-z]' "$ND/sysctl-push.conf" | cut -d= -f1 | tr -d ' '; }

t_sysctl_conf_every_key_commented() {
    local prev="" line n=0
    while IFS= read -r line; do
        if [[ $line =~ ^[a-z] ]]; then
            n=$((n + 1))
            expect "comment with [global]/[netns] right above '$line'" contains "$prev" '^# \[(global|netns)\] ' || return 1
        fi
        prev=$line
    done <"$ND/sysctl-push.conf"
    expect "conf has settings" test "$n" -ge 10
}

t_sysctl_check_and_dry_run_on_host() {
    local out rc=0 key
    out=$("$ND/apply-sysctls.sh" --check) || rc=$?
    echo "$out"
    expect "--check exits 0 or 1 (got $rc)" test "$rc" -le 1 || return 1
    expect "--check prints the table header" contains "$out" '^KEY +CURRENT +WANTED +STATUS' || return 1
    expect "--check reports the open-files limit" contains "$out" 'Open files per process' || return 1
    out=$("$ND/apply-sysctls.sh" --dry-run) || { echo "$out"; return 1; }
    for key in $(conf_keys); do
        expect "--dry-run mentions $key" contains "$out" "(^| )${key//./\\.}( |=)" || return 1
    done
    expect "host sysctls unchanged" test "$(host_sysctl_snapshot)" = "$HOST_SYSCTL_BEFORE"
}

t_sysctl_absent_and_malformed() {
    local out rc=0
    printf '# [netns] test key that no kernel has\nnet.ipv4.pushwire_no_such_key = 1\n' >"$TMP/absent.conf"
    out=$("$ND/apply-sysctls.sh" --dry-run --file "$TMP/absent.conf") || { echo "$out"; return 1; }
    expect "absent key reported and skipped" contains "$out" 'skip net.ipv4.pushwire_no_such_key' || return 1
    out=$("$ND/apply-sysctls.sh" --check --file "$TMP/absent.conf") || { echo "$out"; return 1; }
    expect "--check says absent" contains "$out" 'absent' || return 1
    printf 'this is not a setting\n' >"$TMP/bad.conf"
    "$ND/apply-sysctls.sh" --check --file "$TMP/bad.conf" >/dev/null 2>&1 || rc=$?
    expect "malformed file rejected with exit 1" test "$rc" -eq 1
}

t_sysctl_apply_netns_keys_in_netns() {
    need_root_or_skip || return 77
    setup_netns || { echo "netns setup failed"; return 1; }
    local out
    out=$(ip netns exec "$NS_A" "$ND/apply-sysctls.sh" --scope netns) || { echo "$out"; return 1; }
    echo "$out"
    out=$(ip netns exec "$NS_A" "$ND/apply-sysctls.sh" --check --scope netns) || { echo "$out"; return 1; }
    echo "$out"
    expect "every [netns] key ok inside the namespace" lacks "$out" 'differs' || return 1
    expect "host sysctls unchanged" test "$(host_sysctl_snapshot)" = "$HOST_SYSCTL_BEFORE" || return 1
    out=$(ip netns exec "$NS_A" "$ND/apply-sysctls.sh" --scope netns) || return 1
    expect "second apply changes nothing" contains "$out" '0 change'
}

t_host_routes_untouched() {
    local now
    now=$(ip route show table all 2>/dev/null; ip -6 route show table all 2>/dev/null)
    expect "host routes unchanged by the whole run" test "$now" = "$HOST_ROUTES_BEFORE"
}

START=$SECONDS
run_test "shellcheck: all scripts" t_shellcheck
run_test "cli: --help and usage errors" t_help_and_usage_errors
run_test "lib: ms parsing, CPU lists, masks" t_lib_helpers
run_test "irq: least-loaded plan from fixture" t_irq_plan_least_loaded
run_test "irq: virtio-net queues paired, other virtio IRQs ignored" t_irq_plan_virtio
run_test "irq: apply into a fake /proc/irq, idempotent, --check" t_irq_apply_fake_irq_dir
run_test "irq: no NIC IRQs -> explain, exit 0" t_irq_no_nic_irqs
run_test "irq: --dry-run and --check on this host change nothing" t_irq_host_dry_run_and_check
run_test "irq: veth in a netns has no IRQs, exit 0" t_irq_in_netns_without_irqs
run_test "tcp-rto: routes in netns (dry-run, apply, ss -ti, check, revert)" t_tcp_rto_routes_in_netns
run_test "tcp-rto: tcp_rto_min_us in netns (apply, ss -ti, check, revert)" t_tcp_rto_sysctl_in_netns
run_test "sysctl: every key has a scope/why comment above it" t_sysctl_conf_every_key_commented
run_test "sysctl: --check and --dry-run on host (no change)" t_sysctl_check_and_dry_run_on_host
run_test "sysctl: absent key skipped, malformed file rejected" t_sysctl_absent_and_malformed
run_test "sysctl: apply [netns] keys inside a netns, --check ok" t_sysctl_apply_netns_keys_in_netns
run_test "host: routes untouched" t_host_routes_untouched
printf '(%ds)\n' $((SECONDS - START))
if [[ $SKIPPED -gt 0 ]]; then
    printf '%d passed, %d failed, %d skipped\n' "$PASSED" "$FAILED" "$SKIPPED"
else
    printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
fi
[[ $FAILED -eq 0 ]]
