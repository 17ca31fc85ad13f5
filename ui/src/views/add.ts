// Adding an account: paste the portal's otpauth:// link, or type its key.
// Loaded on demand: the first screen does not need it.
import { api, type AddReport, type ManualInput, type OtpType, type Preview, type PreviewEntry, type ScanReport } from "../api";
import { dialog, h, tabs, toast } from "../dom";
import { icon } from "../icons";
import { formatList, t } from "../i18n";
import { displayName, errorText, skipReason } from "../logic";

function debounce(fn: () => void, ms: number): () => void {
  let id: number | undefined;
  return () => {
    clearTimeout(id);
    id = window.setTimeout(fn, ms);
  };
}

function describe(p: Preview, showExisting: (id: string) => void): HTMLElement[] {
  const lines: HTMLElement[] = [];
  if (p.batch) lines.push(h("p", {}, t("add.batch", { index: p.batch[0], size: p.batch[1] })));
  if (p.entries.length > 1) lines.push(h("p", {}, t("add.previewMany", { count: p.entries.length })));
  for (const e of p.entries) lines.push(previewLine(e, showExisting));
  for (const s of p.skipped) lines.push(h("p", { class: "warning" }, t("add.skipped", { name: s.name, reason: skipReason(s) })));
  return lines;
}

/** The account's real parameters in words: "6 digits, new every 60 s", the algorithm only when it is not the usual SHA1. */
export function detailOf(e: Pick<PreviewEntry, "type" | "algorithm" | "digits" | "period">): string {
  const base = e.type === "hotp"
    ? t("add.detail.hotp", { digits: e.digits })
    : e.type === "steam"
      ? t("add.type.steam")
      : t("add.detail.totp", { digits: e.digits, period: e.period });
  return e.algorithm === "SHA1" || e.type === "steam" ? base : `${base} · ${e.algorithm}`;
}

function previewLine(e: PreviewEntry, showExisting: (id: string) => void): HTMLElement {
  const name = displayName(e);
  if (e.existing) {
    // Not a faint line above a dimmed button: say what is there already,
    // under which name, and take the user to it.
    const id = e.existing.id;
    const existing = displayName(e.existing);
    return h("div", { class: "notice present", "data-testid": "preview-present" },
      h("p", {}, existing === name ? t("add.present", { name }) : t("add.presentAs", { name, existing }),
        h("span", { class: "detail" }, ` — ${detailOf(e)}`)),
      h("button", { type: "button", "data-testid": "add-show-existing", onclick: () => showExisting(id) }, t("add.showExisting")));
  }
  return h(
    "p",
    { class: "ok", "data-testid": "preview-line" },
    t("add.preview", { name }),
    h("span", { class: "detail" }, ` — ${detailOf(e)}`),
  );
}

/**
 * Opens "Add account"; with an image (drop, paste) or "screen" (the scan
 * shortcut) it scans at once; with a link (an otpauth:// link opened from a
 * browser or mail) it shows that link's preview.
 */
