#!/bin/sh
# A real GNU parallel run of examples/parallel/sweep.sh: 4 shards of a spec's grid (run two at a
# time), merged, and compared byte for byte with an unsharded `efftrade sweep`. Run by `./x test`.
#
#   sh examples/parallel/test.sh
#
# GNU parallel comes from Debian's package `parallel`; when absent it is installed with apt-get
# as root, and without root the test fails saying what to install. Environment: EFFTRADE (default
# target/debug/efftrade), SPEC (default specs/example1-uniform.yaml), DIGITS (default 12).
set -eu
cd "$(dirname "$0")/../.."
repo=$PWD

say() { printf 'parallel-test: %s\n' "$*"; }
fail() {
    printf 'parallel-test: FAILED: %s\n' "$*" >&2
    exit 1
}

EFFTRADE=${EFFTRADE:-$repo/target/debug/efftrade}
SPEC=${SPEC:-specs/example1-uniform.yaml}
DIGITS=${DIGITS:-12}
[ -x "$EFFTRADE" ] || fail "no efftrade binary at $EFFTRADE (build it with 'cargo build --bin efftrade')"

if ! command -v parallel >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing GNU parallel from Debian's packages (apt-get install parallel)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends parallel >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 &&
                apt-get install -y -qq --no-install-recommends parallel >/dev/null; } ||
            fail "apt-get could not install parallel"
    else
        fail "GNU parallel is not installed and this is not root with apt-get: install the package
parallel (Debian/Ubuntu: 'sudo apt-get install parallel'), or run the test as root, which installs it"
    fi
fi
say "using $(parallel --version | head -1)"

tmp=$(mktemp -d /tmp/efftrade-parallel.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

say "sweeping $SPEC in 4 slices, 2 at a time, with examples/parallel/sweep.sh ($DIGITS digits)"
DIGITS=$DIGITS EFFTRADE=$EFFTRADE JOBS=2 sh examples/parallel/sweep.sh "$SPEC" 4 "$tmp/out" ||
    fail "examples/parallel/sweep.sh failed"
for k in 1 2 3 4; do
    [ -s "$tmp/out/shard-$k.csv" ] || fail "shard $k wrote nothing"
    say "shard $k: $(($(wc -l <"$tmp/out/shard-$k.csv") - 1)) points"
done

say "running the unsharded sweep for comparison"
"$EFFTRADE" sweep "$SPEC" --digits "$DIGITS" --format csv --out "$tmp/unsharded.csv" 2>/dev/null
if cmp "$tmp/out/sweep.csv" "$tmp/unsharded.csv"; then
    say "PASSED: merged file of 4 GNU parallel shards is byte-identical to the unsharded sweep ($(wc -l <"$tmp/unsharded.csv") lines, $(wc -c <"$tmp/unsharded.csv") bytes)"
else
    diff "$tmp/out/sweep.csv" "$tmp/unsharded.csv" | head -20
    fail "the merged file differs from the unsharded sweep"
fi
