#!/bin/sh
# A sweep of one spec's grid split into S shards run side by side by GNU parallel on one machine
# (or, with parallel's --sshlogin, on several), then merged into the file an unsharded run would
# write. The shards are cargo-nextest-style slices: shard K takes the points i with
# i mod S = K - 1.
#
#   sh examples/parallel/sweep.sh SPEC [SHARDS] [OUT-DIR]
#
# Environment: DIGITS (default 30), EFFTRADE (the binary, default target/release/efftrade; build
# it once with `./x build`), JOBS (shards run at once, default: one per core). Writes
# OUT-DIR/shard-K.csv (default sweep-parallel) and OUT-DIR/sweep.csv, the merged sweep.
set -eu

spec=${1:?usage: sh examples/parallel/sweep.sh SPEC [SHARDS] [OUT-DIR]}
shards=${2:-4}
out=${3:-sweep-parallel}
DIGITS=${DIGITS:-30}
EFFTRADE=${EFFTRADE:-target/release/efftrade}
command -v parallel >/dev/null 2>&1 ||
    { echo "sweep.sh: GNU parallel is not installed (Debian/Ubuntu: apt-get install parallel)" >&2; exit 2; }
mkdir -p "$out"

# One job per shard; each runs single-threaded so that parallel's job slots are the cores.
# --halt now,fail=1 stops the rest as soon as one shard fails, and parallel then exits non-zero.
seq 1 "$shards" | RAYON_NUM_THREADS=1 parallel --will-cite --halt now,fail=1 ${JOBS:+--jobs "$JOBS"} \
    "$EFFTRADE" sweep "$spec" --digits "$DIGITS" --format csv \
    --shard "slice:{}/$shards" --out "$out/shard-{}.csv"

# `merge` checks that every point is present exactly once and writes them in grid order.
"$EFFTRADE" merge "$out"/shard-*.csv --out "$out/sweep.csv"
