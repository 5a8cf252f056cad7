#!/bin/sh
# Records the JSON output of every numeric command on every spec, so that a refactor can show it
# changed no byte.
#
#   sh scripts/outputs.sh record DIR          run the release binary, write DIR/<spec>.<command>.<digits>
#   sh scripts/outputs.sh compare OLD NEW     list every file that differs (exit 1 if any)
#
# Commands: solve, sweep, replicate (replication specs), lemma3, and mechanism both ways (`lp`, the
# LP cutoff, for every market spec; `verify`, Lemma 1's mechanism at beta = 1/2, for the specs of
# two and three agents, since its quasi-Monte Carlo verification of markets with dozens of agents
# takes minutes a spec), each at 30 and 60 digits, one file per run holding the exit code and
# standard output. Standard error (progress bars, messages) is kept beside it in a `.err` file,
# which `compare` does not read. `EFFTRADE` names the binary (default
# target/release/efftrade, built by `cargo build --release --bin efftrade`).
set -eu
cd "$(dirname "$0")/.."

bin=${EFFTRADE:-target/release/efftrade}
usage() {
    sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

run() { # run FILE ARGS...: exit code and stdout in FILE, stderr in FILE.err
    file=$1
    shift
    set +e
    "$bin" "$@" > "$file.out" 2> "$file.err"
    code=$?
    set -e
    { echo "exit $code"; cat "$file.out"; } > "$file"
    rm -f "$file.out"
}

record() {
    dir=$1
    mkdir -p "$dir"
    [ -x "$bin" ] || { echo "outputs: no binary at $bin (cargo build --release --bin efftrade)" >&2; exit 2; }
    # `mechanism` has the subcommands `lp` and `verify` since it was split; an older binary takes
    # both modes as `mechanism SPEC [--beta B]`. The file names are the same either way.
    if "$bin" mechanism --help 2>/dev/null | grep -q '^Commands:'; then
        lp='mechanism lp'
        verify='mechanism verify'
    else
        lp=mechanism
        verify=mechanism
    fi
    for spec in specs/*.yaml; do
        name=$(basename "$spec" .yaml)
        for d in 30 60; do
            printf 'outputs: %s at %s digits\n' "$name" "$d" >&2
            run "$dir/$name.solve.$d" solve "$spec" --digits "$d" --format json
            run "$dir/$name.sweep.$d" sweep "$spec" --digits "$d" --format json
            run "$dir/$name.lemma3.$d" lemma3 "$spec" --digits "$d" --format json
            if grep -q 'replicate' "$spec"; then
                run "$dir/$name.replicate.$d" replicate "$spec" --digits "$d" --format json
            else
                run "$dir/$name.mechanism-lp.$d" $lp "$spec" --lp 10,20,40 --digits "$d" --format json
                case $name in
                    three-agents-uniform | myerson-satterthwaite | cramton-gibbons-klemperer)
                        run "$dir/$name.mechanism-beta.$d" $verify "$spec" --beta 1/2 --grid 3 --digits "$d" --format json ;;
                esac
            fi
        done
    done
}

compare() {
    old=$1
    new=$2
    differ=0
    for f in "$old"/*; do
        case $f in *.err) continue ;; esac
        g="$new/$(basename "$f")"
        if [ ! -f "$g" ]; then
            echo "missing: $g"
            differ=1
        elif ! cmp -s "$f" "$g"; then
            echo "differs: $(basename "$f")"
            differ=1
        fi
    done
    for g in "$new"/*; do
        case $g in *.err) continue ;; esac
        [ -f "$old/$(basename "$g")" ] || { echo "new: $g"; differ=1; }
    done
    [ $differ = 0 ] && echo "outputs: every file identical ($(ls "$old" | grep -vc '\.err$') files)"
    return $differ
}

[ $# -ge 1 ] || usage
case $1 in
    record) [ $# = 2 ] || usage; record "$2" ;;
    compare) [ $# = 3 ] || usage; compare "$2" "$3" ;;
    *) usage ;;
esac
