// Updates: the list's banner, "what's new" and the install, and the line
// Settings shows. The notes come from the update server: text only.
import { listen } from "@tauri-apps/api/event";
import { api, type UpdateProgress, type UpdateStatus } from "../api";
import { dialog, h } from "../dom";
import { formatDateTime, t } from "../i18n";
import { errorText } from "../logic";

type Available = Extract<UpdateStatus, { state: "available" }>;

/** "Authdesk 1.2.0 is available" above the list, while one is on offer. */
export function updateBanner(st: UpdateStatus): HTMLElement | null {
  if (st.state !== "available") return null;
  return h("div", { class: "reminder update", role: "status", "data-testid": "update-banner" },
    h("span", {}, t("update.available", { version: st.version })),
    h("button", { type: "button", "data-testid": "update-open", onclick: () => showUpdate(st) }, t("update.whatsNew")));
}

/** One line for Settings: up to date, on offer, or why the check failed. */
export function updateLine(st: UpdateStatus): string {
  switch (st.state) {
    case "unchecked":
      return t("update.unchecked", { current: st.current });
    case "checking":
      return t("update.checking");
    case "up_to_date":
      return [t("update.upToDate", { current: st.current, when: formatDateTime(st.checked_ms) }),
        st.older ? t("update.older", { version: st.older }) : ""].filter(Boolean).join(" ");
    case "available":
      return t("update.available", { version: st.version });
    case "installing":
      return t("update.installing", { version: st.version });
    case "failed":
      return t("update.failed", { reason: errorText(st.error), when: formatDateTime(st.checked_ms) });
  }
}

/** "What's new" and, for a copy installed from a package, the install. */
export function showUpdate(st: Available): void {
  const notes = h("div", { class: "notes", "data-testid": "update-notes" });
  notes.textContent = st.notes || t("update.noNotes");
  const progress = h("progress", { max: 1, value: 0, hidden: true, "data-testid": "update-progress" });
  const error = h("p", { class: "error", role: "alert", "data-testid": "update-error" });
  const later = h("button", { type: "button", "data-testid": "update-later", onclick: () => d.close() }, t("update.later"));
  const install = h("button", { type: "button", class: "primary", "data-testid": "update-install" }, t("update.install"));
  let unlisten: (() => void) | null = null;
  install.addEventListener("click", async () => {
    install.disabled = true;
    error.textContent = "";
    progress.hidden = false;
    progress.removeAttribute("value");
    unlisten ??= await listen<UpdateProgress>("update-progress", (ev) => {
      if (ev.payload.total) progress.value = ev.payload.done / ev.payload.total;
    });
    try {
      await api.installUpdate();
    } catch (e) {
      error.textContent = errorText(e);
      progress.hidden = true;
      install.disabled = false;
    }
  });
  const body = h("div", { class: "update-dialog" },
    h("p", { class: "hint", "data-testid": "update-versions" },
      t("update.versions", { version: st.version, current: st.current }) + (st.date ? ` · ${st.date}` : "")),
    h("h3", {}, t("update.whatsNew")),
    notes,
    ...(st.installable ? [progress] : [h("p", { class: "hint", "data-testid": "update-by-hand" }, t("update.byHand", { version: st.version }))]),
    error,
    h("div", { class: "actions" }, later, ...(st.installable ? [install] : [])));
  const d = dialog(t("update.title", { version: st.version }), body, { onClose: () => unlisten?.() });
}

/** Settings' update section: the setting, the last check and "Check now". */
export function updateSettings(checked: boolean): { box: HTMLInputElement; section: HTMLElement } {
  const box = h("input", { type: "checkbox", checked, "data-testid": "settings-check-updates" });
  const line = h("p", { class: "clock-state", "aria-live": "polite", "data-testid": "settings-update-state" });
  const open = h("button", { type: "button", hidden: true, "data-testid": "settings-update-open" }, t("update.whatsNew"));
  let shown: UpdateStatus | null = null;
  const show = (st: UpdateStatus) => {
    shown = st;
    line.textContent = updateLine(st);
    open.hidden = st.state !== "available";
  };
  open.addEventListener("click", () => {
    if (shown?.state === "available") showUpdate(shown);
  });
  void api.updateStatus().then(show, () => undefined);
  // The daily check may finish while Settings is open.
  const onStatus = (ev: Event) => {
    if (!line.isConnected) document.removeEventListener("authdesk:update-status", onStatus);
    else show((ev as CustomEvent<UpdateStatus>).detail);
  };
  document.addEventListener("authdesk:update-status", onStatus);
  const now = h("button", { type: "button", "data-testid": "settings-update-check" }, t("update.checkNow"));
  now.addEventListener("click", async () => {
    now.disabled = true;
    line.textContent = t("update.checking");
    try {
      show(await api.checkUpdate());
    } catch (e) {
      line.textContent = errorText(e);
    } finally {
      now.disabled = false;
    }
  });
  const section = h("fieldset", { class: "clock-settings" },
    h("legend", {}, t("update.legend")),
    line,
    h("div", { class: "actions" }, open, now),
    h("label", { class: "check" }, box, h("span", {}, t("update.daily"))));
  return { box, section };
}
