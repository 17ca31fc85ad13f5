// @vitest-environment happy-dom
// Settings' Wayland panel, rendered in a DOM with the commands mocked: the
// steps each desktop gets, in English and Dutch, and that a copy button
// asks Rust for the text by name.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ShortcutHelp } from "./api";
import { setLanguage } from "./i18n";

const api = vi.hoisted(() => ({ shortcutHelp: vi.fn(), copyShortcutText: vi.fn() }));
vi.mock("./api", () => ({ api }));
const { renderShortcutHelp, shortcutHelpPanel } = await import("./views/shortcuthelp");

const EXE = "'/home/an/My Apps/authdesk-app'";
function help(desktop: ShortcutHelp["desktop"], config: string | null): ShortcutHelp {
  return {
    needed: true,
    desktop,
    commands: [
      { action: "show", command: `${EXE} --show`, keys: "Ctrl+Alt+A" },
      { action: "scan", command: `${EXE} --scan`, keys: "" },
      { action: "type", command: `${EXE} --type`, keys: "Ctrl+Alt+T" },
    ],
    config,
    portal: false,
  };
}
const SWAY = help("sway", `bindsym Ctrl+Alt+a exec ${EXE} --show\nbindsym Ctrl+Alt+t exec ${EXE} --type`);
const GNOME = help("gnome", null);

function render(h: ShortcutHelp): HTMLElement {
  const panel = renderShortcutHelp(h);
  if (!panel) throw new Error("no panel");
  document.body.replaceChildren(panel, Object.assign(document.createElement("div"), { id: "toasts" }));
  return panel;
}
const byTestid = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

beforeEach(() => {
  api.shortcutHelp.mockReset();
  api.copyShortcutText.mockReset().mockResolvedValue(undefined);
});
afterEach(() => {
  setLanguage("en");
  document.body.replaceChildren();
});

describe("the Wayland shortcut panel", () => {
  it("gives sway its configuration lines, in English", () => {
    const panel = render(SWAY);
    expect(panel.dataset.testid).toBe("shortcut-help");
    expect(panel.textContent).toContain("does not let apps set global shortcuts");
    expect(panel.textContent).toContain("Add these lines to ~/.config/sway/config, then run “swaymsg reload” in a terminal.");
    expect(byTestid("shortcut-config")?.textContent).toBe(SWAY.config);
    expect(byTestid("shortcut-copy-config")?.textContent).toBe("Copy the lines");
    expect(byTestid("shortcut-command-show")?.textContent).toBe(`${EXE} --show`);
    expect(byTestid("shortcut-command-scan")?.textContent).toBe(`${EXE} --scan`);
    expect(byTestid("shortcut-command-type")?.textContent).toBe(`${EXE} --type`);
    expect(panel.textContent).toContain("Suggested keys: Ctrl+Alt+A");
    expect(panel.textContent).toContain("No keys suggested");
    expect(byTestid("shortcut-copy-show")?.getAttribute("aria-label")).toBe("Copy the command: Show Authdesk");
  });

  it("gives sway its configuration lines, in Dutch", () => {
    setLanguage("nl");
    const panel = render(SWAY);
    expect(panel.textContent).toContain("Op dit bureaublad (Wayland) kunnen apps zelf geen sneltoetsen instellen");
    expect(panel.textContent).toContain("Zet deze regels in ~/.config/sway/config en voer daarna “swaymsg reload” uit in een terminal.");
    expect(byTestid("shortcut-copy-config")?.textContent).toBe("Regels kopiëren");
    expect(byTestid("shortcut-copy-type")?.textContent).toBe("Kopiëren");
    expect(panel.textContent).toContain("Voorgestelde toetsen: Ctrl+Alt+T");
  });

  it("walks GNOME users through its settings, in English and Dutch", () => {
    let panel = render(GNOME);
    expect(panel.dataset.desktop).toBe("gnome");
    const steps = () => [...panel.querySelectorAll("ol li")].map((li) => li.textContent);
    expect(steps()).toEqual([
      "Open Settings → Keyboard → View and Customise Shortcuts → Custom Shortcuts and click Add Shortcut.",
      "Name: what it does, such as “Show Authdesk”. Command: paste the command. Shortcut: click Set Shortcut and press the keys.",
      "Do the same for each command you want a shortcut for.",
    ]);
    expect(byTestid("shortcut-config")).toBeNull();
    expect(byTestid("shortcut-copy-config")).toBeNull();
    expect(byTestid("shortcut-command-show")?.textContent).toBe(`${EXE} --show`);

    setLanguage("nl");
    panel = render(GNOME);
    expect(steps()[0]).toBe("Open Instellingen → Toetsenbord → Sneltoetsen bekijken en aanpassen → Aangepaste sneltoetsen en klik op “Sneltoets toevoegen”.");
    expect(panel.textContent).toContain("Authdesk tonen");
    expect(byTestid("shortcut-copy-scan")?.getAttribute("aria-label")).toBe("Opdracht kopiëren: Scherm scannen op een QR-code");
  });

  it("names Ctrl as the language's keyboards do", () => {
    setLanguage("de");
    render(GNOME);
    expect(document.body.textContent).toContain("Vorgeschlagene Tasten: Strg+Alt+A");
  });

  it("copies by name, never the page's own text, and says so", async () => {
    render(GNOME);
    byTestid("shortcut-copy-type")?.click();
    await vi.waitFor(() => expect(document.querySelector("#toasts")?.textContent).toBe("Copied"));
    expect(api.copyShortcutText).toHaveBeenCalledWith("type");
  });

  it("says where to change them when the desktop's portal holds them", () => {
    const note = renderShortcutHelp({ ...SWAY, needed: false, portal: true });
    expect(note?.dataset.testid).toBe("shortcut-portal");
    expect(note?.textContent).toContain("Your desktop keeps Authdesk’s shortcuts");
    expect(note?.querySelector("code")).toBeNull();
  });

  it("shows nothing where the app's own shortcuts work", async () => {
    expect(renderShortcutHelp({ ...GNOME, needed: false })).toBeNull();
    api.shortcutHelp.mockResolvedValue({ ...SWAY, needed: false });
    const onNeeded = vi.fn();
    const slot = shortcutHelpPanel(onNeeded);
    await vi.waitFor(() => expect(api.shortcutHelp).toHaveBeenCalled());
    await Promise.resolve();
    expect(slot.childElementCount).toBe(0);
    expect(onNeeded).not.toHaveBeenCalled();

    api.shortcutHelp.mockResolvedValue(SWAY);
    const filled = shortcutHelpPanel(onNeeded);
    await vi.waitFor(() => expect(onNeeded).toHaveBeenCalled());
    expect(filled.querySelector('[data-testid="shortcut-help"]')).not.toBeNull();
  });
});