export function showAdd(onAdded: (ids: string[], existing?: boolean) => void, image?: File | "screen" | { link: string }): void {
  const showExisting = (id: string) => {
    d.close();
    onAdded([id], true);
  };
  const result = h("div", { class: "preview", "aria-live": "polite", "data-testid": "add-preview" });
  const scanResult = h("div", { class: "preview", "aria-live": "polite", "data-testid": "scan-preview" });
  const submitScan = h("button", { type: "submit", class: "primary", disabled: true, "data-testid": "add-submit-scan" }, t("add.submit"));
  const submitLink = h("button", { type: "submit", class: "primary", disabled: true, "data-testid": "add-submit-link" }, t("add.submit"));
  const uri = h("textarea", { rows: 3, spellcheck: "false", "aria-label": t("add.link"), placeholder: "otpauth://totp/…", "data-testid": "add-uri" });

  const checkLink = debounce(async () => {
    if (!uri.value.trim()) {
      result.replaceChildren();
      submitLink.disabled = true;
      return;
    }
    try {
      const p = await api.previewUri(uri.value);
      result.replaceChildren(...describe(p, showExisting));
      submitLink.disabled = p.entries.every((e) => e.already_present);
    } catch (e) {
      result.replaceChildren(h("p", { class: "error", "data-testid": "add-error" }, errorText(e)));
      submitLink.disabled = true;
    }
  }, 150);
  uri.addEventListener("input", checkLink);

  // Scanned accounts wait in Rust; "Add" then commits them.
  const scanWith = async (busy: string, run: () => Promise<ScanReport | null>, none: string) => {
    select("scan");
    submitScan.disabled = true;
    const before = scanResult.cloneNode(true) as HTMLElement;
    scanResult.replaceChildren(h("p", { class: "muted" }, busy));
    try {
      const r = await run();
      if (!r) {
        scanResult.replaceChildren(...before.childNodes);
        return;
      }
      const lines: HTMLElement[] = [];
      if (r.parts) {
        const missing = Array.from({ length: r.parts.size }, (_, i) => i + 1).filter((n) => !r.parts?.scanned.includes(n));
        lines.push(h("p", { "data-testid": "scan-parts" }, t("add.parts", { count: r.parts.scanned.length, size: r.parts.size })));
        if (missing.length) lines.push(h("p", { class: "warning" }, t("add.partsMissing", { count: missing.length, missing: formatList(missing.map(String)) })));
      }
      lines.push(...describe(r.preview, showExisting));
      for (const text of r.other) lines.push(h("p", { class: "warning", "data-testid": "scan-other" }, t("add.notAuthenticator", { text })));
      if (r.window) lines.push(h("p", { class: "hint", "data-testid": "scan-window" }, t("add.window", { window: r.window })));
      if (r.codes === 0) lines.push(h("p", { class: "error", "data-testid": "scan-none" }, none));
      scanResult.replaceChildren(...lines);
      submitScan.disabled = !r.preview.entries.some((e) => !e.already_present);
      if (!submitScan.disabled) submitScan.focus();
    } catch (e) {
      scanResult.replaceChildren(h("p", { class: "error", "data-testid": "add-error" }, errorText(e)));
    }
  };
  const scan = (file: File) =>
    scanWith(t("add.scanning", { name: file.name }), () => api.scanImage(file, file.name), t("add.noCode", { name: file.name }));
  const scanScreen = () => scanWith(t("add.scanningScreen"), api.scanScreen, t("add.noCodeScreen"));
  const openImage = () =>
    scanWith(t("add.scanning", { name: "…" }), () => api.scanImageFile(t("add.openImage"), t("add.images")), t("add.noCodeImage"));
  const scanScreenButton = h("button", { type: "button", class: "primary", "data-testid": "scan-screen", onclick: () => void scanScreen() },
    icon("scan"), t("add.scanScreen"));
  const scanForm = h(
    "form",
    { class: "add-scan" },
    h("p", {}, t("add.scanScreenHint")),
    h("div", { class: "scan" },
      scanScreenButton,
      h("button", { type: "button", "data-testid": "scan-image", onclick: () => void openImage() }, icon("image"), t("add.scanImage"))),
    h("p", { class: "hint" }, t("add.dropHint")),
    scanResult,
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")), submitScan),
  );

  const linkForm = h(
    "form",
    { class: "add-link" },
    h("label", { class: "field" }, h("span", {}, t("add.link")), uri, h("span", { class: "hint" }, t("add.linkHint"))),
    result,
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")), submitLink),
  );

  // Manual key ("Unable to scan?").
  const issuer = h("input", { type: "text", autocomplete: "off", "data-testid": "add-issuer" });
  const account = h("input", { type: "text", autocomplete: "off", "data-testid": "add-account" });
  const secret = h("input", { type: "text", autocomplete: "off", spellcheck: "false", class: "mono", "data-testid": "add-secret" });
  const kind = h(
    "select",
    { "data-testid": "add-type" },
    ...(["totp", "hotp", "steam"] as const).map((k) => h("option", { value: k }, t(`add.type.${k}`))),
  );
  const algorithm = h("select", {}, ...["SHA1", "SHA256", "SHA512"].map((a) => h("option", { value: a }, a)));
  const digits = h("input", { type: "number", min: 4, max: 9, value: 6 });
  const period = h("input", { type: "number", min: 1, value: 30, "data-testid": "add-period" });
  const counter = h("input", { type: "number", min: 0, value: 0 });
  const keyResult = h("div", { class: "preview", "aria-live": "polite", "data-testid": "key-preview" });
  const submitKey = h("button", { type: "submit", class: "primary", disabled: true, "data-testid": "add-submit-key" }, t("add.submit"));
  const input = (): ManualInput => ({
    issuer: issuer.value,
    account: account.value,
    secret: secret.value,
    type: kind.value as OtpType,
    algorithm: algorithm.value,
    digits: Number(digits.value),
    period: Number(period.value),
    counter: Number(counter.value),
  });
  const checkKey = debounce(async () => {
    if (!secret.value.trim()) {
      keyResult.replaceChildren();
      submitKey.disabled = true;
      return;
    }
    try {
      const p = await api.previewManual(input());
      keyResult.replaceChildren(previewLine(p, showExisting));
      submitKey.disabled = p.already_present;
    } catch (e) {
      keyResult.replaceChildren(h("p", { class: "error", "data-testid": "key-error" }, errorText(e)));
      submitKey.disabled = true;
    }
  }, 150);
  const steamFixed = () => {
    const steam = kind.value === "steam";
    algorithm.disabled = digits.disabled = steam;
    counter.disabled = kind.value !== "hotp";
    period.disabled = kind.value === "hotp";
  };
  kind.addEventListener("change", steamFixed);
  steamFixed();
  const keyForm = h(
    "form",
    { class: "add-key" },
    h("label", { class: "field" }, h("span", {}, t("add.issuer")), issuer),
    h("label", { class: "field" }, h("span", {}, t("add.account")), account),
    h("label", { class: "field" }, h("span", {}, t("add.secret")), secret, h("span", { class: "hint" }, t("add.secretHint"))),
    h(
      "details",
      {},
      h("summary", {}, t("add.advanced")),
      h(
        "div",
        { class: "grid" },
        h("label", { class: "field" }, h("span", {}, t("add.type")), kind),
        h("label", { class: "field" }, h("span", {}, t("add.algorithm")), algorithm),
        h("label", { class: "field" }, h("span", {}, t("add.digits")), digits),
        h("label", { class: "field" }, h("span", {}, t("add.period")), period),
        h("label", { class: "field" }, h("span", {}, t("add.counter")), counter),
      ),
    ),
    keyResult,
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => d.close() }, t("common.cancel")), submitKey),
  );
  keyForm.addEventListener("input", checkKey);

  // The list shows the new card highlighted, in view and focused: the
  // portal asks for its first code next.
  const done = (r: AddReport) => {
    if (r.added.length === 0 && r.already_present.length > 0) toast(t("add.alreadyAll"));
    d.close();
    onAdded(r.added);
  };
  scanForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      done(await api.addScanned());
    } catch (e) {
      scanResult.replaceChildren(h("p", { class: "error" }, errorText(e)));
    }
  });
  linkForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      done(await api.addUri(uri.value));
    } catch (e) {
      result.replaceChildren(h("p", { class: "error" }, errorText(e)));
    }
  });
  keyForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      done(await api.addManual(input()));
    } catch (e) {
      keyResult.replaceChildren(h("p", { class: "error" }, errorText(e)));
    }
  });

  // Scanning first: a portal shows a QR code, and most people never see
  // the link behind it.
  const focusOf = { scan: scanScreenButton as HTMLElement, link: uri as HTMLElement, key: issuer as HTMLElement };
  const tabbed = tabs({
    scan: { label: t("add.tabScan"), testid: "tab-scan", panel: scanForm },
    link: { label: t("add.tabLink"), testid: "tab-link", panel: linkForm },
    key: { label: t("add.tabKey"), testid: "tab-key", panel: keyForm },
  }, (name) => focusOf[name].focus());
  function select(which: keyof typeof focusOf, focus = false): void {
    tabbed.select(which);
    if (focus) focusOf[which].focus();
  }
  const d = dialog(t("add.title"), h("div", {}, tabbed.list, scanForm, linkForm, keyForm));
  if (image === "screen") void scanScreen();
  else if (image instanceof File) void scan(image);
  else if (image) {
    // A link from outside shows its preview; "Add" is still the user's.
    select("link", true);
    uri.value = image.link;
    checkLink();
  } else select("scan", true);
}
