#!/usr/bin/env bash
# Importing a 10,000-entry Aegis export through the CLI (release build),
# plain and encrypted (scrypt n=2^15, r=8 as Aegis writes it): wall time and
# peak RSS of the whole process, median of N runs. Each run imports into an
# empty vault (one Argon2id unlock, 10,000 added, one save), then the same
# file again (10,000 already present, nothing written).
# Run by hand (never in CI): benches/import.sh [RUNS]. Numbers go to
# docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benches/lib.sh
runs="${1:-5}"
ensure_apt "${BUILD_PACKAGES[@]}" time
ensure_rust
cargo build --release --locked -p authdesk-cli
cargo build --release --locked -p authdesk-core --example fill --example aegis_encrypt
target="$(realpath "${CARGO_TARGET_DIR:-target}")/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export AUTHDESK_PASSWORD="bench password" AUTHDESK_NO_KEYCHAIN=1 AUTHDESK_IMPORT_PASSWORD="aegis bench"
export AUTHDESK_VAULT="$work/full.authdesk"
fill_vault 10000
"$target/authdesk" export --format aegis --output "$work/plain.json" 2>/dev/null
"$target/examples/aegis_encrypt" "$work/plain.json" "$AUTHDESK_IMPORT_PASSWORD" "$work/encrypted.json"

for i in $(seq "$runs"); do
    for kind in plain encrypted; do
        rm -f "$work/empty.authdesk"
        AUTHDESK_VAULT="$work/empty.authdesk" "$target/authdesk" init >/dev/null
        echo "$kind-first $(AUTHDESK_VAULT="$work/empty.authdesk" measure "$target/authdesk" import "$work/$kind.json")"
        grep -q "^10000 added" "$work/out" || die "expected 10000 added: $(tail -1 "$work/out")"
        echo "$kind-again $(AUTHDESK_VAULT="$work/empty.authdesk" measure "$target/authdesk" import "$work/$kind.json")"
        grep -q "^0 added, 10000 already present" "$work/out" || die "expected 10000 present: $(tail -1 "$work/out")"
    done
done >"$work/all"
printf '%-16s %8s %10s\n' operation "ms" "peak MiB"
for op in plain-first plain-again encrypted-first encrypted-again; do
    ms=$(awk -v o="$op" '$1 == o { print $2 }' "$work/all" | median)
    kib=$(awk -v o="$op" '$1 == o { print $3 }' "$work/all" | median)
    printf '%-16s %8s %10.1f\n' "$op" "$ms" "$(echo "$kib / 1024" | bc -l)"
done
echo "files: plain $(stat -c %s "$work/plain.json") bytes, encrypted $(stat -c %s "$work/encrypted.json") bytes"
