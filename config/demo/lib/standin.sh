# Shared functions of the fleetward stand-in tools (POSIX sh, coreutils only).
#
# The stand-ins replace clan, nh, nixos-version, darwin-version and readlink inside a fleetward
# simulation: every machine is a folder $FLEETWARD_SIMULATION/hosts/<host>/ holding what the real
# machine would hold (run/current-system, home/<user>/.local/state/...). They are sourced with
#   . "$(dirname "$0")/../lib/standin.sh"

# The nixpkgs release every demo host runs, and the fallbacks reported by a host that was never
# deployed (they match the nixpkgs and nix-darwin locked in the demo flake.lock).
STANDIN_RELEASE=25.11
STANDIN_NIXPKGS_REV=8c7d4607d95b8fe068b130468746b380a5faa2b9
STANDIN_NIXPKGS_DATE=20251120
STANDIN_DARWIN_REV=f29ddbe7299086efd67fbbb28f24a481984206e9

# Prints its arguments as one line on stderr and exits 1.
standin_die() {
    printf '%s\n' "$*" >&2
    exit 1
}

# Refuses to run outside a simulation: a stand-in must never touch a real machine or a real home.
standin_require_simulation() {
    case ${FLEETWARD_SIMULATION-} in
        /*) ;;
        *) standin_die "$1: FLEETWARD_SIMULATION is not an absolute path; this is fleetward's stand-in for $1 and only runs inside a simulation" ;;
    esac
    [ -d "$FLEETWARD_SIMULATION" ] || standin_die "$1: simulation root $FLEETWARD_SIMULATION does not exist"
}

# Succeeds when $1 is a host or user name as fleetward accepts it: [a-z0-9][a-z0-9_-]{0,62}.
standin_valid_name() {
    case $1 in
        '' | [!a-z0-9]* | *[!a-z0-9_-]*) return 1 ;;
    esac
    [ ${#1} -le 63 ]
}

# Succeeds when $1 is a Nix store path /nix/store/<32 base-32 characters>-<name>, with Nix's
# characters for the name (no '/', no leading '.').
standin_valid_store_path() {
    case $1 in
        /nix/store/?*-?*) ;;
        *) return 1 ;;
    esac
    _base=${1#/nix/store/}
    _hash=${_base%%-*}
    _name=${_base#*-}
    [ ${#_hash} -eq 32 ] || return 1
    case $_hash in
        *[!0-9abcdfghijklmnpqrsvwxyz]*) return 1 ;;
    esac
    case $_name in
        .* | *[!A-Za-z0-9+._?=-]*) return 1 ;;
    esac
}

# Succeeds when $1 is a full 40-hex-digit git revision.
standin_valid_rev() {
    case $1 in
        *[!0-9a-f]*) return 1 ;;
    esac
    [ ${#1} -eq 40 ]
}

# Prints the 32-character store path hash of the text $1, computed like Nix does: sha256,
# folded to 20 bytes by XOR, printed in Nix's base32 (alphabet without e, o, t, u; last bits first).
standin_store_hash() (
    set -- $(printf '%s' "$1" | sha256sum)
    hex=$1
    k=0
    while [ $k -lt 20 ]; do
        eval "b$k=0"
        k=$((k + 1))
    done
    k=0
    while [ -n "$hex" ]; do
        rest=${hex#??}
        byte=${hex%"$rest"}
        hex=$rest
        i=$((k % 20))
        eval "b$i=\$((b$i ^ 0x$byte))"
        k=$((k + 1))
    done
    set -- 0 1 2 3 4 5 6 7 8 9 a b c d f g h i j k l m n p q r s v w x y z
    out=
    n=31
    while [ $n -ge 0 ]; do
        i=$((n * 5 / 8))
        j=$((n * 5 % 8))
        eval "v=\$((b$i >> j))"
        if [ $i -lt 19 ]; then
            eval "v=\$((v | (b$((i + 1)) << (8 - j))))"
        fi
        eval "out=\$out\${$(((v & 31) + 1))}"
        n=$((n - 1))
    done
    printf '%s\n' "$out"
)

# Prints one "sha256  relative/path" line per file below directory $1, in byte order of the
# names, so the same content always gives the same listing.
standin_tree_listing() (
    LC_ALL=C
    cd "$1" || exit 1
    standin_list_dir .
)

standin_list_dir() (
    for entry in "$1"/* "$1"/.[!.]* "$1"/..?*; do
        if [ -d "$entry" ] && [ ! -L "$entry" ]; then
            standin_list_dir "$entry"
        elif [ -e "$entry" ] || [ -L "$entry" ]; then
            sha256sum -- "$entry"
        fi
    done
)

# Prints the message of the first line holding `throw "<message>"` in the files below directory $1
# (in byte order of the names) and succeeds, or fails silently: the simulation's Nix evaluation
# error, so that a commit can break a machine's build and a later commit can fix it.
standin_thrown_message() (
    LC_ALL=C
    cd "$1" || exit 1
    standin_find_throw .
)

standin_find_throw() (
    for entry in "$1"/* "$1"/.[!.]* "$1"/..?*; do
        if [ -d "$entry" ] && [ ! -L "$entry" ]; then
            standin_find_throw "$entry" && exit 0
        elif [ -f "$entry" ]; then
            while IFS= read -r line || [ -n "$line" ]; do
                case $line in
                    *'throw "'*)
                        message=${line#*throw \"}
                        printf '%s\n' "${message%%\"*}"
                        exit 0
                        ;;
                esac
            done <"$entry"
        fi
    done
    exit 1
)

# Prints "rev lastModified" of node $2 in flake.lock $1 (as nix writes it: two-space indent,
# node names at depth two); prints nothing when the node or its revision is missing.
standin_locked_input() {
    [ -f "$1" ] || return 0
    _node=
    _rev=
    _modified=
    while IFS= read -r _line; do
        case $_line in
            '    "'*'": {')
                [ "$_node" = "$2" ] && break
                _node=${_line#    \"}
                _node=${_node%%\"*}
                ;;
            *'"rev": "'*)
                if [ "$_node" = "$2" ] && [ -z "$_rev" ]; then
                    _rev=${_line#*\"rev\": \"}
                    _rev=${_rev%%\"*}
                fi
                ;;
            *'"lastModified": '*)
                if [ "$_node" = "$2" ] && [ -z "$_modified" ]; then
                    _modified=${_line#*\"lastModified\": }
                    _modified=${_modified%%,*}
                fi
                ;;
        esac
    done <"$1"
    if standin_valid_rev "$_rev"; then
        case $_modified in
            '' | *[!0-9]*) _modified=0 ;;
        esac
        printf '%s %s\n' "$_rev" "$_modified"
    fi
}

# Atomically points symlink $2 at $1, like nix-env and switch-to-configuration do.
standin_switch_link() {
    mkdir -p "$(dirname "$2")" &&
        ln -sfn -- "$1" "$2.tmp.$$" &&
        mv -Tf -- "$2.tmp.$$" "$2"
}

# Atomically replaces file $1 with the text $2 (one line).
standin_write_file() {
    mkdir -p "$(dirname "$1")" &&
        printf '%s\n' "$2" >"$1.tmp.$$" &&
        mv -f -- "$1.tmp.$$" "$1"
}

# Prints its arguments as one POSIX shell command line in which each is a single-quoted word, so
# that a remote shell (ssh runs "$SHELL -c LINE" on the far side) sees exactly these arguments.
standin_shell_words() {
    _words=
    for _word do
        _quoted=
        while :; do
            case $_word in
                *\'*)
                    _quoted=$_quoted${_word%%\'*}"'\\''"
                    _word=${_word#*\'}
                    ;;
                *) break ;;
            esac
        done
        _words="$_words${_words:+ }'$_quoted$_word'"
    done
    printf '%s\n' "$_words"
}

# Appends "<UTC time with nanoseconds> <unix user> <kind> <path>" to log file $1: who ran which
# activation ($2 system or home, $3 the activated path). The user is `id -un`, never a variable, so
# the log shows the account the activation really ran as.
standin_log_activation() {
    printf '%s %s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" "$(id -un)" "$2" "$3" >>"$1"
}
