#!/usr/bin/env bash
# Bind a NIC's queue interrupts to the least-loaded CPUs, one queue per CPU,
# and optionally spread receive processing with RPS/RFS.
#
# A push gateway spends much of its CPU in softirq (TCP receive, ACKs,
# timers) for millions of mostly idle sockets. The softirq runs on the CPU
# that took the interrupt, so where the NIC's queue IRQs land decides which
# CPUs carry that load. Putting every queue on its own, least-busy CPU keeps
# the Java event-loop threads from sharing a core with a hot queue.
set -euo pipefail

PW_PROG='irq-affinity.sh'
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

usage() {
    cat <<EOF
Usage: $PW_PROG [OPTIONS] [--dry-run | --check]

Find the queue IRQs of a NIC in /proc/interrupts and pin each queue (its rx
and tx IRQs together) to one of the least-loaded CPUs.

  --dev IFACE            NIC to tune (default: device of the default route)
  --cpus LIST            use these CPUs (e.g. 2-7 or 1,3,5) instead of
                         choosing the least-loaded ones
  --max-cpus N           use at most N CPUs (default: one per queue)
  --sample SECONDS       measure CPU load over this interval (default 1;
                         0 = average since boot)
  --rps                  also set RPS/RFS on the device's receive queues
  --rfs-entries N        size of the global RFS flow table (default 32768)
  --dry-run              print the plan; change nothing
  --check                report the current affinity/RPS state; change nothing
  -h, --help             this text

For testing and for planning on another machine's data:
  --interrupts-file F    read F instead of /proc/interrupts
  --cpu-load-file F      read CPU load from F ("CPU PERCENT" per line)
                         instead of sampling /proc/stat
  --irq-pattern REGEX    treat IRQs whose name matches REGEX (ERE) as the
                         NIC's queue IRQs (overrides detection)
  --irq-dir DIR          write affinities under DIR instead of /proc/irq
  --sys-net-dir DIR      use DIR instead of /sys/class/net for RPS

Detected IRQ names: IFACE-TxRx-N, IFACE-rx-N, i40e-IFACE-TxRx-N and the like,
virtioN-input.M / virtioN-output.M (virtio-net), mlx5_compN@pci:BDF, and the
device's MSI vectors as a fallback. A device with no IRQs of its own (veth,
bridge, a VM without multiqueue) is reported and the script exits 0.
Exit codes: 0 ok, 1 failure, 2 usage error.
EOF
}

DEV=
CPUS_ARG=
MAX_CPUS=0
SAMPLE=1
DO_RPS=0
RFS_ENTRIES=32768
MODE=apply
INTERRUPTS=/proc/interrupts
LOAD_FILE=
IRQ_PATTERN=
IRQ_DIR=/proc/irq
SYS_NET=/sys/class/net
SYS_NET_SET=0

while [[ $# -gt 0 ]]; do
    case $1 in
    --dev) need_value "$1" $#; DEV=$2; shift 2 ;;
    --cpus) need_value "$1" $#; CPUS_ARG=$2; shift 2 ;;
    --max-cpus) need_value "$1" $#; MAX_CPUS=$2; shift 2 ;;
    --sample) need_value "$1" $#; SAMPLE=$2; shift 2 ;;
    --rps) DO_RPS=1; shift ;;
    --rfs-entries) need_value "$1" $#; RFS_ENTRIES=$2; shift 2 ;;
    --interrupts-file) need_value "$1" $#; INTERRUPTS=$2; shift 2 ;;
    --cpu-load-file) need_value "$1" $#; LOAD_FILE=$2; shift 2 ;;
    --irq-pattern) need_value "$1" $#; IRQ_PATTERN=$2; shift 2 ;;
    --irq-dir) need_value "$1" $#; IRQ_DIR=$2; shift 2 ;;
    --sys-net-dir) need_value "$1" $#; SYS_NET=$2; SYS_NET_SET=1; shift 2 ;;
    --dry-run) MODE=dry-run; DRY_RUN=1; shift ;;
    --check) MODE=check; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
    esac
