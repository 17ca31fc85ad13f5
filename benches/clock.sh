#!/usr/bin/env bash
# How long `authdesk clock` takes (whole process, release build, median of
# N runs): against chronyd on loopback, against a port where nothing
# listens (refused at once), and against a silent server (a UDP socket that
# never answers: the timeout). Run by hand (never in CI):
# benches/clock.sh [RUNS]. Numbers go to docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benches/lib.sh
runs="${1:-9}"
ensure_apt chrony
ensure_rust
cargo build --release --locked -p authdesk-cli
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/release/authdesk"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/chrony.conf" <<CONF
port $port
bindaddress 127.0.0.1
allow 127.0.0.1
local stratum 1
cmdport 0
driftfile $work/drift
pidfile $work/chronyd.pid
logdir $work
CONF
chronyd -x -d -f "$work/chrony.conf" >/dev/null 2>&1 &
chrony=$!
python3 -c 'import socket, time; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); open("'"$work"'/silent", "w").write(str(s.getsockname()[1])); time.sleep(3600)' &
silent_pid=$!
trap 'kill $chrony $silent_pid 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
silent=$(cat "$work/silent")
ms() { local a b; a=$(date +%s%N); "$@" >/dev/null 2>&1 || true; b=$(date +%s%N); echo $(( (b - a) / 1000000 )); }
for _ in $(seq "$runs"); do echo "local $(ms "$bin" clock --server "127.0.0.1:$port")"; done >"$work/all"
for _ in $(seq "$runs"); do echo "refused $(ms "$bin" clock --server 127.0.0.1:9)"; done >>"$work/all"
for _ in $(seq 3); do echo "silent $(ms "$bin" clock --server "127.0.0.1:$silent" --timeout 3)"; done >>"$work/all"
for op in local refused silent; do
    printf '%-8s %6s ms\n' "$op" "$(awk -v o="$op" '$1 == o { print $2 }' "$work/all" | median)"
done
