// The household's passwords, listed by name ("Mam", "Jan"): anyone with
// the vault unlocked adds, names and removes them. Removing drops the
// password from new backups; "for good" also gives the household a new
// key, which needs the remover's own household password to seal it.
import { api } from "../api";
import { dialog, h, toast } from "../dom";
import { t } from "../i18n";
import { errorText } from "../logic";
import { passwordField } from "./password";
import { strengthMeter } from "./strength";

/** How a password shows in the list and in messages. */
export function slotLabel(name: string, index: number): string {
  return name || t("slots.unnamed", { n: index + 1 });
}

/** The Household tab's password section; `show` fills it from the backup status. */
export function householdPasswords(onChanged: () => void): {
  element: HTMLElement;
  show: (names: string[]) => void;
  clear: () => void;
} {
  const list = h("ul", { class: "slot-list", "data-testid": "slot-list" });
  const name = h("input", { type: "text", autocomplete: "off", maxlength: "64", "data-testid": "slot-name" });
  const newPw = h("input", { type: "password", autocomplete: "new-password", "data-testid": "slot-new" });
  const newPw2 = h("input", { type: "password", autocomplete: "new-password", "data-testid": "slot-new2" });
  const error = h("p", { class: "error", role: "alert", "data-testid": "slot-error" });
  const addButton = h("button", { type: "button", "data-testid": "slot-add" }, t("slots.add"));
  const meter = strengthMeter(newPw, "slot-strength", { floor: (level) => t("strength.fileFloor", { level }) });
  const element = h(
    "section",
    { class: "slots" },
    h("h3", {}, t("slots.title")),
    h("p", { class: "hint" }, t("slots.hint")),
    list,
    h("h4", {}, t("slots.addTitle")),
    h("label", { class: "field" }, h("span", {}, t("slots.name")), name, h("span", { class: "hint" }, t("slots.nameHint"))),
    h("label", { class: "field" }, h("span", {}, t("slots.newPassword")), passwordField(newPw), meter.element),
    h("label", { class: "field" }, h("span", {}, t("backup.passwordAgain")), passwordField(newPw2)),
    h("div", { class: "actions" }, addButton),
    error,
  );

  const rename = (li: HTMLElement, index: number, was: string) => {
    const input = h("input", { type: "text", autocomplete: "off", maxlength: "64", value: was, "data-testid": "slot-rename-input", "aria-label": t("slots.name") });
    const save = h("button", { type: "button", class: "primary", "data-testid": "slot-rename-save" }, t("common.save"));
    const cancel = h("button", { type: "button", "data-testid": "slot-rename-cancel" }, t("common.cancel"));
    const done = async () => {
      error.textContent = "";
      try {
        await api.renameBackupPassword(index, was, input.value);
        onChanged();
      } catch (e) {
        error.textContent = errorText(e);
      }
    };
    save.addEventListener("click", () => void done());
    cancel.addEventListener("click", onChanged);
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        void done();
      } else if (ev.key === "Escape") {
        // Escape leaves the name as it was, not the whole Backup dialog.
        ev.preventDefault();
        onChanged();
      }
    });
    li.replaceChildren(input, h("span", { class: "slot-actions" }, save, cancel));
    input.focus();
    input.select();
  };

  const show = (names: string[]) => {
    const last = names.length <= 1;
    list.replaceChildren(...names.map((n, i) => {
      const label = slotLabel(n, i);
      const renameButton = h("button", { type: "button", "data-testid": "slot-rename", "aria-label": t("slots.renameLabel", { name: label }) }, t("slots.rename"));
      const removeButton = h("button", {
        type: "button",
        class: "danger",
        "data-testid": "slot-remove",
        "aria-label": t("slots.removeLabel", { name: label }),
        disabled: last,
        title: last ? t("slots.lastOne") : "",
      }, t("slots.removeShort"));
      const li = h("li", { "data-testid": "slot" }, h(n ? "strong" : "em", { "data-testid": "slot-label" }, label),
        h("span", { class: "slot-actions" }, renameButton, removeButton));
      renameButton.addEventListener("click", () => rename(li, i, n));
      removeButton.addEventListener("click", () => confirmRemove(i, n, onChanged));
      return li;
    }));
  };

  addButton.addEventListener("click", async () => {
    error.textContent = "";
    if (!name.value.trim()) return void (error.textContent = t("slots.nameRequired"), name.focus());
    if (!newPw.value) return void (error.textContent = t("errors.empty_password"));
    if (newPw.value !== newPw2.value) return void (error.textContent = t("setup.mismatch"));
    try {
      await api.addBackupPassword(newPw.value, name.value);
      toast(t("slots.added", { name: name.value.trim() }));
      name.value = newPw.value = newPw2.value = "";
      meter.clear();
      onChanged();
    } catch (e) {
      error.textContent = errorText(e);
    }
  });

  return {
    element,
    show,
    clear: () => {
      newPw.value = newPw2.value = "";
    },
  };
}

/** Asks before removing password `index`, and whether for good. */
function confirmRemove(index: number, name: string, onChanged: () => void): void {
  const label = slotLabel(name, index);
  const forGood = h("input", { type: "checkbox", "data-testid": "slot-for-good" });
  const keep = h("input", { type: "password", autocomplete: "off", "data-testid": "slot-keep" });
  const keepField = h("label", { class: "field", hidden: true }, h("span", {}, t("slots.keepPassword")), passwordField(keep));
  const error = h("p", { class: "error", role: "alert", "data-testid": "slot-remove-error" });
  const yes = h("button", { type: "button", class: "danger", "data-testid": "slot-remove-confirm" }, t("slots.remove"));
  forGood.addEventListener("change", () => {
    keepField.hidden = !forGood.checked;
    if (forGood.checked) keep.focus();
  });
  yes.addEventListener("click", async () => {
    error.textContent = "";
    if (forGood.checked && !keep.value) return void (error.textContent = t("slots.keepRequired"), keep.focus());
    yes.disabled = true;
    try {
      const r = await api.removeBackupPassword(index, name, forGood.checked ? keep.value : undefined);
      d.close();
      toast(!r.new_key
        ? t("slots.removed", { name: label })
        : r.other_passwords_dropped > 0
          ? t("slots.revokedOthers", { name: label, count: r.other_passwords_dropped })
          : t("slots.revoked", { name: label }));
      onChanged();
    } catch (e) {
      error.textContent = errorText(e);
      yes.disabled = false;
    }
  });
  const d = dialog(
    t("slots.removeTitle", { name: label }),
    h("div", {},
      h("p", {}, t("slots.removeText", { name: label })),
      h("label", { class: "check" }, forGood, h("span", {}, t("slots.forGood"))),
      h("p", { class: "hint" }, t("slots.forGoodHint")),
      keepField,
      error,
      h("div", { class: "actions" },
        h("button", { type: "button", "data-testid": "slot-remove-cancel", onclick: () => d.close() }, t("common.cancel")),
        yes)),
    { onClose: () => (keep.value = "") },
  );
}
