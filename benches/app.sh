#!/usr/bin/env bash
# The desktop app against an empty Tauri 2 window built the same way
# (--release) and measured in the same run, because WebKitGTK sets the floor:
#   - time from launch to first paint (Authdesk: codes visible, the vault
#     unlocked through the keychain; the empty window: its page painted),
#   - memory as PSS summed over the whole process tree, idle, 50 accounts,
#   - release binary size.
# Run by hand (never in CI): benches/app.sh [ROUNDS]. Numbers go to docs/BENCHMARKS.md.
# AUTHDESK_BENCH_APP=/usr/bin/authdesk-app measures that binary instead (the
# app as a package installed it); the empty window is still built here.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benches/lib.sh
rounds="${1:-5}"

build_app

cat >"$work/measure.sh" <<'INNER'
set -euo pipefail
# pss_tree PID: PSS in KiB of PID and every descendant.
pss_tree() {
    local total=0 p
    for p in $(pstree -p -T "$1" | grep -o '([0-9]\+)' | tr -d '()'); do
        [ -r "/proc/$p/smaps_rollup" ] || continue
        total=$((total + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup")))
    done
    echo "$total"
}
# run NAME BINARY: one launch; prints "ms kib".
run() {
    local log="$WORK/$1.log" start ready pid
    start=$(date +%s%3N)
    AUTHDESK_TRACE_STARTUP=1 "$2" 2>"$log" &
    pid=$!
    for _ in $(seq 300); do grep -q "painted at" "$log" && break; sleep 0.05; done
    ready=$(grep -o 'painted at [0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    sleep 5   # idle
    echo "$((ready - start)) $(pss_tree "$pid")"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}
. "$BENCHES/keychain-vault.sh"
for i in $(seq "$ROUNDS"); do
    echo "empty $(run empty "$TARGET/empty-window")"
    echo "authdesk $(run authdesk "$APP")"
done
# The last launch's start-up trace, to see where time goes.
grep -h "authdesk: " "$WORK"/authdesk.log >&2
INNER

say "measuring $rounds rounds under Xvfb (5 s idle each)"
env -u DBUS_SESSION_BUS_ADDRESS -u WAYLAND_DISPLAY HOME="$work/home" XDG_CONFIG_HOME="$work/config" \
    XDG_DATA_HOME="$work/data" AUTHDESK_VAULT="$work/data/vault.authdesk" LANG=en_US.UTF-8 \
    BENCHES="$PWD/benches" WORK="$work" TARGET="$target" ROUNDS="$rounds" \
    APP="${AUTHDESK_BENCH_APP:-$target/authdesk-app}" \
    dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash "$work/measure.sh" | tee "$work/results"

for name in empty authdesk; do
    ms=$(awk -v n="$name" '$1 == n { print $2 }' "$work/results" | median)
    kib=$(awk -v n="$name" '$1 == n { print $3 }' "$work/results" | median)
    printf '%-9s first paint %5s ms (median)   PSS %6.1f MB (median)\n' "$name" "$ms" "$(echo "$kib / 1024" | bc -l)"
    eval "${name}_ms=$ms ${name}_kib=$kib"
done
printf 'ratios: time %.2fx (target <= 1.5x), memory %.2fx (target <= 1.25x)\n' \
    "$(echo "$authdesk_ms / $empty_ms" | bc -l)" "$(echo "$authdesk_kib / $empty_kib" | bc -l)"
for b in authdesk-app empty-window; do
    printf 'binary %-13s %5.1f MB\n' "$b" "$(echo "$(stat -c %s "$target/$b") / 1048576" | bc -l)"
done
