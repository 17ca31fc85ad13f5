// The Wayland subset of the end to end suite: the app as a native client of
// headless sway, driven through tauri-driver and WebKitWebDriver. What the
// user sees is photographed by grim, the clipboard is read by wl-paste, the
// screen is scanned through xdg-desktop-portal. Run by scripts/e2e-wayland,
// which sets up the session.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session, sleep } from "../e2e/webdriver.mjs";
import { trayMenu } from "../e2e/tray.mjs";
import * as axe from "../e2e/axe.mjs";
import { clearOfPeriodEnd, closeDialogs, setLook, typeNewPassword, visibleCards } from "../e2e/steps.mjs";

const DRIVER = process.env.AUTHDESK_E2E_DRIVER;
const APP = process.env.AUTHDESK_E2E_APP;
const SHOTS = process.env.AUTHDESK_SCREENSHOTS;
const SERVICES = process.env.AUTHDESK_E2E_SERVICES;
const PASSWORD = "wayland vault password 7";
const HERE = dirname(fileURLToPath(import.meta.url));
const PORTAL_SECRET = "GEZDGNBVGY3TQOJQ";
const PORTAL_URI =
  `otpauth://totp/Batterij%20Portaal:monteur%40voorbeeld.nl?secret=${PORTAL_SECRET}&issuer=Batterij%20Portaal`;

assert.ok(DRIVER && APP && SHOTS && SERVICES && process.env.WAYLAND_DISPLAY, "run through scripts/e2e-wayland");

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { encoding: "utf8", timeout: 10000, ...options });

/** What the compositor shows of ours: sway's windows named Authdesk. */
function ourWindows() {
  const found = [];
  const walk = (node) => {
    if (node.name === "Authdesk" && node.type === "con") found.push(node);
    for (const child of [...(node.nodes ?? []), ...(node.floating_nodes ?? [])]) walk(child);
  };
  walk(JSON.parse(run("swaymsg", ["-t", "get_tree", "--raw"])));
  return found;
}

/** The screen as the user sees it, photographed by grim (after the page painted). */
async function shot(s, name) {
  await s.cmd("POST", "/execute/async", {
    script: "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100)));",
    args: [],
  });
  run("grim", [join(SHOTS, `wayland-${name}.png`)]);
  // Screens only Wayland shows (the shortcut panel) are audited here alone.
  await axe.audit(s, `wayland-${name}`);
}

