#!/usr/bin/env bash
# Screen scan, whole process: `authdesk scan --screen --raw` under Xvfb at
# 3840×2160 and 1920×1080, with one code on screen (a `qrencode -s 8`
# picture in an ImageMagick window) and with none. Median of REPEATS
# (default 9). Run by hand (never in CI): benches/screen.sh [REPEATS].
# Numbers go to docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
repeats="${1:-9}"
ensure_apt "${BUILD_PACKAGES[@]}" "${APP_PACKAGES[@]}" xvfb qrencode imagemagick xdotool
ensure_rust
cargo build --release --locked -p authdesk-cli
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/release/authdesk"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
qrencode -s 8 -o "$work/code.png" 'otpauth://totp/Bench:user@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Bench'

cat >"$work/measure.sh" <<'INNER'
set -euo pipefail
# median NAME: REPEATS whole-process runs of the scan, in ms.
median() {
    local times=() s out
    for _ in $(seq "$REPEATS"); do
        s=$(date +%s%N)
        out=$("$BIN" scan --screen --raw)
        times+=($((($(date +%s%N) - s) / 1000000)))
    done
    printf '%-22s %4s ms  (found: %s)\n' "$1" \
        "$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')" \
        "$(echo "$out" | tr -d '\n ' | cut -c1-40)"
}
median "$SIZE, no code"
display -geometry +900+500 "$WORK/code.png" &
viewer=$!
for _ in $(seq 100); do xdotool search --class display >/dev/null 2>&1 && break; sleep 0.1; done
sleep 1
median "$SIZE, one code"
kill "$viewer"
INNER

for size in 3840x2160 1920x1080; do
    AUTHDESK_VAULT="$work/none.authdesk" BIN="$bin" WORK="$work" REPEATS="$repeats" SIZE="$size" \
        xvfb-run -a -s "-screen 0 ${size}x24" bash "$work/measure.sh"
done