done

[[ $MAX_CPUS =~ ^[0-9]+$ ]] || usage_error "--max-cpus needs a number"
[[ $SAMPLE =~ ^[0-9]+(\.[0-9]+)?$ ]] || usage_error "--sample needs a number of seconds"
awk -v s="$SAMPLE" 'BEGIN { exit !(s <= 10) }' || usage_error "--sample must be at most 10 seconds"
[[ $RFS_ENTRIES =~ ^[0-9]+$ ]] || usage_error "--rfs-entries needs a number"
[[ -r $INTERRUPTS ]] || die "cannot read $INTERRUPTS"
[[ -z $LOAD_FILE || -r $LOAD_FILE ]] || die "cannot read $LOAD_FILE"

# ---- discovery --------------------------------------------------------------

# CPU ids named in the /proc/interrupts header ("CPU0 CPU1 ..."), in order.
header_cpus() {
    head -n1 "$INTERRUPTS" | tr -s ' ' '\n' | sed -n 's/^CPU\([0-9][0-9]*\)$/\1/p' | tr '\n' ' '
}

# irq_table -> "IRQ NAME COUNT0 COUNT1 ..." for every numbered IRQ line.
# The name is the last field; the per-CPU counts are the first NCPU fields.
irq_table() {
    awk -v ncpu="$NCPU" 'NR > 1 && $1 ~ /^[0-9]+:$/ {
        irq = substr($1, 1, length($1) - 1)
        line = irq " " $NF
        for (i = 2; i <= ncpu + 1; i++) line = line " " ($i ~ /^[0-9]+$/ ? $i : 0)
        print line
    }' "$INTERRUPTS"
}

default_dev() {
    local fam dev
    for fam in 4 6; do
        dev=$(ip -"$fam" route show default 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
        [[ -n $dev ]] && { printf '%s\n' "$dev"; return 0; }
    done
    return 1
}

# Build the ERE that selects the device's queue IRQs by name.
dev_pattern() {
    local dev=$1 pats=() target base bdf
    local qdev
    # shellcheck disable=SC2016 # a sed bracket expression, not an expansion
    qdev=$(printf '%s' "$dev" | sed 's/[.[\*^$()+?{}|]/\\&/g')
    pats+=("(^|-)${qdev}([-_].*)?\$")
    # With a foreign --interrupts-file, this machine's sysfs says nothing
    # about that machine's devices unless --sys-net-dir points at a copy.
    if [[ -e $SYS_NET/$dev/device && ($INTERRUPTS == /proc/interrupts || $SYS_NET_SET -eq 1) ]]; then
        target=$(readlink -f "$SYS_NET/$dev/device")
        base=$(basename "$target")
        if [[ $base =~ ^virtio[0-9]+$ ]]; then
            pats+=("^${base}-(input|output)\\.[0-9]+\$")
            bdf=$(basename "$(dirname "$target")")
        else
            bdf=$base
        fi
        if [[ $bdf =~ ^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]$ ]]; then
            pats+=("^mlx[45]_comp[0-9]+@pci:${bdf//./\\.}\$")
        fi
    fi
    local IFS='|'
    printf '%s\n' "${pats[*]}"
}

