# Shared by the benchmark scripts: sourced after scripts/lib.sh.

# median: the median of the numbers on stdin, one per line.
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# measure CMD...: prints "ms kib" (wall time, peak RSS) of one run; the
# command's output is kept in $work/out.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >"$work/out"
    awk '{ printf "%d %d\n", $1 * 1000, $2 }' "$work/t"
}

# fill_vault N: a new vault at $AUTHDESK_VAULT holding N distinct TOTP
# accounts, through the release build in $target (core's `fill` example).
fill_vault() {
    "$target/authdesk" init >/dev/null
    python3 -c '
import base64, sys
for i in range(int(sys.argv[1])):
    s = base64.b32encode(i.to_bytes(4, "big") * 5).decode().rstrip("=")
    print(f"otpauth://totp/Portal%20{i}:user{i}@example.com?secret={s}")' "$1" >"$work/uris"
    "$target/examples/fill" "$AUTHDESK_VAULT" "$work/uris"
}

# build_app: the page, then release builds of the app, the empty window,
# the CLI and core's fill example. Sets $target (their directory) and
# $work (with home, config and data; removed on exit).
build_app() {
    ensure_apt "${BUILD_PACKAGES[@]}" "${APP_PACKAGES[@]}" "${E2E_PACKAGES[@]}"
    ensure_rust
    ensure_ui
    (cd ui && npm run --silent build)
    say "release builds: authdesk-app, empty-window, authdesk (CLI), fill (example)"
    cargo build --release --locked -p authdesk-app -p empty-window -p authdesk-cli
    cargo build --release --locked -p authdesk-core --example fill
    target="$(realpath "${CARGO_TARGET_DIR:-target}")/release"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/home" "$work/config/authdesk" "$work/data"
    # Checked for updates just now: a release build would otherwise ask the
    # real update server, and benches talk to nothing but 127.0.0.1.
    date +%s%3N >"$work/config/authdesk/update-checked"
}
