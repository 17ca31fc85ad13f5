#!/usr/bin/env bash
# QR decoding: Authdesk against zbarimg on ../shared/testdata/qr/, in the
# same run, and the time for a 3840×2160 screenshot with one code and with
# none. Run by hand (never in CI): benches/qr.sh [REPEATS]. Numbers go to
# docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
repeats="${1:-9}"
ensure_apt "${BUILD_PACKAGES[@]}" zbar-tools imagemagick
ensure_rust
cargo build --release --locked -p authdesk-core --example qrscan
bin="${CARGO_TARGET_DIR:-target}/release/examples/qrscan"
data=../shared/testdata/qr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "completeness over $data (Authdesk and zbarimg --raw --nodbus)"
python3 - "$bin" "$data" <<'PY'
import itertools, json, subprocess, sys, time
bin, root = sys.argv[1], sys.argv[2]
images = json.load(open(f"{root}/expected.json"))["images"]
ours = theirs = 0
missed = {"authdesk": [], "zbarimg": []}
for name, case in sorted(images.items()):
    want = sorted(case["expected"])
    out = json.loads(subprocess.run([bin, f"{root}/{name}"], capture_output=True, text=True).stdout)
    ok = (out["error"] is not None) if case.get("expect_error") else sorted(out["texts"]) == want
    ours += ok
    if not ok: missed["authdesk"].append(name)
    z = subprocess.run(["zbarimg", "--raw", "-q", "--nodbus", f"{root}/{name}"], capture_output=True)
    stdout = z.stdout.decode("utf-8", "replace")
    # zbar_baseline.json's rule: stdout is the expected texts, each followed
    # by a newline, in some order (texts may hold newlines themselves).
    if case.get("expect_error"):
        zok = z.returncode not in (0, 4) or stdout == ""
    else:
        zok = any(stdout == "".join(t + "\n" for t in p) for p in itertools.permutations(case["expected"]))
    theirs += zok
    if not zok: missed["zbarimg"].append(name)
print(f"decoded completely and correctly: Authdesk {ours} of {len(images)}, zbarimg {theirs} of {len(images)}")
for who, names in missed.items():
    print(f"  {who} misses: {', '.join(names) or 'none'}")
PY

say "3840x2160 screenshots: one code (generated/desktop_m4.png) and none (the same desktop, code painted over)"
box=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["images"]["generated/desktop_m4.png"]["qr_boxes"][0]; print("rectangle %d,%d %d,%d" % tuple(b))' "$data/expected.json")
/usr/bin/convert "$data/generated/desktop_m4.png" -fill '#d8dee9' -draw "$box" "$work/none.png"
for img in "$data/generated/desktop_m4.png" "$data/generated/desktop_dark_inverted_m4.png" "$work/none.png"; do
    ms=$("$bin" --repeat "$repeats" "$img" | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["median_ms"]))')
    zs=()
    for _ in $(seq "$repeats"); do
        s=$(date +%s%N); zbarimg --raw -q --nodbus "$img" >/dev/null 2>&1 || true; zs+=($(( ($(date +%s%N) - s) / 1000000 )))
    done
    zmed=$(printf '%s\n' "${zs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-28s Authdesk %4s ms   zbarimg %4s ms   (median of %s)\n' "$(basename "$img")" "$ms" "$zmed" "$repeats"
done
