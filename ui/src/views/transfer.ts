// "Move to a phone": Google Authenticator transfer QR codes for the chosen
// accounts, after the password is typed again. Loaded on demand.
import { api, type EntryView, type LeftOut } from "../api";
import { dialog, h } from "../dom";
import { t } from "../i18n";
import { displayName, errorText } from "../logic";
import { askPassword } from "./auth";

export async function showTransfer(): Promise<void> {
  const entries: EntryView[] = await api.listEntries();
  const boxes = entries.map((e) => ({ e, box: h("input", { type: "checkbox", checked: true, "data-testid": "transfer-pick" }) }));
  const error = h("p", { class: "error", role: "alert" });
  const next = h("button", { type: "submit", class: "primary", "data-testid": "transfer-show" }, t("transfer.show"));
  const count = () => {
    const n = boxes.filter((b) => b.box.checked).length;
    next.disabled = n === 0;
    next.textContent = t("transfer.showCount", { count: n });
  };
  for (const b of boxes) b.box.addEventListener("change", count);
  count();
  const form = h(
    "form",
    { class: "transfer" },
    h("p", {}, t("transfer.intro")),
    h("ul", { class: "picks" }, ...boxes.map(({ e, box }) => h("li", {}, h("label", { class: "check" }, box, h("span", {}, displayName(e)))))),
    error,
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")), next),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const ids = boxes.filter((b) => b.box.checked).map((b) => b.e.id);
    const password = await askPassword(t("transfer.title"), t("transfer.prompt"));
    if (password === null) return;
    try {
      const r = await api.exportMigration(ids, password);
      d.close();
      showCodes(r.codes, r.left_out);
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  const d = dialog(t("transfer.title"), form);
}

function showCodes(codes: string[], leftOut: LeftOut[]): void {
  let at = 0;
  const img = h("img", { alt: t("transfer.title"), width: 300, height: 300, "data-testid": "transfer-qr" });
  const where = h("p", { class: "muted", "data-testid": "transfer-where" });
  const prev = h("button", { type: "button", onclick: () => go(-1) }, t("transfer.prev"));
  const next = h("button", { type: "button", class: "primary", "data-testid": "transfer-next", onclick: () => go(1) }, t("transfer.next"));
  const go = (step: number) => {
    at = Math.min(codes.length - 1, Math.max(0, at + step));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(codes[at] ?? "")}`;
    where.textContent = t("transfer.where", { index: at + 1, size: codes.length });
    prev.disabled = at === 0;
    next.disabled = at === codes.length - 1;
  };
  const body = h(
    "div",
    { class: "reveal" },
    h("p", { class: "warning" }, t("transfer.warning")),
    h("p", {}, t("transfer.howto")),
    ...(codes.length ? [img, where] : [h("p", { class: "error" }, t("transfer.none"))]),
    ...leftOut.map((s) => h("p", { class: "warning", "data-testid": "transfer-left-out" }, t("transfer.leftOut", { name: s.name, reason: t(`transfer.why.${s.kind}`, { value: s.value ?? "" }) }))),
    h("div", { class: "actions" }, ...(codes.length > 1 ? [prev, next] : []), h("button", { type: "button", onclick: () => cd.close() }, t("common.close"))),
  );
  go(0);
  // The codes are secrets: gone from the page once the dialog closes.
  const cd = dialog(t("transfer.title"), body, { onClose: () => { body.replaceChildren(); codes.fill(""); } });
}
