# Sourced by the app benchmarks' inner scripts, inside their private D-Bus
# session: unlocks gnome-keyring and makes the vault at $AUTHDESK_VAULT with
# 50 TOTP accounts (10 pinned, each with a bundled logo unless
# $AUTHDESK_BENCH_ICONS=0), its key remembered there, so the app opens unlocked.
echo -n bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export AUTHDESK_PASSWORD="bench password"
"$TARGET/authdesk" init >/dev/null
# Brands whose logos the bundled set has, so that every card shows one.
python3 -c '
import base64, sys
brands = ["GitHub", "Google", "Bitwarden", "PayPal", "Proton", "Tesla", "Huawei", "Ziggo", "bunq", "Syncthing"]
for i in range(50):
    s = base64.b32encode(i.to_bytes(4, "big") * 5).decode().rstrip("=")
    if sys.argv[1] == "0":
        print(f"otpauth://totp/Portal%20{i}:user{i}@example.com?secret={s}")
    else:
        b = brands[i % len(brands)]
        print(f"otpauth://totp/{b}:user{i}@example.com?secret={s}&issuer={b}")' "${AUTHDESK_BENCH_ICONS:-1}" >"$WORK/uris"
# Ten pinned, as many as the tray menu lists ($AUTHDESK_BENCH_PINNED
# changes it, to tell the pins' cost from the rest).
AUTHDESK_FILL_PINNED="${AUTHDESK_BENCH_PINNED:-10}" "$TARGET/examples/fill" "$AUTHDESK_VAULT" "$WORK/uris"
"$TARGET/authdesk" remember >/dev/null
unset AUTHDESK_PASSWORD
