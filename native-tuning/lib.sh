# shellcheck shell=bash
# Shared helpers for the pushwire native-tuning scripts. Sourced, not run.
#
# Exit-code convention used by every script:
#   0  success (for --check: everything is as wanted)
#   1  failure (for --check: something differs from what is wanted)
#   2  usage error (bad option or value)

PW_PROG=${PW_PROG:-$(basename "$0")}
DRY_RUN=${DRY_RUN:-0}

log()  { printf '%s: %s\n' "$PW_PROG" "$*"; }
warn() { printf '%s: warning: %s\n' "$PW_PROG" "$*" >&2; }
die()  { printf '%s: error: %s\n' "$PW_PROG" "$*" >&2; exit 1; }
usage_error() {
    printf '%s: %s (see --help)\n' "$PW_PROG" "$*" >&2
    exit 2
}

# need_value OPTION "$#" : an option that takes a value must have one.
need_value() {
    [[ $2 -ge 2 ]] || usage_error "option $1 needs a value"
}

is_root() { [[ $(id -u) -eq 0 ]]; }
need_root() {
    is_root || die "$1 needs root (run with sudo, or use --dry-run / --check)"
}

have_cmd() { command -v "$1" >/dev/null 2>&1; }

# run CMD ARGS... : print the command; execute it unless DRY_RUN=1.
run() {
    if [[ $DRY_RUN -eq 1 ]]; then
        printf '[dry-run] %s\n' "$*"
    else
        printf '+ %s\n' "$*"
        "$@"
    fi
}

# write_file PATH VALUE : dry-run aware "echo VALUE > PATH".
write_file() {
    if [[ $DRY_RUN -eq 1 ]]; then
        printf '[dry-run] echo %s > %s\n' "$2" "$1"
    else
        printf '+ echo %s > %s\n' "$2" "$1"
        printf '%s\n' "$2" >"$1"
    fi
}

# parse_ms VALUE : "3s", "2.5s", "3000ms", "3000" (ms) -> integer milliseconds.
parse_ms() {
    local v=$1 num unit
    if [[ $v =~ ^([0-9]+(\.[0-9]+)?)(ms|s)?$ ]]; then
        num=${BASH_REMATCH[1]} unit=${BASH_REMATCH[3]:-ms}
    else
        return 1
    fi
    if [[ $unit == s ]]; then
        awk -v n="$num" 'BEGIN { printf "%d\n", n * 1000 + 0.5 }'
    else
        awk -v n="$num" 'BEGIN { printf "%d\n", n + 0.5 }'
    fi
}

# cpulist_expand "0-2,5" -> "0 1 2 5"
cpulist_expand() {
    local part a b out=()
    local IFS=,
    for part in $1; do
        if [[ $part =~ ^([0-9]+)-([0-9]+)$ ]]; then
            a=${BASH_REMATCH[1]} b=${BASH_REMATCH[2]}
            ((a <= b)) || return 1
            while ((a <= b)); do out+=("$a"); a=$((a + 1)); done
        elif [[ $part =~ ^[0-9]+$ ]]; then
            out+=("$part")
        else
            return 1
        fi
    done
    local IFS=' '
    printf '%s\n' "${out[*]}"
}

# cpus_to_mask "0 2 5" -> comma-grouped hex mask as /sys and /proc expect ("25").
cpus_to_mask() {
    local cpu max=0 words=() i w
    for cpu in $1; do ((cpu > max)) && max=$cpu; done
    for ((i = 0; i <= max / 32; i++)); do words[i]=0; done
    for cpu in $1; do
        w=$((cpu / 32))
        words[w]=$((words[w] | (1 << (cpu % 32))))
    done
    local out
    out=$(printf '%x' "${words[max / 32]}")
    for ((i = max / 32 - 1; i >= 0; i--)); do
        out+=$(printf ',%08x' "${words[i]}")
    done
    printf '%s\n' "$out"
}

# sysctl_path KEY -> /proc/sys path (dots to slashes).
sysctl_path() { printf '/proc/sys/%s\n' "${1//.//}"; }

# sysctl_read KEY -> value with whitespace squeezed, or nothing + status 1.
sysctl_read() {
    local p
    p=$(sysctl_path "$1")
    [[ -r $p ]] || return 1
    tr -s ' \t' '  ' <"$p"
}
