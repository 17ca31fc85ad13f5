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
