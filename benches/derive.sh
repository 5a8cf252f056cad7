#!/bin/sh
# Benchmark: `efftrade derive` (release build) on every spec in specs/, one process at a time
# (Symbolica, unlicensed, allows one). Target: all closed forms in under 10 s in total.
# Writes the timings into BENCHMARKS.md between the markers of its "Symbolic derivations" section.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin efftrade
bin=./target/release/efftrade
out=$(mktemp -d)
now() { date +%s.%N; }
rows=""
t_start=$(now)
for spec in specs/*.yaml; do
    name=$(basename "$spec" .yaml)
    t0=$(now)
    if "$bin" derive "$spec" --out "$out/$name.txt" > /dev/null 2> "$out/$name.err"; then
        status=$(tail -n 1 "$out/$name.err" | sed 's/, in [0-9.]* s.*//; s/^[^:]*: //')
    else
        status="refused: $(grep -m1 '^error' "$out/$name.err" | sed 's/^error: //')"
    fi
    t1=$(now)
    rows="$rows| \`$name\` | $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') | $status |
"
done
t_end=$(now)
total=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.2f", b - a }')
verdict=$(awk -v t="$total" 'BEGIN { if (t < 10) print "met"; else print "not met" }')
section="<!-- derive:start -->
## Symbolic derivations

\`sh benches/derive.sh\`: \`efftrade derive SPEC\` (release build; closed forms for markets of up
to 12 agents, the power family in \`n\` and \`k\`, Lemma 3 with a 3-term Watson expansion, every
value compared with the numeric engine to 40 digits), one spec after another, wall clock per
process including start-up and Symbolica's licence check.

| spec | seconds | result |
|---|---:|---|
$rows
All specs: **$total s** (target: under 10 s; $verdict).
<!-- derive:end -->"
python3 - "$section" <<'PY'
import re, sys
section = sys.argv[1]
text = open("BENCHMARKS.md").read() if __import__("os").path.exists("BENCHMARKS.md") else ""
if "<!-- derive:start -->" in text:
    text = re.sub(r"<!-- derive:start -->.*<!-- derive:end -->", lambda _: section, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open("BENCHMARKS.md", "w").write(text)
PY
echo "derive: all specs in $total s ($verdict)"
