#!/usr/bin/env bash
# Apply, preview or check the kernel settings in sysctl-push.conf.
set -euo pipefail

PW_PROG='apply-sysctls.sh'
HERE=$(dirname "$(readlink -f "$0")")
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() {
    cat <<EOF
Usage: $PW_PROG [OPTIONS] [--dry-run | --check]

Apply the settings of a sysctl file (default: sysctl-push.conf next to this
script) with sysctl -w, one key at a time. Keys this kernel does not have
are reported and skipped, not treated as errors.

  --file FILE      settings file (key = value; each key's comment above it
                   starts with [global] or [netns])
  --scope SCOPE    all (default), netns (only per-network-namespace keys:
                   safe inside 'ip netns exec' or a container) or global
  --dry-run        print the sysctl -w commands; change nothing
  --check          table of key / current / wanted / status, plus the open
                   file limit; exit 0 if all present keys are as wanted
  -h, --help       this text

Exit codes: 0 ok, 1 failure or (for --check) some key differs, 2 usage error.
EOF
}

CONF=$HERE/sysctl-push.conf
DROPIN=$HERE/systemd/pushwire-gateway.service.d/limits.conf
SCOPE=all
MODE=apply

while [[ $# -gt 0 ]]; do
    case $1 in
    --file) need_value "$1" $#; CONF=$2; shift 2 ;;
    --scope) need_value "$1" $#; SCOPE=$2; shift 2 ;;
    --dry-run) MODE=dry-run; DRY_RUN=1; shift ;;
    --check) MODE=check; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
    esac
done

case $SCOPE in all | netns | global) ;; *) usage_error "bad --scope: $SCOPE (all, netns or global)" ;; esac
[[ -r $CONF ]] || die "cannot read $CONF"

# settings -> "SCOPE<TAB>KEY<TAB>VALUE" per setting, value whitespace squeezed.
# The scope comes from the nearest comment above that starts with [global] or
# [netns]; a key without one counts as global (the safe assumption).
settings() {
    awk '
        /^[[:space:]]*$/ { next }
        /^[[:space:]]*[#;]/ {
            if (match($0, /\[(global|netns)\]/)) scope = substr($0, RSTART + 1, RLENGTH - 2)
            next
        }
        /=/ {
            key = $0; sub(/=.*/, "", key); gsub(/[[:space:]]/, "", key)
            val = $0; sub(/^[^=]*=/, "", val)
            gsub(/[[:space:]]+/, " ", val); sub(/^ /, "", val); sub(/ $/, "", val)
            print (scope == "" ? "global" : scope) "\t" key "\t" val
            scope = ""
            next
        }
        { printf "%s: line %d is not key = value: %s\n", FILENAME, NR, $0 > "/dev/stderr"; bad = 1 }
        END { exit bad }
    ' "$CONF"
}

ALL=$(settings) || die "$CONF has malformed lines"
[[ -n $ALL ]] || die "$CONF has no settings"
if [[ $SCOPE != all ]]; then
    ALL=$(awk -F'\t' -v s="$SCOPE" '$1 == s' <<<"$ALL")
    [[ -n $ALL ]] || die "$CONF has no [$SCOPE] settings"
fi

check_nofile() {
    local want soft hard
    want=$(sed -n 's/^LimitNOFILE=\([0-9]*\).*/\1/p' "$DROPIN" 2>/dev/null | tail -n1)
    soft=$(ulimit -Sn) hard=$(ulimit -Hn)
    printf '\nOpen files per process (RLIMIT_NOFILE of this shell): soft %s, hard %s; the gateway service gets LimitNOFILE=%s from %s\n' \
        "$soft" "$hard" "${want:-?}" "systemd/pushwire-gateway.service.d/limits.conf"
    if [[ -n $want && $hard != unlimited ]] && ((hard < want)); then
        printf 'NOTE: this environment caps open files at %s per process, below the %s wanted: it can hold at most ~%s connections per process here.\n' \
            "$hard" "$want" "$hard"
    fi
}

do_check() {
    local scope key want cur status bad=0 n_ok=0 n_diff=0 n_abs=0
    printf '%-36s %-28s %-28s %s\n' KEY CURRENT WANTED STATUS
    while IFS=$'\t' read -r scope key want; do
        if cur=$(sysctl_read "$key"); then
            if [[ $cur == "$want" ]]; then
                status=ok; n_ok=$((n_ok + 1))
            else
                status=differs; n_diff=$((n_diff + 1)); bad=1
            fi
        else
            cur='(absent)' status="absent: kernel/module lacks it"; n_abs=$((n_abs + 1))
        fi
        printf '%-36s %-28s %-28s %s\n' "$key" "$cur" "$want" "$status [$scope]"
    done <<<"$ALL"
    printf '%d ok, %d differ, %d absent\n' "$n_ok" "$n_diff" "$n_abs"
    check_nofile
    return "$bad"
}

do_apply() {
    [[ $DRY_RUN -eq 1 ]] || need_root "writing sysctls"
    have_cmd sysctl || die "the 'sysctl' command (procps) is required"
    local scope key want cur failed=0 changed=0
    while IFS=$'\t' read -r scope key want; do
        if ! cur=$(sysctl_read "$key"); then
            log "skip $key: this kernel has no such key (module not loaded or too old)"
            continue
        fi
        if [[ $cur == "$want" ]]; then
            log "ok   $key = $want"
            continue
        fi
        if run sysctl -q -w "$key=$want"; then
            changed=$((changed + 1))
        else
            warn "could not set $key (read-only in this namespace, or value rejected)"
            failed=1
        fi
    done <<<"$ALL"
    log "$changed change(s)$([[ $DRY_RUN -eq 1 ]] && echo ' planned, none made (dry run)')"
    return "$failed"
}

case $MODE in
check) do_check ;;
apply | dry-run) do_apply ;;
esac
