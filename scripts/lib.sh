# Shared by scripts/run and scripts/test: install what is missing, say what
# is installed, fail clearly when something cannot be had.
# shellcheck shell=bash

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Rust 1.90+ (edition 2024, let-chains). Debian's own cargo is too old, so a
# missing toolchain is a clear stop rather than an apt install.
ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
    fi
    command -v cargo >/dev/null 2>&1 ||
        die "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again."
    local v
    v=$(rustc --version | awk '{print $2}')
    if [ "$(printf '%s\n1.90.0\n' "$v" | sort -V | head -1)" != "1.90.0" ]; then
        die "Rust $v is too old; Authdesk needs 1.90 or newer (rustup update)."
    fi
    for comp in rustfmt clippy; do
        if ! cargo "${comp/rustfmt/fmt}" --version >/dev/null 2>&1; then
            command -v rustup >/dev/null 2>&1 || die "cargo $comp is missing and rustup is not there to add it."
            say "installing the Rust component $comp"
            rustup component add "$comp"
        fi
    done
    # scripts/test changes HOME for the keyring tests; keep rustup's own.
    export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
}

_apt_updated=""
# ensure_apt PKG... : installs the Debian packages that are not installed.
ensure_apt() {
    local missing=() p
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian/Ubuntu system: make sure these are installed: $*"
        return 0
    fi
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "missing packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}"
        sudo="sudo"
    fi
    say "installing Debian packages: ${missing[*]}"
    if [ -z "$_apt_updated" ]; then
        $sudo apt-get update -qq || die "apt-get update failed; check the network and try again"
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        die "apt-get install ${missing[*]} failed"
}

# What building the workspace needs (keyring's Secret Service client links libdbus).
BUILD_PACKAGES=(build-essential pkg-config libdbus-1-dev)

# What the desktop app needs to build (Tauri 2 on WebKitGTK 4.1).
APP_PACKAGES=(libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev curl file)
# What the end-to-end suite runs against.
# Chromium: the browser a portal's login page is auto-typed into; oathtool
# checks the typed codes.
E2E_PACKAGES=(xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring xclip psmisc bc qrencode imagemagick xdotool chromium oathtool)

# The Wayland subset of the end-to-end suite: a real compositor (headless
# sway, swaybg for its wallpaper), grim for screenshots, wl-clipboard to read
# the clipboard as another program does, wtype for keys sway's bindings see,
# the screenshot portal as a wlroots desktop has it (pipewire, which -wlr
# needs to start, and -gtk, without whose Access backend the portal offers
# no Screenshot), and python3-gi for the stand-in GlobalShortcuts portal.
WAYLAND_PACKAGES=(sway swaybg grim wl-clipboard wtype xdg-desktop-portal xdg-desktop-portal-wlr xdg-desktop-portal-gtk pipewire wireplumber python3-gi)

# free_port N: the first port from N up that nothing on 127.0.0.1 listens on.
free_port() {
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    echo "$p"
}

ensure_tauri_driver() {
    if ! command -v tauri-driver >/dev/null 2>&1; then
        say "installing tauri-driver (cargo install tauri-driver --version ^2)"
        cargo install tauri-driver --locked --version '^2'
    fi
}

# The front end's toolchain: Node 20.19+ (Vite 8), then npm ci when
# package-lock.json changed.
ensure_ui() {
    command -v npm >/dev/null 2>&1 || ensure_apt nodejs npm
    local v
    v=$(node --version 2>/dev/null | tr -d v)
    if [ "$(printf '%s\n20.19.0\n' "$v" | sort -V | head -1)" != "20.19.0" ]; then
        die "Node.js ${v:-(none)} is too old for the front end; install Node 20.19 or newer (e.g. from nodejs.org or NodeSource)."
    fi
    local stamp=ui/node_modules/.package-lock.json
    if [ ! -f "$stamp" ] || [ ui/package-lock.json -nt "$stamp" ]; then
        say "installing the front end's npm packages (npm ci)"
        (cd ui && npm ci --no-audit --no-fund)
    fi
}
