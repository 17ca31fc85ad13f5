#!/usr/bin/env bash
# Idle CPU of the desktop app, whole process tree (WebKit's web and network
# processes included), beside an empty Tauri 2 window built the same way and
# measured in the same run. Authdesk opens a 50-account vault unlocked
# through the keychain, under Xvfb, and is left alone for SECONDS (default
# 30) in each of three states:
#   - visible: codes showing, nothing touched;
#   - hidden: unmapped, as a window manager does to a minimised window;
#   - scrolled: shown again, the list scrolled down with the pointer over
#     it, the search box focused (its caret blinking).
# Run by hand (never in CI): benches/idle.sh [SECONDS]. Numbers go to
# docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benches/lib.sh
seconds="${1:-30}"

build_app

cat >"$work/measure.sh" <<'INNER'
set -euo pipefail
# each PID: "name[pid] ticks" for PID and every descendant, ticks being its
# CPU clock ticks (user + system).
each() {
    local p
    for p in $(pstree -p -T "$1" | grep -o '([0-9]\+)' | tr -d '()'); do
        [ -r "/proc/$p/stat" ] || continue
        # Fields 14 and 15, counted after the command name's closing paren.
        echo "$(cat "/proc/$p/comm")[$p] $(sed 's/.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')"
    done
}
# cpu NAME PID: percent of one core the tree used over $PERIOD (in
# $WORK/results), and each process's share (in $WORK/detail).
cpu() {
    each "$2" >"$WORK/each.before"
    sleep "$PERIOD"
    each "$2" >"$WORK/each.after"
    awk -v state="$1" -v scale="$(echo "100 / ($PERIOD * $(getconf CLK_TCK))" | bc -l)" \
        -v results="$WORK/results" '
        NR == FNR { before[$1] = $2; total -= $2; next }
        { total += $2; printf "  %-9s %-28s %6.2f %%\n", state, $1, ($2 - before[$1]) * scale }
        END { print state, total * scale >>results }' \
        "$WORK/each.before" "$WORK/each.after" >>"$WORK/detail"
}
launch() {
    AUTHDESK_TRACE_STARTUP=1 "$2" >"$WORK/$1.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do grep -q "painted at" "$WORK/$1.log" && break; sleep 0.05; done
    sleep 5   # settle
}
. "$BENCHES/keychain-vault.sh"

launch empty "$TARGET/empty-window"
cpu empty "$pid"
kill "$pid"; wait "$pid" 2>/dev/null || true

launch authdesk "$TARGET/authdesk-app"
cpu visible "$pid"
win=$(xdotool search --name '^Authdesk$' | head -n 1)
# Unmapped, as a window manager does on minimise (Xvfb has none to ask).
xdotool windowunmap --sync "$win"
sleep 2
cpu hidden "$pid"
xdotool windowmap --sync "$win"
sleep 2
# The pointer stays over the list, as a user's does.
xdotool mousemove 640 600
for _ in $(seq 15); do xdotool click 5; sleep 0.1; done
# The search box focused (Ctrl+F): its caret blinks.
xdotool key ctrl+f
sleep 2
cpu scrolled "$pid"
import -window root "$WORK/scrolled.png" 2>/dev/null || true
kill "$pid"; wait "$pid" 2>/dev/null || true
INNER

say "measuring ${seconds}s per state under Xvfb"
env -u DBUS_SESSION_BUS_ADDRESS -u WAYLAND_DISPLAY HOME="$work/home" XDG_CONFIG_HOME="$work/config" \
    XDG_DATA_HOME="$work/data" AUTHDESK_VAULT="$work/data/vault.authdesk" LANG=en_US.UTF-8 \
    BENCHES="$PWD/benches" WORK="$work" TARGET="$target" PERIOD="$seconds" \
    dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash "$work/measure.sh" >"$work/measure.log" 2>&1 ||
    { cat "$work/measure.log"; die "the measurement failed"; }

while read -r name pct; do
    printf '%-9s %6.2f %% of one core over %ss (whole process tree)\n' "$name" "$pct" "$seconds"
done <"$work/results"
echo "per process:"
cat "$work/detail"
[ -z "${AUTHDESK_BENCH_SHOT:-}" ] || cp "$work/scrolled.png" "$AUTHDESK_BENCH_SHOT"
