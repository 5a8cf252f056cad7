#!/bin/sh
# A real Slurm run of examples/slurm/sweep.sbatch: a one-node cluster (munged, slurmctld and
# slurmd on this machine, configured in a temporary directory through SLURM_CONF), the sweep
# submitted as a job array of 4 shards, the merge job run after it, and the merged file compared
# byte for byte with an unsharded `efftrade sweep` of the same spec. Run by `./x test`.
#
#   sh examples/slurm/test.sh
#
# Slurm and munge come from Debian's packages (slurm-wlm, munge); when absent they are installed
# with apt-get as root, and without root the test fails saying what to install. Environment:
# EFFTRADE (the binary, default target/debug/efftrade), SPEC (default
# specs/example1-uniform.yaml), DIGITS (default 12), TIMEOUT (seconds to wait for the jobs,
# default 600).
set -eu
cd "$(dirname "$0")/../.."
repo=$PWD

say() { printf 'slurm-test: %s\n' "$*"; }
fail() {
    printf 'slurm-test: FAILED: %s\n' "$*" >&2
    exit 1
}

EFFTRADE=${EFFTRADE:-$repo/target/debug/efftrade}
SPEC=${SPEC:-specs/example1-uniform.yaml}
DIGITS=${DIGITS:-12}
TIMEOUT=${TIMEOUT:-600}
case $EFFTRADE in /*) ;; *) EFFTRADE=$repo/$EFFTRADE ;; esac
[ -x "$EFFTRADE" ] || fail "no efftrade binary at $EFFTRADE (build it with 'cargo build --bin efftrade')"

# 1. Slurm and munge, from Debian's packages when absent.
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 ||
    ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing Slurm and munge from Debian's packages (apt-get install slurm-wlm munge)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 &&
                apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null; } ||
            fail "apt-get could not install slurm-wlm and munge"
    else
        fail "Slurm is not installed and this is not root with apt-get: install the packages
slurm-wlm and munge (Debian/Ubuntu: 'sudo apt-get install slurm-wlm munge'), or run the test as
root, which installs them"
    fi
fi
[ "$(id -u)" = 0 ] || fail "the one-node cluster runs slurmd, which must run as root: run the test as root"
say "using $(slurmctld -V)"

tmp=$(mktemp -d /tmp/efftrade-slurm.XXXXXX)
chmod 755 "$tmp"
started_munged=
cleanup() {
    for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid"; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    [ -n "$started_munged" ] && [ -s /run/munge/efftrade-test.pid ] &&
        kill "$(cat /run/munge/efftrade-test.pid)" 2>/dev/null || true
    sleep 1
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# 2. munge: the key the package made, and a daemon (ours, unless one already answers).
if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged is already running"
else
    [ -s /etc/munge/munge.key ] || {
        say "creating a munge key"
        if command -v mungekey >/dev/null 2>&1; then mungekey --create; else
            dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; fi
        chown munge:munge /etc/munge/munge.key
        chmod 400 /etc/munge/munge.key
    }
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    say "starting munged"
    runuser -u munge -- munged --pid-file=/run/munge/efftrade-test.pid ||
        fail "munged did not start (see /var/log/munge/munged.log)"
    started_munged=1
    munge -n </dev/null | unmunge >/dev/null || fail "munge does not round-trip a credential"
fi

# 3. The cluster: this host, 2 CPUs, no cgroups.
host=$(hostname -s)
cpus=$(nproc)
[ "$cpus" -gt 2 ] && cpus=2
export SLURM_CONF="$tmp/slurm.conf"
mkdir -p "$tmp/state" "$tmp/spool"
cat >"$SLURM_CONF" <<EOF
ClusterName=efftrade-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=efftrade Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
say "starting slurmctld and slurmd (node $host, $cpus CPUs, SLURM_CONF=$SLURM_CONF)"
slurmctld -c || fail "slurmctld did not start: $(tail -5 "$tmp/slurmctld.log" 2>/dev/null)"
slurmd || fail "slurmd did not start: $(tail -5 "$tmp/slurmd.log" 2>/dev/null)"

waited=0
until [ "$(sinfo -h -n "$host" -o %t 2>/dev/null)" = idle ]; do
    waited=$((waited + 1))
    if [ "$waited" -gt 60 ]; then
        say "slurmctld log:"; tail -20 "$tmp/slurmctld.log" 2>/dev/null || true
        say "slurmd log:"; tail -20 "$tmp/slurmd.log" 2>/dev/null || true
        fail "the node did not become idle within 60 s (state: $(sinfo -h -o %t 2>&1))"
    fi
    sleep 1
done
say "node $host is idle after ${waited} s"

# 4. The sweep as an array of 4 shards, then the merge job that depends on it.
out="$tmp/sweep"
array=$(sbatch --parsable --array=1-4 --cpus-per-task=1 --chdir="$repo" \
    --output="$tmp/slurm-%A_%a.log" \
    --export=ALL,SPEC="$SPEC",DIGITS="$DIGITS",EFFTRADE="$EFFTRADE",OUT="$out" \
    examples/slurm/sweep.sbatch) || fail "sbatch refused the array job"
say "submitted $SPEC as job array $array (4 shards, $DIGITS digits)"
merge=$(sbatch --parsable --dependency=afterok:"$array" --chdir="$repo" \
    --output="$tmp/merge-%j.log" \
    --wrap="'$EFFTRADE' merge '$out'/shard-*.csv --out '$tmp/merged.csv'") ||
    fail "sbatch refused the merge job"
say "submitted the merge as job $merge, after the array (afterok:$array)"

state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort -u | tr '\n' ' '; }
waited=0
while :; do
    s=$(state "$merge")
    case $s in
        "COMPLETED ") break ;;
        *FAILED* | *CANCELLED* | *TIMEOUT* | *NODE_FAIL* | *OUT_OF_MEMORY*)
            for log in "$tmp"/*.log; do say "$log:"; tail -20 "$log"; done
            fail "the merge job ended $s (array: $(state "$array"))" ;;
    esac
    waited=$((waited + 2))
    if [ "$waited" -gt "$TIMEOUT" ]; then
        squeue || true
        for log in "$tmp"/*.log; do say "$log:"; tail -20 "$log"; done
        fail "the jobs did not finish within $TIMEOUT s (array: $(state "$array"), merge: $s)"
    fi
    sleep 2
done
say "array $array: $(state "$array"); merge $merge: COMPLETED after about $waited s"
for k in 1 2 3 4; do
    [ -s "$out/shard-$k.csv" ] || fail "shard $k wrote nothing"
    say "shard $k: $(($(wc -l <"$out/shard-$k.csv") - 1)) points"
done

# 5. The merged file against an unsharded sweep of the same spec.
say "running the unsharded sweep for comparison"
"$EFFTRADE" sweep "$SPEC" --digits "$DIGITS" --format csv --out "$tmp/unsharded.csv" 2>/dev/null
if cmp "$tmp/merged.csv" "$tmp/unsharded.csv"; then
    say "PASSED: merged file of 4 Slurm shards is byte-identical to the unsharded sweep ($(wc -l <"$tmp/unsharded.csv") lines, $(wc -c <"$tmp/unsharded.csv") bytes)"
else
    diff "$tmp/merged.csv" "$tmp/unsharded.csv" | head -20
    fail "the merged file differs from the unsharded sweep"
fi
