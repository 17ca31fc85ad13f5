// Editing, deleting (with undo) and revealing an account. Loaded on demand.
import { api, type EntryView } from "../api";
import { confirmDialog, dialog, h, toast } from "../dom";
import { t } from "../i18n";
import { displayName, errorText } from "../logic";
import { askPassword } from "./auth";
import { iconField } from "./iconfield";
import { parseTags } from "./tags";

export function showEdit(entry: EntryView, onChanged: () => void): void {
  const name = displayName(entry);
  const issuer = h("input", { type: "text", value: entry.issuer, "data-testid": "edit-issuer" });
  const account = h("input", { type: "text", value: entry.account, "data-testid": "edit-account" });
  const tags = h("input", { type: "text", value: entry.tags.join(", "), autocomplete: "off", "data-testid": "edit-tags" });
  const note = h("textarea", { rows: 3, maxlength: 2000, "data-testid": "edit-note" }, entry.note);
  const windows = h("textarea", { rows: 2, spellcheck: "false", "data-testid": "edit-windows" }, entry.windows.join("\n"));
  const typeEnter = h("input", { type: "checkbox", checked: entry.type_enter, "data-testid": "edit-type-enter" });
  const icon = iconField(entry);
  const error = h("p", { class: "error", role: "alert", "data-testid": "edit-error" });
  // Code settings: for a QR code that said 30 s for a portal whose codes
  // last 60 s. Steam Guard's are fixed; HOTP has no period.
  const algorithm = h("select", { "data-testid": "edit-algorithm" },
    ...["SHA1", "SHA256", "SHA512"].map((a) => h("option", { value: a, selected: a === entry.algorithm }, a)));
  const digits = h("input", { type: "number", min: 4, max: 9, value: entry.digits, "data-testid": "edit-digits" });
  const period = h("input", { type: "number", min: 1, value: entry.period, "data-testid": "edit-period" });
  const codeSettings = entry.type === "steam" ? null : h(
    "details",
    { "data-testid": "edit-code-settings" },
    h("summary", {}, t("edit.codeSettings")),
    h("p", { class: "hint" }, t("edit.codeSettingsHint")),
    h("div", { class: "grid" },
      h("label", { class: "field" }, h("span", {}, t("add.digits")), digits),
      entry.type === "totp" ? h("label", { class: "field" }, h("span", {}, t("add.period")), period) : null,
      h("label", { class: "field" }, h("span", {}, t("add.algorithm")), algorithm)),
  );

  const form = h(
    "form",
    {},
    h("label", { class: "field" }, h("span", {}, t("add.issuer")), issuer),
    h("label", { class: "field" }, h("span", {}, t("add.account")), account),
    h("label", { class: "field" }, h("span", {}, t("edit.tags")), tags, h("span", { class: "hint" }, t("edit.tagsHint"))),
    h("label", { class: "field" }, h("span", {}, t("edit.note")), note, h("span", { class: "hint" }, t("edit.noteHint"))),
    icon.element,
    h("label", { class: "field" }, h("span", {}, t("edit.windows")), windows, h("span", { class: "hint" }, t("edit.windowsHint"))),
    h("label", { class: "check" }, typeEnter, h("span", {}, t("edit.typeEnter"))),
    codeSettings,
    error,
    h(
      "div",
      { class: "actions spread" },
      h("button", { type: "button", class: "danger", "data-testid": "edit-delete", onclick: () => void remove() }, t("edit.delete")),
      h("button", { type: "button", "data-testid": "edit-reveal", onclick: () => void reveal() }, t("edit.reveal")),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")),
      h("button", { type: "submit", class: "primary", "data-testid": "edit-save" }, t("common.save")),
    ),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      // Only what changed: an edit of the names never rewrites the code settings.
      const code = entry.type === "steam" ? {} : {
        ...(algorithm.value !== entry.algorithm ? { algorithm: algorithm.value } : {}),
        ...(Number(digits.value) !== entry.digits ? { digits: Number(digits.value) } : {}),
        ...(entry.type === "totp" && Number(period.value) !== entry.period ? { period: Number(period.value) } : {}),
      };
      await api.updateEntry(entry.id, {
        issuer: issuer.value, account: account.value, icon: icon.value(), tags: parseTags(tags.value), note: note.value, ...code,
        windows: windows.value.split("\n").map((w) => w.trim()).filter(Boolean), type_enter: typeEnter.checked,
      });
      d.close();
      onChanged();
    } catch (e) {
      error.textContent = errorText(e);
    }
  });

  const remove = async () => {
    if (!(await confirmDialog(t("edit.delete"), t("edit.confirmDelete", { name }), t("common.delete"), t("common.cancel")))) return;
    try {
      await api.deleteEntry(entry.id);
      d.close();
      onChanged();
      toast(t("list.deleted", { name }), {
        label: t("common.undo"),
        run: () => void api.undoDelete().then(onChanged, (e) => toast(errorText(e))),
      });
    } catch (e) {
      error.textContent = errorText(e);
    }
  };

  const reveal = async () => {
    const password = await askPassword(t("reveal.title"), t("reveal.prompt", { name }));
    if (password === null) return;
    try {
      const r = await api.revealSecret(entry.id, password);
      const img = h("img", { alt: t("reveal.title"), width: 240, height: 240, "data-testid": "reveal-qr" });
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.qr_svg)}`;
      const body = h(
        "div",
        { class: "reveal" },
        h("p", { class: "warning" }, t("reveal.warning")),
        img,
        h("p", {}, t("reveal.key")),
        h("code", { class: "secret", "data-testid": "reveal-secret" }, r.secret.replace(/(.{4})/g, "$1 ").trim()),
        h("div", { class: "actions" }, h("button", { type: "button", class: "primary", onclick: () => rd.close() }, t("common.close"))),
      );
      const rd = dialog(t("reveal.title"), body, { onClose: () => body.replaceChildren() });
    } catch (e) {
      error.textContent = errorText(e);
    }
  };

  const d = dialog(t("edit.title"), form);
  issuer.focus();
}
