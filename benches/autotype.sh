#!/usr/bin/env bash
# Auto-type's delay: from the shortcut's key press (xdotool, XTEST, as a
# keyboard) to the portal page in Chromium having received the whole code
# (its input handler reports the sixth digit to a local server), the
# account picked by the window's title. The release app, a 50-account vault
# unlocked through the keychain, under Xvfb; ROUNDS presses (default 9).
# Run by hand (never in CI): benches/autotype.sh [ROUNDS]. Numbers go to
# docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benches/lib.sh
rounds="${1:-9}"

build_app

cat >"$work/server.py" <<'PY'
# The portal: a login page with its code field focused; each complete code
# typed is logged with the time it arrived (ms).
import http.server, sys, time
PAGE = b"""<!doctype html><meta charset="utf-8"><title>Warmtenet Meterportaal - Inloggen</title>
<input id="code" autofocus><script>code.addEventListener("input", () => {
  if (code.value.length === 6) { fetch("/typed?v=" + code.value); code.value = ""; } });</script>"""
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/typed"):
            with open(sys.argv[2], "a") as f:
                f.write(f"{int(time.time() * 1000)}\n")
        self.send_response(200); self.send_header("content-type", "text/html"); self.end_headers()
        self.wfile.write(PAGE)
    def log_message(self, *a): pass
# Threading: Chromium opens spare connections ahead of need, and a
# one-at-a-time server waits on such an idle one while the page's first
# report queues behind it (a lost first round, before this was threaded).
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY

cat >"$work/measure.sh" <<'INNER'
set -euo pipefail
. "$BENCHES/keychain-vault.sh"
port=18765
python3 "$WORK/server.py" "$port" "$WORK/arrived" &
server=$!
# The server and the browser go with this script, so that the next run
# finds the port free.
trap 'kill "$server" $(jobs -p) 2>/dev/null; wait 2>/dev/null || true' EXIT
AUTHDESK_TRACE_STARTUP=1 "$TARGET/authdesk-app" >"$WORK/app.log" 2>&1 &
for _ in $(seq 300); do grep -q "painted at" "$WORK/app.log" && break; sleep 0.05; done
chromium --no-sandbox --disable-gpu --no-first-run --password-store=basic --user-data-dir="$WORK/chromium" \
    --app="http://127.0.0.1:$port/" >/dev/null 2>&1 &
for _ in $(seq 300); do xdotool search --onlyvisible --name Warmtenet >/dev/null 2>&1 && break; sleep 0.1; done
win=$(xdotool search --onlyvisible --name Warmtenet | head -n 1)
sleep 2
# A click into the page, as the installer's own: Chromium without a window
# manager routes keys to the page only once it has been activated so.
eval "$(xdotool getwindowgeometry --shell "$win")"
xdotool mousemove --sync $((X + 60)) $((Y + 20)) click 1
sleep 0.5
: >"$WORK/arrived"
# Round 0 warms up (the first press after the app starts) and is not
# counted; the script says whether its code arrived.
for i in $(seq 0 "$ROUNDS"); do
    xdotool windowfocus --sync "$win"
    sleep 0.3
    xdotool key ctrl+a BackSpace
    sleep 0.2
    before=$(wc -l <"$WORK/arrived")
    start=$(date +%s%3N)
    xdotool key ctrl+alt+t
    for _ in $(seq 250); do [ "$(wc -l <"$WORK/arrived")" -gt "$before" ] && break; sleep 0.02; done
    if [ "$i" -eq 0 ]; then
        [ "$(wc -l <"$WORK/arrived")" -gt "$before" ] && echo "warm-up: typed" >>"$WORK/warmup" ||
            echo "warm-up: nothing arrived" >>"$WORK/warmup"
        sleep 1
        continue
    fi
    [ "$(wc -l <"$WORK/arrived")" -gt "$before" ] || {
        echo "round $i: no code arrived within 5 s; the app said:" >&2
        tail -n 20 "$WORK/app.log" >&2
        exit 1
    }
    end=$(tail -n 1 "$WORK/arrived")
    [ "$i" -eq 0 ] || echo "$((end - start))" >>"$WORK/results"
    sleep 1
done
INNER

# The match: the first account is "Portal 0"; its window match is set in
# the vault before the app starts (the CLI cannot edit matches, core can).
say "measuring $rounds auto-type rounds under Xvfb"
env -u DBUS_SESSION_BUS_ADDRESS -u WAYLAND_DISPLAY HOME="$work/home" XDG_CONFIG_HOME="$work/config" \
    XDG_DATA_HOME="$work/data" AUTHDESK_VAULT="$work/data/vault.authdesk" LANG=en_US.UTF-8 \
    AUTHDESK_FILL_WINDOW="Warmtenet" BENCHES="$PWD/benches" WORK="$work" TARGET="$target" ROUNDS="$rounds" \
    dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash "$work/measure.sh" >"$work/measure.log" 2>&1 ||
    { cat "$work/measure.log"; die "the measurement failed"; }
cat "$work/warmup"
echo "key press to the whole code in the page, ms: $(tr '\n' ' ' <"$work/results")"
echo "median: $(median <"$work/results") ms"
