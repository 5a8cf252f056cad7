#!/bin/sh
# Benchmark: efftrade against mpmath on the same markets, in one run.
#   beta* of Example 1's sine market (b solved), n = 2..60, at 30 digits; and n = 10 at 100 digits.
# Writes the figures to BENCHMARKS.md. Needs python3; installs mpmath with pip when missing.
set -eu
cd "$(dirname "$0")/.."
python3 -c 'import mpmath' 2>/dev/null || python3 -m pip install --quiet mpmath
cargo build --release --quiet --bin efftrade
bin=./target/release/efftrade
out=$(mktemp -d)

now() { python3 -c 'import time; print(time.perf_counter())'; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

# Each timing is the best of three runs.
best() {
    best=""
    for _ in 1 2 3; do
        t0=$(now); "$@" > "$out/last"; t1=$(now)
        t=$(elapsed "$t0" "$t1")
        if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
    done
    echo "$best"
}

ns=$(seq 2 60 | tr '\n' ' ')
t_rust30=$(best "$bin" solve specs/example1-sine-solved.yaml --digits 30 --format json)
cp "$out/last" "$out/rust30.json"
t_rust30_1=$(RAYON_NUM_THREADS=1 best "$bin" solve specs/example1-sine-solved.yaml --digits 30 --format json)
t_py30=$(best python3 benches/mpmath_reference.py 30 $ns)
cp "$out/last" "$out/py30.txt"
t_rust100=$(best "$bin" solve benches/sine-n10.yaml --digits 100 --format json)
cp "$out/last" "$out/rust100.json"
t_py100=$(best python3 benches/mpmath_reference.py 100 10)
cp "$out/last" "$out/py100.txt"

# Digits on which the two agree (fewest over the markets).
agree=$(python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
def common(a, b):
    a, b = a.lstrip('-'), b.lstrip('-')
    k = 0
    for x, y in zip(a, b):
        if x != y: break
        if x.isdigit(): k += 1
    return k
def run(rust, py):
    r = {json.loads(l)["n"]: json.loads(l)["beta_star"] for l in open(os.path.join(out, rust))}
    p = dict(l.split() for l in open(os.path.join(out, py)))
    return min(common(r[n], p[n]) for n in p)
print(run("rust30.json", "py30.txt"), run("rust100.json", "py100.txt"))
PY
)
agree30=${agree% *}; agree100=${agree#* }
ratio() { python3 -c "print(f'{$1 / $2:.0f}')"; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
mpv=$(python3 -c 'import mpmath; print(mpmath.__version__)')

cat > BENCHMARKS.md <<MD
# Benchmarks

Produced by \`sh benches/run.sh\` (efftrade and mpmath $mpv timed in the same run, best of three,
on $(nproc) cores: $cpu).

| task | efftrade | efftrade, 1 thread | mpmath | speed-up (1 thread) | digits on which both agree |
|---|---:|---:|---:|---:|---:|
| beta* of Example 1's sine market (b solved), n = 2..60, 30 digits | ${t_rust30} s | ${t_rust30_1} s | ${t_py30} s | $(ratio "$t_py30" "$t_rust30_1")x | $agree30 |
| beta* of the same market, n = 10, 100 digits | ${t_rust100} s | | ${t_py100} s | $(ratio "$t_py100" "$t_rust100")x | $agree100 |

efftrade computes each market at two working precisions and prints only the digits on which
they agree (30 or 100 certified digits); mpmath computes once, at the requested digits plus 10
guard digits (\`benches/mpmath_reference.py\`). Both use the same one-dimensional forms of T1 and T2.
MD
cat BENCHMARKS.md
rm -rf "$out"
