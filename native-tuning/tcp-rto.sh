#!/usr/bin/env bash
# Raise TCP's minimum retransmission timeout (RTO) for device traffic.
#
# Linux starts retransmitting after max(RTT-based RTO, rto_min); rto_min is
# 200 ms by default. Mobile radio links routinely stall for 1-2 s (radio state
# changes, handovers), so a 200 ms floor produces spurious retransmissions,
# cwnd collapse and wasted airtime. The original system used ~3 s.
#
# Two knobs exist:
#   * the per-route metric `rto_min` (ip route change ... rto_min 3s): only
#     connections whose route carries device traffic get the higher floor;
#   * the sysctl net.ipv4.tcp_rto_min_us (kernel >= 6.11, per network
#     namespace): every TCP socket in the namespace, including backend links.
# Routes are changed by default; --sysctl adds the sysctl.
set -euo pipefail

PW_PROG='tcp-rto.sh'
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

SYSCTL_KEY=net.ipv4.tcp_rto_min_us
STATE_NAME=tcp-rto.state
TAB=$'\t'

usage() {
    cat <<EOF
Usage: $PW_PROG [OPTIONS] [--dry-run | --check | --revert]

Raise the minimum TCP RTO on the routes that carry device traffic.

Route selection (IPv4 and IPv6, table main):
  --dev IFACE      also change every route through IFACE (repeatable)
  --dst CIDR       change the route to exactly CIDR, e.g. 10.0.0.0/8 or
                   default (repeatable). Without --dst the default route(s)
                   are always included.
Value:
  --rto VALUE      minimum RTO; "3s", "2.5s", "3000ms" or "3000" (ms).
                   Default 3s.
  --sysctl         also set $SYSCTL_KEY (whole network namespace)
  --sysctl-only    set only the sysctl, leave routes alone
State:
  --state-dir DIR  where the original state is recorded for --revert
                   (default /run/pushwire)
Modes:
  (none)           apply: record the original state, then change
  --dry-run        print what would be changed; change nothing
  --check          report current vs wanted; exit 0 if all as wanted, else 1
  --revert         restore exactly what was recorded, then drop the state
  -h, --help       this text

Applying twice is harmless: the state file keeps the first original values.
Exit codes: 0 ok, 1 failure or (for --check) differs, 2 usage error.
EOF
}

RTO=3s
DEVS=()
DSTS=()
DO_ROUTES=1
DO_SYSCTL=0
STATE_DIR=/run/pushwire
MODE=apply

while [[ $# -gt 0 ]]; do
    case $1 in
    --dev) need_value "$1" $#; DEVS+=("$2"); shift 2 ;;
    --dst) need_value "$1" $#; DSTS+=("$2"); shift 2 ;;
    --rto) need_value "$1" $#; RTO=$2; shift 2 ;;
    --sysctl) DO_SYSCTL=1; shift ;;
    --sysctl-only) DO_SYSCTL=1; DO_ROUTES=0; shift ;;
    --state-dir) need_value "$1" $#; STATE_DIR=$2; shift 2 ;;
    --dry-run) MODE=dry-run; DRY_RUN=1; shift ;;
    --check) MODE=check; shift ;;
    --revert) MODE=revert; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
    esac
done

RTO_MS=$(parse_ms "$RTO") || usage_error "bad --rto value: $RTO (use e.g. 3s or 3000ms)"
((RTO_MS >= 1 && RTO_MS <= 120000)) || usage_error "--rto must be between 1ms and 120s"
STATE_FILE=$STATE_DIR/$STATE_NAME
have_cmd ip || die "the 'ip' command (iproute2) is required"

# Route-line flags that `ip route show` prints but `ip route change` rejects.
is_print_only_flag() {
    case $1 in
    linkdown | dead | offload | trap | rt_offload | rt_trap | rt_offload_failed | pervasive | notify) return 0 ;;
    *) return 1 ;;
    esac
}

# strip_route LINE -> the route as `ip route change` arguments without any
# rto_min metric and without print-only flags.
strip_route() {
    local -a tok out=()
    read -ra tok <<<"$1"
    local i=0 n=${#tok[@]}
    while ((i < n)); do
        case ${tok[i]} in
        rto_min)
            i=$((i + 1))
            [[ ${tok[i]:-} == lock ]] && i=$((i + 1))
            i=$((i + 1)) ;;
        expires)
            i=$((i + 2)) ;;
        *)
            is_print_only_flag "${tok[i]}" || out+=("${tok[i]}")
            i=$((i + 1)) ;;
        esac
    done
    printf '%s\n' "${out[*]}"
}