/** The Wayland clipboard as another program reads it ("" when empty). */
function clipboard() {
  try {
    return run("wl-paste", ["--no-newline"], { timeout: 3000, stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return "";
  }
}

/** Copies the first card's code, to be cleared after `clearSeconds`; its code. */
async function copyFirstCode(s, clearSeconds) {
  const settings = await s.invoke("get_settings");
  await s.invoke("set_settings", { settings: { ...settings, clipboard_clear_seconds: clearSeconds } });
  await clearOfPeriodEnd(s);
  await s.click("[data-testid=entry] .names");
  const code = await s.exec("return document.querySelector('[data-testid=entry]').dataset.code;");
  await s.waitFor("the code on the clipboard", async () => clipboard() === code, 3000);
  return code;
}

async function scanTheScreen(s) {
  await s.click("[data-testid=add]");
  await s.visible("[data-testid=scan-screen]");
  await s.click("[data-testid=scan-screen]");
}

test("Authdesk on Wayland (headless sway)", async (t) => {
  let s = await Session.start(DRIVER, APP);
  t.after(() => s.quit());
  /** A new start of the app (ending the one before), up to its unlock screen. */
  const restart = async (args = []) => {
    await s.quit();
    s = await Session.start(DRIVER, APP, args);
    await s.waitFor("the unlock screen", async () =>
      s.exec("return !!document.querySelector('[data-testid=unlock-password]');"), 20000);
  };

  await t.test("a native Wayland window: create the vault", async () => {
    await s.visible("[data-testid=setup-password]", 20000);
    const [window] = ourWindows();
    assert.ok(window, "sway shows our window");
    assert.equal(window.shell, "xdg_shell", "a Wayland client, not an X11 one");
    await shot(s, "setup-en-light");
    await typeNewPassword(s, PASSWORD);
    await s.click("[data-testid=setup-submit]");
    await s.visible("[data-testid=empty-add]");
  });

  await t.test("no screenshot portal: the scan says what to install, in Dutch and in English", async () => {
    for (const [lang, theme, says] of [
      ["nl", "dark", /^Je Wayland-bureaublad heeft geen dienst voor schermafbeeldingen .*Installeer xdg-desktop-portal, xdg-desktop-portal-wlr en xdg-desktop-portal-gtk/],
      ["en", "light", /^Your Wayland desktop offers no screenshot service .*Install xdg-desktop-portal, xdg-desktop-portal-wlr and xdg-desktop-portal-gtk/],
    ]) {
      await setLook(s, lang, theme);
      await s.visible("[data-testid=empty-add]");
      await scanTheScreen(s);
      await s.waitFor(`the ${lang} install hint`, async () => says.test(await s.text("[data-testid=scan-preview]")), 15000);
      await shot(s, `no-portal-${lang}-${theme}`);
      await closeDialogs(s);
    }
  });

  await t.test("with the portals installed, the screen scan finds the portal's QR code", async () => {
    // As installing the packages does: their services appear on the bus.
    for (const name of ["org.freedesktop.portal.Desktop", "org.freedesktop.impl.portal.desktop.wlr",
      "org.freedesktop.impl.portal.desktop.gtk", "org.freedesktop.impl.portal.PermissionStore"]) {
      copyFileSync(`/usr/share/dbus-1/services/${name}.service`, join(SERVICES, `${name}.service`));
    }
    run("gdbus", ["call", "--session", "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
      "--method", "org.freedesktop.DBus.ReloadConfig"]);
    // The portal's login page shows its code: here on the wallpaper, which
    // is what shows once our window steps aside.
    const png = join(mkdtempSync(join(tmpdir(), "authdesk-wayland-")), "portal.png");
    run("qrencode", ["-s", "6", "-o", png, PORTAL_URI]);
    run("swaymsg", ["output", "*", "bg", png, "center", "#ffffff"]);
    try {
      await scanTheScreen(s);
      await s.waitFor("the screen scan's preview", async () =>
        (await s.text("[data-testid=scan-preview]")).includes("Will add: Batterij Portaal (monteur@voorbeeld.nl)"), 30000);
      await shot(s, "scanned-en-light");
      await s.click("[data-testid=add-submit-scan]");
      await s.waitFor("the new card", async () => JSON.stringify(await visibleCards(s)) === '["Batterij Portaal"]');
    } finally {
      run("swaymsg", ["output", "*", "bg", "#ffffff", "solid_color"]);
    }
    await shot(s, "list-en-light");
  });

  await t.test("copy: the code on the Wayland clipboard, kept out of history, cleared after the timeout", async () => {
    const code = await copyFirstCode(s, 5);
    assert.equal(code, run("oathtool", ["--totp", "-b", PORTAL_SECRET]).trim(), "the code the portal expects");
    assert.match(run("wl-paste", ["--list-types"]), /x-kde-passwordManagerHint/);
    await sleep(6000);
    assert.notEqual(clipboard(), code, "the clipboard still holds the code after 5 s");
  });

  await t.test("lock takes a copied code with it; unlock lists the account again", async () => {
    const code = await copyFirstCode(s, 60);
    await s.click("[data-testid=lock]");
    await s.visible("[data-testid=unlock-password]");
    await s.waitFor("the code gone with the lock", async () => clipboard() !== code, 3000);
    await shot(s, "locked-en-light");
    await s.type("[data-testid=unlock-password]", PASSWORD);
    await s.click("[data-testid=unlock-submit]");
    await s.waitFor("the account listed", async () => JSON.stringify(await visibleCards(s)) === '["Batterij Portaal"]');
  });

  await t.test("Settings gives sway's lines for the shortcuts; bound, they bring the window back, focused; so does the tray", async () => {
    const focused = () => ourWindows().some((w) => w.focused && w.visible);
    const hidden = () => ourWindows().every((w) => !w.visible);
    // Minimised, as far as sway has it: moved to the scratchpad.
    const minimise = () => run("swaymsg", ['[title="^Authdesk$"]', "move", "scratchpad"]);
    const openHelp = async () => {
      await s.visible("[data-testid=search]");
      await s.click("[data-testid=settings]");
      await s.visible("[data-testid=shortcut-help]");
      await s.exec("document.querySelector('[data-testid=shortcut-help]').scrollIntoView({ block: 'center' });");
    };
    for (const [lang, theme] of [["nl", "dark"], ["en", "light"]]) {
      await setLook(s, lang, theme);
      await openHelp();
      await shot(s, `settings-shortcuts-${lang}-${theme}`);
      await closeDialogs(s);
    }
    await openHelp();
    assert.equal(await s.exec("return document.querySelector('[data-testid=shortcut-help]').dataset.desktop;"), "sway");
    await s.click("[data-testid=shortcut-copy-show]");
    await s.waitFor("the command on the clipboard", async () => clipboard() === `${APP} --show`, 3000);
    let lines = "";
    await s.click("[data-testid=shortcut-copy-config]");
    await s.waitFor("sway's lines on the clipboard", async () =>
      /^bindsym Ctrl\+Alt\+a exec .* --show$/m.test((lines = clipboard())), 3000);
    await closeDialogs(s);
    // As the user's config file would have them.
    for (const line of lines.split("\n").filter((l) => l.trim())) run("swaymsg", [line]);

    assert.ok(focused(), "our window is in front");
    minimise();
    await s.waitFor("minimised", async () => hidden(), 5000);
    // The keys from a (virtual) keyboard, to sway, which runs the command:
    // a second start, handed to this one by single-instance.
    run("wtype", ["-M", "ctrl", "-M", "alt", "a", "-m", "alt", "-m", "ctrl"]);
    await s.waitFor("shown and focused by the desktop's shortcut", async () => focused(), 10000);
    minimise();
    await s.waitFor("minimised again", async () => hidden(), 5000);
    const tray = trayMenu();
    tray.click(tray.items.find((i) => i.label === "Show/Hide").id);
    await s.waitFor("shown and focused by the tray", async () => focused(), 5000);
    await shot(s, "shown-en-light");
  });
  await t.test("auto-type on Wayland: `authdesk-app --type` opens the picker, which copies the chosen code", async () => {
    await setLook(s, "en", "light");
    await s.visible("[data-testid=search]");
    run(APP, ["--type"], { timeout: 20000, stdio: "ignore" });
    await s.visible("[data-testid=picker]", 10000);
    // Said before the choice, not after: nothing will be typed.
    assert.match(await s.text("[data-testid=picker]"), /lets no app type into other windows, so the code is copied/);
    assert.equal(await s.text("[data-testid=picker-type]"), "Copy the code");
    await shot(s, "picker-en-light");
    await clearOfPeriodEnd(s);
    await s.type("[data-testid=picker-search]", "batterij");
    await s.waitFor("one account left", async () => (await s.exec("return document.querySelectorAll('[data-testid=picker-option]').length;")) === 1);
    await s.type("[data-testid=picker-search]", "\uE007");
    await s.waitFor("the code on the clipboard", async () => clipboard() === run("oathtool", ["--totp", "-b", PORTAL_SECRET]).trim(), 5000);
    // Our window stepped aside for the portal's, to paste into.
    await s.waitFor("our window aside", async () => ourWindows().length === 0, 5000);
    run(APP, ["--show"], { timeout: 20000, stdio: "ignore" });
    await s.waitFor("shown again", async () => ourWindows().some((w) => w.visible), 5000);
  });

  await t.test("where the desktop's portal offers GlobalShortcuts, the app binds its three there and a press shows the window", async () => {
    // The screenshot portal steps down; a stand-in for GNOME's, KDE's or
    // Hyprland's GlobalShortcuts portal takes its name (see the script).
    for (const name of readdirSync(SERVICES).filter((n) => n.includes("portal"))) rmSync(join(SERVICES, name));
    run("gdbus", ["call", "--session", "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
      "--method", "org.freedesktop.DBus.ReloadConfig"]);
    try {
      run("pkill", ["-f", "xdg-desktop-portal"]);
    } catch {
      // None running.
    }
    const log = join(mkdtempSync(join(tmpdir(), "authdesk-portal-")), "calls.jsonl");
    const portal = spawn("/usr/bin/python3", [join(HERE, "globalshortcuts-portal.py"), log], { stdio: "inherit" });
    const calls = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : []);
    try {
      await s.waitFor("the stand-in portal on the bus", async () => calls().some((c) => c.owned), 10000);
      // The shortcuts are asked for once per run: a new start.
      await restart();
      await s.visible("[data-testid=unlock-password]");
      await s.type("[data-testid=unlock-password]", PASSWORD);
      await s.click("[data-testid=unlock-submit]");
      await s.visible("[data-testid=search]");
      const bind = await s.waitFor("BindShortcuts", async () => calls().find((c) => c.call === "BindShortcuts"), 10000);
      assert.deepEqual(bind.shortcuts, [
        { id: "show", description: "Show or hide Authdesk", preferred_trigger: "CTRL+ALT+a" },
        { id: "scan", description: "Scan the screen for a QR code", preferred_trigger: "CTRL+ALT+s" },
        { id: "type", description: "Type the code into the window in front", preferred_trigger: "CTRL+ALT+t" },
      ]);
      // Settings no longer lists commands to bind: the desktop has them.
      await s.click("[data-testid=settings]");
      await s.visible("[data-testid=shortcut-portal]");
      assert.equal(await s.exec("return !!document.querySelector('[data-testid=shortcut-help]');"), false);
      await s.exec("document.querySelector('[data-testid=shortcut-portal]').scrollIntoView({ block: 'center' });");
      await shot(s, "settings-shortcuts-portal-en-light");
      await closeDialogs(s);
      run("swaymsg", ['[title="^Authdesk$"]', "move", "scratchpad"]);
      await s.waitFor("minimised", async () => ourWindows().every((w) => !w.visible), 5000);
      // The desktop saw the keys: its Activated signal.
      run("gdbus", ["call", "--session", "--dest", "org.freedesktop.portal.Desktop", "--object-path", "/test",
        "--method", "nl.authdesk.Test.Press", "show"]);
      await s.waitFor("shown and focused by the portal's shortcut", async () =>
        ourWindows().some((w) => w.focused && w.visible), 10000);
    } finally {
      portal.kill();
    }
  });
  await t.test("started at login (--hidden): hidden where a panel hosts tray icons, shown where none does", async () => {
    // A panel's StatusNotifierWatcher on the bus (the name is what the app asks about).
    const host = spawn("/usr/bin/python3", ["-c", `
import gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib
Gio.bus_own_name(Gio.BusType.SESSION, "org.kde.StatusNotifierWatcher", 0, None, lambda c, n: print("owned", flush=True), None)
GLib.MainLoop().run()`], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise((resolve, reject) => {
        host.stdout.once("data", resolve);
        host.once("exit", (code) => reject(new Error(`the stand-in watcher exited (${code})`)));
        setTimeout(() => reject(new Error("the stand-in watcher never owned its name")), 10000);
      });
      await restart(["--hidden"]);
      await sleep(1500);
      assert.equal(ourWindows().length, 0, "hidden in the tray");
    } finally {
      host.kill();
    }
    // GNOME without the AppIndicator extension: no host, so the window
    // opens rather than hiding where nothing would show it.
    await restart(["--hidden"]);
    await s.waitFor("the window shown", async () => ourWindows().some((w) => w.visible), 5000);
    await shot(s, "hidden-without-tray-en-light");
  });

  await t.test("accessibility: axe finds no serious or critical WCAG failure on any screen photographed", () => {
    console.log(`axe-core ${axe.results.length} screens (impact: nodes)\n${axe.table()}`);
    assert.ok(axe.results.length >= 8, `only ${axe.results.length} screens were audited`);
    assert.deepEqual(axe.failures(), []);
  });
});