# MSI vectors of the device's PCI function, minus control/config vectors;
# used only when no IRQ name matched and we read the real /proc/interrupts.
msi_fallback() {
    local dev=$1 d irq
    for d in "$SYS_NET/$dev/device/msi_irqs" "$SYS_NET/$dev/device/../msi_irqs"; do
        [[ -d $d ]] || continue
        for irq in "$d"/*; do
            [[ -e $irq ]] || continue
            irq=$(basename "$irq")
            awk -v irq="$irq" '$1 == irq && $2 !~ /(config|async|ctrl|cmd|pages|misc|event)/' <<<"$ALL_IRQS"
        done
        return 0
    done
}

# ---- CPU load -----------------------------------------------------------------

# cpu_load -> "CPU PERCENT" lines for every CPU in $CPU_IDS.
cpu_load() {
    if [[ -n $LOAD_FILE ]]; then
        awk '!/^#/ && NF >= 2 { sub(/^cpu/, "", $1); print $1, $2 }' "$LOAD_FILE"
        return 0
    fi
    local a b
    a=$(grep '^cpu[0-9]' /proc/stat)
    if awk -v s="$SAMPLE" 'BEGIN { exit !(s > 0) }'; then
        sleep "$SAMPLE"
        b=$(grep '^cpu[0-9]' /proc/stat)
    else
        # Average since boot: compare against an all-zero snapshot.
        b=$a
        a=$(awk '{ printf "%s", $1; for (i = 2; i <= NF; i++) printf " 0"; print "" }' <<<"$b")
    fi
    # fields: user nice system idle iowait irq softirq steal ...
    awk 'NR == FNR { for (i = 2; i <= 9; i++) s[$1, i] = $i; next }
         {
            busy = 0; total = 0
            for (i = 2; i <= 9; i++) {
                d = $i - s[$1, i]; total += d
                if (i != 5 && i != 6) busy += d
            }
            cpu = substr($1, 4)
            printf "%s %d\n", cpu, (total > 0 ? 100 * busy / total + 0.5 : 0)
         }' <(printf '%s\n' "$a") <(printf '%s\n' "$b")
}

# ---- planning -----------------------------------------------------------------

# queue_key NAME -> the queue number (last digits before any "@..."), so that
# the rx and tx IRQs of one queue end up on the same CPU.
queue_key() {
    local n=${1%%@*}
    [[ -n $DEV ]] && n=${n//"$DEV"/}
    if [[ $n =~ ([0-9]+)[^0-9]*$ ]]; then
        printf 'q%d\n' "$((10#${BASH_REMATCH[1]}))"
    else
        printf 'irq%s\n' "$2"
    fi
}

read_affinity() {
    local f=$IRQ_DIR/$1/$2
    if [[ -r $f ]]; then cat "$f"; else printf '?\n'; fi
}

print_rps_state() {
    local q
    [[ -n $DEV && -d $SYS_NET/$DEV/queues ]] || return 0
    printf 'RPS/RFS on %s: rps_sock_flow_entries=%s\n' "$DEV" "$(sysctl_read net.core.rps_sock_flow_entries || echo '?')"
    for q in "$SYS_NET/$DEV"/queues/rx-*; do
        [[ -e $q ]] || continue
        printf '  %-6s rps_cpus=%s rps_flow_cnt=%s\n' "$(basename "$q")" \
            "$(cat "$q/rps_cpus" 2>/dev/null || echo '?')" "$(cat "$q/rps_flow_cnt" 2>/dev/null || echo '?')"
    done
}

irqbalance_note() {
    if have_cmd pgrep && pgrep -x irqbalance >/dev/null 2>&1; then
        warn "irqbalance is running and will move these IRQs again; stop it or ban them (IRQBALANCE_BANNED_CPULIST / --banirq)"
    fi
}

plan_rps() {
    local cpus=$1 mask q nq=0 flow
    [[ -n $DEV && -d $SYS_NET/$DEV/queues ]] || { warn "no receive queues for '${DEV:-?}' under $SYS_NET; RPS skipped"; return 0; }
    for q in "$SYS_NET/$DEV"/queues/rx-*; do [[ -e $q ]] && nq=$((nq + 1)); done
    ((nq > 0)) || { warn "$DEV has no rx queues; RPS skipped"; return 0; }
    mask=$(cpus_to_mask "$cpus")
    flow=$((RFS_ENTRIES / nq))
    log "RPS: $nq rx queue(s) of $DEV -> CPUs $cpus (mask $mask); RFS: $RFS_ENTRIES flow entries, $flow per queue"
    [[ $DRY_RUN -eq 1 ]] || need_root "setting RPS/RFS"
    write_file "$(sysctl_path net.core.rps_sock_flow_entries)" "$RFS_ENTRIES"
    for q in "$SYS_NET/$DEV"/queues/rx-*; do
        [[ -e $q ]] || continue
        write_file "$q/rps_cpus" "$mask"
        write_file "$q/rps_flow_cnt" "$flow"
    done
}

# ---- main -----------------------------------------------------------------------

read -ra CPU_IDS <<<"$(header_cpus)"
NCPU=${#CPU_IDS[@]}
((NCPU > 0)) || die "no CPU columns in the header of $INTERRUPTS"
ALL_IRQS=$(irq_table)

if [[ -z $DEV && -z $IRQ_PATTERN ]]; then
    DEV=$(default_dev) || DEV=
fi
if [[ -n $DEV && $INTERRUPTS == /proc/interrupts && ! -e $SYS_NET/$DEV ]]; then
    die "no such network device: $DEV"
fi

if [[ -n $IRQ_PATTERN ]]; then
    PATTERN=$IRQ_PATTERN
elif [[ -n $DEV ]]; then
    PATTERN=$(dev_pattern "$DEV")
else
    PATTERN=
fi

NIC_IRQS=
if [[ -n $PATTERN ]]; then
    NIC_IRQS=$(RE=$PATTERN awk '$2 ~ ENVIRON["RE"]' <<<"$ALL_IRQS")
    if [[ -z $NIC_IRQS && -z $IRQ_PATTERN && $INTERRUPTS == /proc/interrupts && -n $DEV ]]; then
        NIC_IRQS=$(msi_fallback "$DEV")
    fi
    # An IRQ named just "IFACE" next to per-queue ones is the link/admin
    # vector (ixgbe, i40e, ...), not a queue: leave it where it is.
    if [[ -n $DEV && -n $NIC_IRQS ]] && awk -v d="$DEV" '$2 != d { found = 1 } END { exit !found }' <<<"$NIC_IRQS"; then
        NIC_IRQS=$(awk -v d="$DEV" '$2 != d' <<<"$NIC_IRQS")
    fi
fi

log "device: ${DEV:-(none: no default route and no --dev)}; $NCPU CPU(s): ${CPU_IDS[*]}"
[[ -n $PATTERN ]] && log "IRQ name pattern: $PATTERN"

if [[ $MODE == check ]]; then
    if [[ -z $NIC_IRQS ]]; then
        log "no queue IRQs found for ${DEV:-any device}: nothing is pinned (virtual device, or a VM NIC without MSI-X queues)"
    else
        printf '%-6s %-28s %-14s %-14s %s\n' IRQ NAME SMP_AFFINITY EFFECTIVE "COUNTS(CPU ${CPU_IDS[*]})"
        while read -r irq name counts; do
            printf '%-6s %-28s %-14s %-14s %s\n' "$irq" "$name" \
                "$(read_affinity "$irq" smp_affinity_list)" "$(read_affinity "$irq" effective_affinity_list)" "$counts"
        done <<<"$NIC_IRQS"
    fi
    print_rps_state
    irqbalance_note
    exit 0
fi

if [[ -z $NIC_IRQS && $DO_RPS -eq 0 ]]; then
    log "no queue IRQs found for ${DEV:-any device}: nothing to pin."
    log "(a veth/bridge/VLAN has no IRQs of its own; tune the physical NIC underneath, or use --rps to spread receive work in software)"
    exit 0
fi

# Choose the CPUs.
if [[ -n $CPUS_ARG ]]; then
    CHOSEN=$(cpulist_expand "$CPUS_ARG") || usage_error "bad --cpus list: $CPUS_ARG"
    for c in $CHOSEN; do
        [[ " ${CPU_IDS[*]} " == *" $c "* ]] || usage_error "CPU $c is not online (have: ${CPU_IDS[*]})"
    done
    log "CPUs given: $CHOSEN"
else
    LOADS=$(cpu_load)
    # Keep only CPUs that are online; sort by load, then by CPU id.
    SORTED=$(awk -v ids=" ${CPU_IDS[*]} " 'index(ids, " " $1 " ") { print $1, $2 }' <<<"$LOADS" | sort -k2,2n -k1,1n)
    [[ -n $SORTED ]] || die "no CPU load data for CPUs ${CPU_IDS[*]}"
    if [[ -n $LOAD_FILE ]]; then src=", from $LOAD_FILE"
    elif [[ $SAMPLE == 0 ]]; then src=" since boot"
    else src=" over ${SAMPLE}s"; fi
    log "CPU load (% busy$src): $(awk '{ printf "cpu%s=%s ", $1, $2 }' <<<"$SORTED" | sed 's/ $//')"
    CHOSEN=$(awk '{ print $1 }' <<<"$SORTED" | tr '\n' ' ' | sed 's/ $//')
fi

if [[ -z $NIC_IRQS ]]; then
    log "no queue IRQs found for ${DEV:-any device}: nothing to pin."
    log "(a veth/bridge/VLAN has no IRQs of its own; tune the physical NIC underneath, or use --rps to spread receive work in software)"
    if [[ $DO_RPS -eq 1 ]]; then plan_rps "$CHOSEN"; fi
    exit 0
fi

# Group IRQs by queue, in order of first appearance.
declare -A QUEUE_OF=()
QUEUES=()
while read -r irq name _; do
    k=$(queue_key "$name" "$irq")
    if [[ -z ${QUEUE_OF[$k]+x} ]]; then QUEUES+=("$k"); QUEUE_OF[$k]=1; fi
done <<<"$NIC_IRQS"
NQ=${#QUEUES[@]}

read -ra CHOSEN_ARR <<<"$CHOSEN"
N=${#CHOSEN_ARR[@]}
if [[ -z $CPUS_ARG ]]; then
    ((N > NQ)) && N=$NQ
fi
((MAX_CPUS > 0 && N > MAX_CPUS)) && N=$MAX_CPUS
CHOSEN_ARR=("${CHOSEN_ARR[@]:0:N}")
log "$(wc -l <<<"$NIC_IRQS") IRQ(s) in $NQ queue(s) -> CPUs ${CHOSEN_ARR[*]}$([[ -z $CPUS_ARG ]] && echo ' (least loaded first)')"

declare -A CPU_OF=()
for i in "${!QUEUES[@]}"; do
    CPU_OF[${QUEUES[i]}]=${CHOSEN_ARR[i % N]}
done

[[ $DRY_RUN -eq 1 || $IRQ_DIR != /proc/irq ]] || need_root "setting IRQ affinity"
printf '%-6s %-28s %-8s %-14s %s\n' IRQ NAME QUEUE CURRENT PLANNED
PLAN=()
while read -r irq name _; do
    k=$(queue_key "$name" "$irq")
    printf '%-6s %-28s %-8s %-14s %s\n' "$irq" "$name" "$k" "$(read_affinity "$irq" smp_affinity_list)" "${CPU_OF[$k]}"
    PLAN+=("$irq:${CPU_OF[$k]}")
done <<<"$NIC_IRQS"

changed=0
for p in "${PLAN[@]}"; do
    irq=${p%%:*} cpu=${p#*:}
    f=$IRQ_DIR/$irq/smp_affinity_list
    if [[ $(read_affinity "$irq" smp_affinity_list) == "$cpu" ]]; then
        continue
    fi
    if [[ $DRY_RUN -eq 0 && ! -w $f ]]; then
        warn "cannot write $f (managed IRQ, or not present); skipped"
        continue
    fi
    write_file "$f" "$cpu"
    changed=$((changed + 1))
done
log "$changed IRQ affinity change(s)$([[ $DRY_RUN -eq 1 ]] && echo ' planned, none made (dry run)')"

if [[ $DO_RPS -eq 1 ]]; then
    plan_rps "$(printf '%s ' "${CPU_IDS[@]}" | sed 's/ $//')"
fi
[[ $DRY_RUN -eq 1 ]] || irqbalance_note
