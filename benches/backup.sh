#!/usr/bin/env bash
# Backup and restore of 10,000 entries through the CLI (release build):
# wall time and peak RSS of the whole process, median of N runs. Both include
# one Argon2id at the default 64 MiB for the backup slot and one for the
# vault. Run by hand (never in CI): benches/backup.sh [RUNS]. Numbers go to
# docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benches/lib.sh
runs="${1:-5}"
ensure_apt "${BUILD_PACKAGES[@]}" time
ensure_rust
cargo build --release --locked -p authdesk-cli
cargo build --release --locked -p authdesk-core --example fill
target="$(realpath "${CARGO_TARGET_DIR:-target}")/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export AUTHDESK_PASSWORD="bench password" AUTHDESK_BACKUP_PASSWORD="bench backup" AUTHDESK_NO_KEYCHAIN=1
export AUTHDESK_VAULT="$work/full.authdesk"
fill_vault 10000

for i in $(seq "$runs"); do
    echo "create $(measure "$target/authdesk" backup create "$work/b.authdesk-backup")"
    rm -f "$work/empty.authdesk"
    AUTHDESK_VAULT="$work/empty.authdesk" "$target/authdesk" init >/dev/null
    echo "restore $(AUTHDESK_VAULT="$work/empty.authdesk" measure "$target/authdesk" backup restore "$work/b.authdesk-backup")"
    echo "again $(AUTHDESK_VAULT="$work/empty.authdesk" measure "$target/authdesk" backup restore "$work/b.authdesk-backup")"
    # The household folder: the full vault starts it, an empty one joins
    # (merging 10,000), then a round where nothing changed.
    rm -rf "$work/folder" "$work/joiner.authdesk" && mkdir "$work/folder"
    cp "$work/full.authdesk" "$work/starter.authdesk"
    AUTHDESK_VAULT="$work/joiner.authdesk" "$target/authdesk" init >/dev/null
    echo "sync-start $(AUTHDESK_VAULT="$work/starter.authdesk" measure "$target/authdesk" backup sync "$work/folder" --device a)"
    echo "sync-join $(AUTHDESK_VAULT="$work/joiner.authdesk" measure "$target/authdesk" backup sync "$work/folder" --device b)"
    echo "sync-settled $(AUTHDESK_VAULT="$work/starter.authdesk" measure "$target/authdesk" backup sync "$work/folder" --device a)"
    # After an edit: this device writes again, keeps the previous version
    # in the history and prunes it by opening every version there (ten
    # 10,000-account versions once the history is full).
    id=$(AUTHDESK_VAULT="$work/starter.authdesk" "$target/authdesk" list --json |
        python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
    for n in $(seq 11); do
        AUTHDESK_VAULT="$work/starter.authdesk" "$target/authdesk" rename "$id" --issuer "Portal v$n" >/dev/null
        AUTHDESK_VAULT="$work/starter.authdesk" "$target/authdesk" backup sync "$work/folder" --device a >/dev/null
    done
    AUTHDESK_VAULT="$work/starter.authdesk" "$target/authdesk" rename "$id" --issuer "Portal last" >/dev/null
    echo "sync-edited $(AUTHDESK_VAULT="$work/starter.authdesk" measure "$target/authdesk" backup sync "$work/folder" --device a)"
done >"$work/results"
say "10,000 entries, backup file $(du -k "$work/b.authdesk-backup" | cut -f1) KiB, median of $runs"
for op in create restore again sync-start sync-join sync-settled sync-edited; do
    ms=$(awk -v o="$op" '$1 == o { print $2 }' "$work/results" | median)
    kib=$(awk -v o="$op" '$1 == o { print $3 }' "$work/results" | median)
    printf '%-13s %6s ms   peak RSS %6.1f MiB\n' "$op" "$ms" "$(echo "$kib / 1024" | bc -l)"
done
