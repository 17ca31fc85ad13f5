// The app's tray menu, read and clicked over D-Bus as a panel does: shared
// by the X11 suite and the Wayland one.
import { execFileSync } from "node:child_process";

/**
 * The app's tray menu as a panel sees it: the com.canonical.dbusmenu object
 * libayatana-appindicator exports on the session bus (no panel runs under
 * Xvfb; the menu is exported all the same). Items: {id, label}.
 */
export function trayMenu() {
  const gdbus = (...args) => execFileSync("gdbus", ["call", "--session", ...args], { encoding: "utf8", timeout: 5000 });
  const names = gdbus("--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
    "--method", "org.freedesktop.DBus.ListNames").match(/':\d+\.\d+'/g).map((n) => n.slice(1, -1));
  for (const name of names) {
    let tree;
    try {
      tree = execFileSync("gdbus", ["introspect", "--session", "--dest", name, "--object-path", "/org/ayatana/NotificationItem"],
        // Short: the accessibility bus's names never answer.
        { encoding: "utf8", timeout: 1500, stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      continue;
    }
    const child = tree.match(/node (\S+) \{/g)?.map((m) => m.slice(5, -2)).find((n) => n !== "/org/ayatana/NotificationItem");
    if (!child) continue;
    const path = `/org/ayatana/NotificationItem/${child}/Menu`;
    const layout = gdbus("--dest", name, "--object-path", path, "--method", "com.canonical.dbusmenu.GetLayout", "0", "int32 -1", "[]");
    const items = [...layout.matchAll(/\((\d+), \{([^}]*)\}/g)]
      .map(([, id, props]) => ({ id: Number(id), label: props.match(/'label': <'((?:[^'\\]|\\.)*)'>/)?.[1] }))
      .filter((i) => i.label !== undefined);
    const click = (id) => gdbus("--dest", name, "--object-path", path, "--method", "com.canonical.dbusmenu.Event",
      String(id), "clicked", "<int32 0>", "0");
    return { items, click };
  }
  throw new Error("no tray menu on the session bus");
}
