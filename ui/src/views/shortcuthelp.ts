// Wayland lets no app take keys for the whole desktop, so Settings says
// how to bind the shortcuts in the desktop's own settings instead, to
// `authdesk-app --show`, `--scan` and `--type`. Rust works out the
// commands and the copied text; this only shows them.
import { api, type ShortcutCommand, type ShortcutHelp } from "../api";
import { h, toast } from "../dom";
import { t } from "../i18n";
import { errorText } from "../logic";

type Which = ShortcutCommand["action"] | "config";

function actionLabel(action: ShortcutCommand["action"]): string {
  switch (action) {
    case "show": return t("settings.shortcutHelp.show");
    case "scan": return t("settings.shortcutHelp.scan");
    case "type": return t("settings.shortcutHelp.type");
  }
}

/** "Strg+Alt+A" in German: the key as that language's keyboards label it. */
function shownKeys(keys: string): string {
  return keys.split("+").map((k) => (k === "Ctrl" ? t("settings.ctrlKey") : k)).join("+");
}

function copyButton(which: Which, label: string, ariaLabel: string): HTMLButtonElement {
  return h("button", {
    type: "button",
    "data-testid": `shortcut-copy-${which}`,
    "aria-label": ariaLabel,
    onclick: () => {
      api.copyShortcutText(which).then(() => toast(t("list.copiedBadge")), (e: unknown) => toast(errorText(e)));
    },
  }, label);
}

/** The steps for this desktop, before the list of commands. */
function steps(help: ShortcutHelp): HTMLElement {
  switch (help.desktop) {
    case "gnome":
      return h("ol", {},
        h("li", {}, t("settings.shortcutHelp.gnome.open")),
        h("li", {}, t("settings.shortcutHelp.gnome.fill")),
        h("li", {}, t("settings.shortcutHelp.repeat")));
    case "kde":
      return h("ol", {},
        h("li", {}, t("settings.shortcutHelp.kde.open")),
        h("li", {}, t("settings.shortcutHelp.kde.fill")),
        h("li", {}, t("settings.shortcutHelp.repeat")));
    case "sway":
      if (help.config !== null) return h("p", {}, t("settings.shortcutHelp.sway", { file: "~/.config/sway/config", reload: "swaymsg reload" }));
      break;
    case "hyprland":
      if (help.config !== null) return h("p", {}, t("settings.shortcutHelp.hyprland", { file: "~/.config/hypr/hyprland.conf" }));
      break;
    case "other":
      break;
  }
  return h("p", {}, t("settings.shortcutHelp.other"));
}

/** The panel for `help`, or null where the app's own shortcuts work. */
export function renderShortcutHelp(help: ShortcutHelp): HTMLElement | null {
  // The desktop took the shortcuts through its portal: they are changed
  // where it lists them, not here.
  if (help.portal) {
    return h("p", { class: "notice", role: "note", "data-testid": "shortcut-portal" }, t("settings.shortcutHelp.portal"));
  }
  if (!help.needed) return null;
  const commands = h("ul", { class: "shortcut-commands" }, ...help.commands.map((c) => {
    const label = actionLabel(c.action);
    return h("li", {},
      h("span", { class: "shortcut-name" }, label,
        h("span", { class: "hint block" }, c.keys ? t("settings.shortcutHelp.keys", { keys: shownKeys(c.keys) }) : t("settings.shortcutHelp.noKeys"))),
      h("code", { "data-testid": `shortcut-command-${c.action}` }, c.command),
      copyButton(c.action, t("settings.shortcutHelp.copy"), t("settings.shortcutHelp.copyCommand", { name: label })));
  }));
  // sway and Hyprland read lines from a file rather than offering a
  // dialog: those come first, the commands stay below for a launcher.
  const config = help.config === null ? null : h("div", { class: "shortcut-config" },
    h("pre", {}, h("code", { "data-testid": "shortcut-config" }, help.config)),
    copyButton("config", t("settings.shortcutHelp.copyConfig"), t("settings.shortcutHelp.copyConfig")));
  return h("div", { class: "notice shortcut-help", role: "note", "data-testid": "shortcut-help", "data-desktop": help.desktop },
    h("p", {}, t("settings.shortcutHelp.intro")),
    steps(help),
    config,
    commands);
}

/**
 * A place for the panel in Settings, filled once Rust has answered;
 * `onNeeded` runs when the panel shows (the recorders' hint changes).
 */
export function shortcutHelpPanel(onNeeded: () => void): HTMLElement {
  const slot = h("div", {});
  api.shortcutHelp().then((help) => {
    const panel = renderShortcutHelp(help);
    if (!panel) return;
    slot.replaceChildren(panel);
    onNeeded();
  }, () => undefined);
  return slot;
}