# route_field LINE WORD -> the token after WORD ("" if absent).
route_field() {
    local -a tok
    read -ra tok <<<"$1"
    local i
    for ((i = 0; i < ${#tok[@]} - 1; i++)); do
        [[ ${tok[i]} == "$2" ]] && { printf '%s\n' "${tok[i + 1]}"; return 0; }
    done
    printf '\n'
}

# route_rto_ms LINE -> current rto_min in ms, or "none".
route_rto_ms() {
    local v
    v=$(route_field "$1" rto_min)
    [[ $v == lock ]] && v=$(route_field "$1" lock)
    if [[ -z $v ]]; then printf 'none\n'; return 0; fi
    parse_ms "$v" || printf '%s\n' "$v"
}

# route_key FAMILY LINE -> identity of a route (family, destination, metric).
route_key() {
    local -a tok
    read -ra tok <<<"$2"
    local metric
    metric=$(route_field "$2" metric)
    printf '%s|%s|%s\n' "$1" "${tok[0]}" "${metric:-0}"
}

contains() {
    local needle=$1 x
    shift
    for x in "$@"; do [[ $x == "$needle" ]] && return 0; done
    return 1
}

# target_routes -> lines "FAMILY<TAB>ROUTE" for the routes we manage.
target_routes() {
    local fam line dst dev first
    local -a tok
    for fam in 4 6; do
        while IFS= read -r line; do
            [[ -n $line ]] || continue
            read -ra tok <<<"$line"
            first=${tok[0]}
            case $first in
            unicast) line=${line#unicast } ; read -ra tok <<<"$line"; first=${tok[0]} ;;
            local | broadcast | multicast | anycast | blackhole | unreachable | prohibit | throw | nat) continue ;;
            esac
            dst=$first
            dev=$(route_field "$line" dev)
            if [[ $line == *nexthop* ]]; then
                if [[ $dst == default ]] || contains "$dst" "${DSTS[@]}"; then
                    warn "skipping multipath route '$dst' (IPv$fam): set rto_min on it by hand"
                fi
                continue
            fi
            if contains "$dst" "${DSTS[@]}" ||
                { [[ ${#DSTS[@]} -eq 0 && $dst == default ]]; } ||
                { [[ -n $dev ]] && contains "$dev" "${DEVS[@]}"; }; then
                printf '%s\t%s\n' "$fam" "$line"
            fi
        done < <(ip -"$fam" -o route show table main 2>/dev/null | sed 's/[[:space:]]*$//')
    done
}

check_devs() {
    local d
    for d in "${DEVS[@]}"; do
        ip link show dev "$d" >/dev/null 2>&1 || die "no such interface: $d"
    done
}

# ---- state file -----------------------------------------------------------

state_has() { [[ -f $STATE_FILE ]] && grep -qF -- "$1" "$STATE_FILE"; }

state_append() {
    if [[ $DRY_RUN -eq 1 ]]; then
        printf '[dry-run] record in %s: %s\n' "$STATE_FILE" "$1"
        return 0
    fi
    mkdir -p "$STATE_DIR"
    [[ -f $STATE_FILE ]] || printf '# pushwire tcp-rto.sh original state; used by --revert\n' >"$STATE_FILE"
    printf '%s\n' "$1" >>"$STATE_FILE"
}

# ---- modes ------------------------------------------------------------------

do_apply() {
    [[ $DRY_RUN -eq 1 ]] || need_root "changing routes and sysctls"
    check_devs
    local changed=0 fam line key cur args
    if [[ $DO_ROUTES -eq 1 ]]; then
        local routes
        routes=$(target_routes)
        [[ -n $routes ]] || die "no matching routes (no default route? give --dev or --dst)"
        while IFS=$'\t' read -r fam line; do
            key=$(route_key "$fam" "$line")
            cur=$(route_rto_ms "$line")
            # Record the original route once, before the first change.
            state_has "route$TAB$key$TAB" || state_append "route$TAB$key$TAB$line"
            if [[ $cur == "$RTO_MS" ]]; then
                log "IPv$fam route '$line': rto_min already ${RTO_MS}ms"
                continue
            fi
            args=$(strip_route "$line")
            # shellcheck disable=SC2086 # args is a word list on purpose
            run ip -"$fam" route change $args rto_min "${RTO_MS}ms"
            changed=$((changed + 1))
        done <<<"$routes"
    fi
    if [[ $DO_SYSCTL -eq 1 ]]; then
        local want=$((RTO_MS * 1000)) now
        if now=$(sysctl_read "$SYSCTL_KEY"); then
            state_has "sysctl$TAB$SYSCTL_KEY$TAB" || state_append "sysctl$TAB$SYSCTL_KEY$TAB$now"
            if [[ $now == "$want" ]]; then
                log "$SYSCTL_KEY already $want"
            else
                write_file "$(sysctl_path "$SYSCTL_KEY")" "$want"
                changed=$((changed + 1))
            fi
        else
            warn "this kernel has no $SYSCTL_KEY (added in Linux 6.11); only the route metric applies"
        fi
    fi
    log "$changed change(s)$([[ $DRY_RUN -eq 1 ]] && echo ' planned, none made (dry run)')"
}

do_check() {
    check_devs
    local bad=0 fam line cur status
    printf '%-6s %-34s %-12s %-12s %s\n' FAMILY ROUTE CURRENT WANTED STATUS
    if [[ $DO_ROUTES -eq 1 ]]; then
        local routes
        routes=$(target_routes)
        if [[ -z $routes ]]; then
            printf '%-6s %-34s %-12s %-12s %s\n' - '(no matching route)' - "${RTO_MS}ms" differs
            bad=1
        fi
        while IFS=$'\t' read -r fam line; do
            [[ -n $line ]] || continue
            cur=$(route_rto_ms "$line")
            status=ok
            [[ $cur == "$RTO_MS" ]] || { status=differs; bad=1; }
            [[ $cur == none ]] || cur="${cur}ms"
            printf '%-6s %-34s %-12s %-12s %s\n' "IPv$fam" \
                "${line%% *} dev $(route_field "$line" dev)" "rto_min=$cur" "${RTO_MS}ms" "$status"
        done <<<"$routes"
    fi
    if [[ $DO_SYSCTL -eq 1 ]]; then
        local want=$((RTO_MS * 1000)) now
        if now=$(sysctl_read "$SYSCTL_KEY"); then
            status=ok
            [[ $now == "$want" ]] || { status=differs; bad=1; }
            printf '%-6s %-34s %-12s %-12s %s\n' sysctl "$SYSCTL_KEY" "$now" "$want" "$status"
        else
            printf '%-6s %-34s %-12s %-12s %s\n' sysctl "$SYSCTL_KEY" absent "$want" "n/a (kernel < 6.11)"
        fi
    fi
    if [[ -f $STATE_FILE ]]; then
        log "original state recorded in $STATE_FILE ($(grep -vc '^#' "$STATE_FILE") entries); --revert restores it"
    else
        log "no state file at $STATE_FILE (nothing applied by this tool, or already reverted)"
    fi
    return "$bad"
}

do_revert() {
    if [[ ! -f $STATE_FILE ]]; then
        log "nothing to revert: no state file at $STATE_FILE"
        return 0
    fi
    [[ $DRY_RUN -eq 1 ]] || need_root "reverting routes and sysctls"
    local kind key value failed=0 fam args
    while IFS=$'\t' read -r kind key value; do
        case $kind in
        route)
            fam=${key%%|*}
            args=$(strip_route "$value")
            local orig_rto
            orig_rto=$(route_field "$value" rto_min)
            [[ $orig_rto == lock ]] && orig_rto=$(route_field "$value" lock)
            # shellcheck disable=SC2086 # args is a word list on purpose
            if [[ -n $orig_rto ]]; then
                run ip -"$fam" route change $args rto_min "$orig_rto" || failed=1
            else
                run ip -"$fam" route change $args || failed=1
            fi ;;
        sysctl)
            if [[ -e $(sysctl_path "$key") ]]; then
                write_file "$(sysctl_path "$key")" "$value" || failed=1
            else
                warn "$key no longer exists; cannot restore it"; failed=1
            fi ;;
        '#'* | '') ;;
        *) warn "ignoring unknown state line: $kind" ;;
        esac
    done <"$STATE_FILE"
    if [[ $failed -ne 0 ]]; then
        die "some entries could not be restored; state kept in $STATE_FILE"
    fi
    if [[ $DRY_RUN -eq 1 ]]; then
        printf '[dry-run] rm %s\n' "$STATE_FILE"
    else
        rm -f "$STATE_FILE"
        log "reverted; removed $STATE_FILE"
    fi
}

case $MODE in
apply | dry-run) do_apply ;;
check) do_check ;;
revert) do_revert ;;
esac
