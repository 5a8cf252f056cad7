#!/bin/sh
# Benchmark of the rigorous engine: beta* of Example 1's sine market (b solved) replicated
# m = 10^1 .. 10^12 times (N = 2m agents), 50 digits, in one run:
#   efftrade replicate --rigorous (every digit proved by Arb balls),
#   the hand-specialised python-flint script benches/replication_flint.py (Arb's integrator, Newton
#     on midpoints, no proof of its roots or of the layer it drops),
#   efftrade replicate (the fast engine: two precisions and quadrature error estimates).
# Whole commands, best of three, one thread each (RAYON_NUM_THREADS=1; the Arb script is one
# process per N, its compute time summed). Prints a Markdown table for BENCHMARKS.md; checks that
# the three agree on every digit printed. EFFTRADE_PROFILE as in benches/run.sh.
set -eu
cd "$(dirname "$0")/.."
profile=${EFFTRADE_PROFILE:-release}
case $profile in dev) dir=debug ;; *) dir=$profile ;; esac
python3 -c 'import flint' 2>/dev/null || python3 -m pip install --quiet python-flint
cargo build --profile "$profile" --quiet --bin efftrade
bin=./target/$dir/efftrade
spec=benches/sine-replications-rigorous.yaml
out=$(mktemp -d)

now() { date +%s.%N; }
best3() { # best wall time of three runs of "$@", output kept in $out/last
    best=""
    for _ in 1 2 3; do
        t0=$(now); "$@" > "$out/last"; t1=$(now)
        best=$(python3 -c "print(f'{min($t1 - $t0, ${best:-$t1 - $t0}):.2f}')")
    done
}

RAYON_NUM_THREADS=1 best3 "$bin" replicate "$spec" --digits 50 --rigorous --format json
t_rig=$best; cp "$out/last" "$out/rigorous.json"
RAYON_NUM_THREADS=1 best3 "$bin" replicate "$spec" --digits 50 --format json
t_fast=$best; cp "$out/last" "$out/fast.json"
flint_all() {
    for k in $(seq 1 12); do
        python3 benches/replication_flint.py 50 "$(python3 -c "print(2 * 10**$k)")" 1 2>> "$out/flint.err"
    done
}
: > "$out/flint.err"
best3 flint_all
t_flint=$best; cp "$out/last" "$out/flint.txt"
c_flint=$(python3 -c "import sys; v=[float(x) for x in open('$out/flint.err')]; print(f'{min(sum(v[12*j:12*j+12]) for j in range(3)):.2f}')")

python3 - "$out" <<'EOF'
import json, sys
from decimal import Decimal, getcontext
getcontext().prec = 80
out = sys.argv[1]
def stars(path):
    rows = [json.loads(l) for l in open(f"{out}/{path}") if '"beta_star"' in l]
    return {r["N"]: r["beta_star"] for r in rows}
rig, fast = stars("rigorous.json"), stars("fast.json")
flint = dict(l.split() for l in open(f"{out}/flint.txt"))
for n, b in rig.items():
    for other, name in ((fast.get(n), "fast"), (flint.get(n), "Arb script")):
        assert other, f"N = {n}: no value from {name}"
        gap = abs(Decimal(other) / Decimal(b) - 1)
        assert gap < Decimal("1e-48"), f"N = {n}: {name} {other} vs rigorous {b}"
print(f"agree: {len(rig)} values of N")
EOF
flintv=$(python3 -c 'import flint; print(flint.__version__)')
cat <<EOF
| engine (sine market, N = 2·10^1 .. 2·10^12, 50 digits) | wall time | vs rigorous |
|---|---|---|
| efftrade \`replicate --rigorous\` (Arb balls, every digit proved) | ${t_rig} s | 1x |
| hand-specialised Arb script (python-flint $flintv), 12 processes | ${t_flint} s (compute ${c_flint} s) | $(python3 -c "print(f'{$t_flint / $t_rig:.2f}')")x |
| efftrade \`replicate\` (fast engine) | ${t_fast} s | $(python3 -c "print(f'{$t_fast / $t_rig:.2f}')")x |
EOF
