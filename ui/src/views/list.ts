// The main screen: every account with its live code.
import { api, type BackupStatus, type ClockStatus, type CodeView, type Codes, type EntryView, type UpdateStatus } from "../api";
import { h, mount, svg, toast } from "../dom";
import { icon } from "../icons";
import { t } from "../i18n";
import { countdown, displayName, errorText, groupCode, matches, moveBefore, showNext } from "../logic";
import { avatar } from "./avatar";
import { canMove, orderMenu, pinButton } from "./order";
import { updateBanner } from "./update";
import { cardExtras, tagFilter } from "./tags";

const RING = 2 * Math.PI * 15;

interface Card {
  entry: EntryView;
  el: HTMLLIElement;
  code: HTMLElement;
  next: HTMLElement;
  ring: SVGElement | null;
  seconds: HTMLElement | null;
  clockMark: HTMLElement;
  /** The ring's last drawn state. */
  fraction?: number;
  /** In (or near) the list's visible area; see `watchScreen`. */
  onScreen: boolean;
  /** Ends the card's "Copied" state. */
  copiedTimer?: number;
  /** The code the card's spoken label was last written with. */
  labelCode?: string;
}

let cards: Card[] = [];
let codes = new Map<string, CodeView>();
/** Rust's `otp::LAST_SECONDS`, from the codes reply that also brings the
 * codes (no card shows a code before it). */
let nextWithin = 0;
let clockOffset = 0;
let timer: number | undefined;
let fetching = false;
let screenWatch: IntersectionObserver | undefined;

/** Drops every name and code from memory and the DOM (on lock). */
export function clearList(): void {
  stopTicking();
  screenWatch?.disconnect();
  cards = [];
  codes = new Map();
  reminder = null;
}

function now(): number {
  return Date.now() + clockOffset;
}

function takeCodes(reply: Codes): void {
  clockOffset = reply.now_ms - Date.now();
  nextWithin = reply.next_within_s;
  for (const c of reply.codes) codes.set(c.id, c);
}

async function refreshCodes(): Promise<void> {
  if (fetching) return;
  fetching = true;
  try {
    takeCodes(await api.getCodes());
  } catch {
    // Locked meanwhile: the "locked" event switches the view.
  } finally {
    fetching = false;
  }
  paint();
}

// Idle CPU is spent on repaints: each write below happens only when its
// value changes (digits once a period, the countdown once a second), and
// nothing runs while the page is hidden. WebKitGTK repaints a card for any
// text or style write, even of the same value.
function setText(el: Node, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function paint(): void {
  const n = now();
  let stale = false;
  for (const card of cards) {
    const c = codes.get(card.entry.id);
    if (!c) {
      setText(card.code, card.entry.type === "hotp" ? "— — —" : "");
      continue;
    }
    setText(card.code, groupCode(c.code));
    if (card.el.dataset.code !== c.code) card.el.dataset.code = c.code;
    if (c.valid_until !== null && n >= c.valid_until * 1000) stale = true;
    if (c.valid_until !== null && card.ring && card.seconds && card.onScreen) {
      const { left, fraction } = countdown(n, c.valid_until, card.entry.period);
      if (card.fraction !== fraction) {
        card.fraction = fraction;
        card.ring.style.strokeDashoffset = String(RING * (1 - fraction));
      }
      setText(card.seconds, String(left));
      // A forced toggle to the class's present state changes nothing.
      const ending = showNext(left, nextWithin);
      card.el.classList.toggle("ending", ending);
      setText(card.next, ending && c.next ? t("list.next", { code: groupCode(c.next) }) : "");
    }
    // A new code on the focused card is read out; the seconds are not
    // (a label rewritten every second would be announced every second).
    if (document.activeElement === card.el && card.labelCode !== c.code) describe(card);
  }
  if (stale) void refreshCodes();
}

// Cards scrolled out of view get no per-second writes: WebKit skips
// painting them (content-visibility), but each write still restyles. A card
// coming into view is drawn before it is painted.
function watchScreen(root: Element): void {
  screenWatch?.disconnect();
  const byEl = new Map(cards.map((c) => [c.el as Element, c]));
  screenWatch = new IntersectionObserver((seen) => {
    for (const s of seen) {
      const card = byEl.get(s.target);
      if (card) card.onScreen = s.isIntersecting;
    }
    paint();
  }, { root, rootMargin: "200px 0px" });
  for (const c of cards) screenWatch.observe(c.el);
}

/**
 * What a screen reader says for a focused card: "issuer, account, code
 * 123 456, 17 seconds left". Written on focus and when the code changes,
 * never each second; the card's own text (digits split over elements, the
 * ring hidden) would read poorly.
 */
function describe(card: Card): void {
  const e = card.entry;
  const c = codes.get(e.id);
  const parts = [e.issuer || e.account, e.issuer ? e.account : ""].filter(Boolean);
  if (c) parts.push(t("a11y.codeIs", { code: groupCode(c.code) }));
  if (c?.valid_until != null) parts.push(t("list.secondsLeft", { seconds: countdown(now(), c.valid_until, e.period).left }));
  if (c) card.labelCode = c.code;
  else delete card.labelCode;
  const text = parts.join(", ");
  if (card.el.getAttribute("aria-label") !== text) card.el.setAttribute("aria-label", text);
}

function tick(): void {
  paint();
  // Wake just after each second boundary of Rust's clock.
  timer = window.setTimeout(tick, 1000 - (now() % 1000) + 20);
}

function stopTicking(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

// Hidden (window hidden to the tray, minimised, covered by the lock
// screen): no timer, no repaint, no IPC. Shown again, codes that went
// stale meanwhile are fetched and everything is drawn at once. The app
// says when it hides its window; the page's own visibility covers the rest.
let windowVisible = true;

function active(): boolean {
  return windowVisible && !document.hidden;
}

function resumeOrPause(): void {
  if (!active()) stopTicking();
  else if (cards.length && timer === undefined) tick();
}

/** The app hid or showed the window. */
export function setWindowVisible(visible: boolean): void {
  windowVisible = visible;
  resumeOrPause();
}

document.addEventListener("visibilitychange", resumeOrPause);

async function copy(card: Card): Promise<void> {
  try {
    const copied = await api.copyCode(card.entry.id);
    // The card itself says so, where the eye is; the toast repeats it for
    // screen readers and for a copy made from the search box.
    card.el.classList.add("copied");
    clearTimeout(card.copiedTimer);
    card.copiedTimer = window.setTimeout(() => card.el.classList.remove("copied"), 1500);
    const name = displayName(card.entry);
    // The code about to expire would fail at the portal: the next one was
    // copied, and the user is told which.
    toast(copied.next ? t("list.copiedNext", { name, seconds: copied.starts_in_s }) : t("list.copied", { name }), undefined, "copied");
  } catch (e) {
    toast(errorText(e));
  }
}

function buildCard(e: EntryView, actions: ListActions): Card {
  const name = displayName(e);
  const code = h("div", { class: "code", "data-testid": "code" });
  const next = h("div", { class: "next", "data-testid": "next-code" });
  let ring: SVGElement | null = null;
  let seconds: HTMLElement | null = null;
  let side: Element;
  if (e.type === "hotp") {
    side = h(
      "button",
      { type: "button", class: "icon", title: t("list.nextHotp"), "aria-label": t("list.nextHotp"), "data-testid": "hotp-next" },
      icon("refresh"),
    );
    side.addEventListener("click", async (ev) => {
      ev.stopPropagation();
      try {
        codes.set(e.id, await api.nextHotp(e.id));
        paint();
      } catch (err) {
        toast(errorText(err));
      }
    });
  } else {
    ring = svg("circle", { cx: 18, cy: 18, r: 15, class: "ring-fg", "stroke-dasharray": RING });
    seconds = h("span", { class: "seconds" });
    side = h(
      "div",
      { class: "ring", "aria-hidden": "true" },
      svg("svg", { viewBox: "0 0 36 36", width: 36, height: 36 }, svg("circle", { cx: 18, cy: 18, r: 15, class: "ring-bg" }), ring),
      seconds,
    );
  }
  const edit = h(
    "button",
    { type: "button", class: "icon", "aria-label": t("list.edit", { name }), title: t("list.edit", { name }), "data-testid": "edit" },
    icon("more"),
  );
  const el = h(
    "li",
    {
      class: "card",
      tabindex: 0,
      draggable: String(canMove()),
      "data-id": e.id,
      "data-testid": "entry",
      "aria-label": name,
      "aria-description": t("a11y.cardHint"),
      title: t("list.clickToCopy"),
    },
    avatar(e),
    h(
      "div",
      { class: "names" },
      h("div", { class: "issuer", "data-testid": "issuer" }, e.issuer || e.account),
      h("div", { class: "account" }, e.issuer ? e.account : ""),
      cardExtras(e),
    ),
    h(
      "div",
      { class: "codes" },
      code,
      next,
      h("span", { class: "copied-badge", "aria-hidden": "true", "data-testid": "copied-badge" }, icon("check"), t("list.copiedBadge")),
    ),
    side,
    pinButton(e, actions.reload),
    edit,
  );
  const clockMark = h("span", { class: "clock-mark", hidden: true, role: "img", "data-testid": "clock-mark" }, "⚠");
  el.querySelector(".codes")?.prepend(clockMark);
  // On screen until the observer says otherwise: the first paint draws all.
  const card: Card = { entry: e, el, code, next, ring, seconds, clockMark, onScreen: true };
  el.addEventListener("click", (ev) => {
    if ((ev.target as Element).closest("button")) return;
    void copy(card);
  });
  el.addEventListener("focus", () => describe(card));
  el.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && ev.target === el) {
      ev.preventDefault();
      void copy(card);
    }
  });
  edit.addEventListener("click", (ev) => {
    ev.stopPropagation();
    actions.edit(e);
  });
  el.addEventListener("dragstart", (ev) => {
    ev.dataTransfer?.setData("text/x-authdesk-id", e.id);
    el.classList.add("dragging");
  });
  el.addEventListener("dragend", () => el.classList.remove("dragging"));
  el.addEventListener("dragover", (ev) => ev.preventDefault());
  el.addEventListener("drop", (ev) => {
    ev.preventDefault();
    const moved = ev.dataTransfer?.getData("text/x-authdesk-id");
    if (moved) actions.reorder(moved, e.id);
  });
  return card;
}

export interface ListActions {
  /** Opens Add; "screen" scans the screen at once. */
  add: (what?: "screen") => void;
  import: () => void;
  backup: () => void;
  edit: (e: EntryView) => void;
  settings: () => void;
  lock: () => void;
  reorder: (id: string, before: string) => void;
  /** Shows the list again, in Rust's order (after a pin). */
  reload: () => Promise<void>;
}

// The backup reminder, kept across re-renders of the list.
let reminder: BackupStatus["reminder"] = null;
let openBackup: () => void = () => undefined;

// "Later" hides the reminder until it changes (or the app starts again).
let dismissed: BackupStatus["reminder"] = null;

function reminderBanner(): HTMLElement {
  const text = reminder === "none" ? t("reminder.none") : t("reminder.stale");
  return h("div", { class: "reminder", role: "status", "data-testid": "backup-reminder" },
    h("span", {}, text),
    h("button", { type: "button", "data-testid": "backup-reminder-open", onclick: () => openBackup() },
      reminder === "none" ? t("reminder.setUp") : t("reminder.open")),
    h("button", { type: "button", class: "link", "data-testid": "backup-reminder-later", onclick: () => {
      dismissed = reminder;
      document.querySelector<HTMLElement>('[data-slot="reminder"]')?.replaceChildren(...reminderNodes());
    } }, t("reminder.later")));
}

/** The reminder banner, when there is one to show and it was not put off. */
function reminderNodes(): HTMLElement[] {
  return reminder && !dismissed ? [reminderBanner()] : [];
}

/** Shows or hides "no backup" / "changes not backed up" above the list. */
export function showReminder(status: BackupStatus): void {
  reminder = status.reminder;
  if (reminder !== dismissed) dismissed = null;
  document.querySelector<HTMLElement>('[data-slot="reminder"]')?.replaceChildren(...reminderNodes());
}

// The update on offer, kept across re-renders of the list.
let update: UpdateStatus | null = null;

/** Shows or hides "Authdesk X is available" above the list. */
export function showUpdateBanner(st: UpdateStatus): void {
  update = st;
  const b = updateBanner(st);
  document.querySelector<HTMLElement>('[data-slot="update"]')?.replaceChildren(...(b ? [b] : []));
}

// The clock check, kept across re-renders of the list.
let clock: ClockStatus | null = null;
let turnOnNetworkTime: () => void = () => undefined;

/** "47 seconds" / "2 minutes 5 seconds", in the UI's language. */
export function amount(offset: number): string {
  const s = Math.round(Math.abs(offset));
  if (s < 120) return t("clock.seconds", { n: s });
  return t("clock.minutes", { m: Math.floor(s / 60), s: s % 60 });
}

function clockBanner(st: ClockStatus): HTMLElement | null {
  const off = st.offset_seconds;
  if (off === null) return null;
  const way = off > 0 ? "fast" : "slow";
  if (st.network_time) {
    if (Math.abs(off) < 0.5) return null;
    return h("div", { class: "clock-note", role: "status", "data-testid": "clock-network" },
      h("span", {}, t(`clock.network.${way}`, { amount: amount(off) })));
  }
  if (Math.abs(off) < st.warn_seconds) return null;
  // From half a 30 s period on, every other code is refused.
  const strong = Math.abs(off) >= 15;
  return h("div", { class: strong ? "clock-banner strong" : "clock-banner", role: "alert", "data-testid": "clock-banner" },
    h("div", {},
      h("strong", { "data-testid": "clock-text" }, t(`clock.${way}`, { amount: amount(off) })),
      h("p", { class: "hint" }, t(`clock.fix.${st.os}`))),
    h("button", { type: "button", "data-testid": "clock-use-network", onclick: () => turnOnNetworkTime() }, t("clock.useNetwork")));
}

function markCards(): void {
  const off = clock?.offset_seconds ?? null;
  for (const c of cards) {
    const warn = off !== null && !clock?.network_time && c.entry.type !== "hotp" && Math.abs(off) >= c.entry.period / 2;
    c.clockMark.hidden = !warn;
    if (warn) c.clockMark.title = t("clock.cardWarning");
  }
}

/** Shows the clock banner (or the network-time note) and the cards' marks. */
export function showClock(st: ClockStatus, onNetworkTime?: () => void): void {
  // Codes computed on another time (network time turned on or off, a new
  // offset while it is on) must be fetched again now, not at the period's end.
  const retime = (clock?.network_time ?? false) !== st.network_time
    || (st.network_time && clock?.offset_seconds !== st.offset_seconds);
  clock = st;
  if (retime && cards.length) void refreshCodes();
  if (onNetworkTime) turnOnNetworkTime = onNetworkTime;
  const slot = document.querySelector<HTMLElement>('[data-slot="clock"]');
  const b = clockBanner(st);
  slot?.replaceChildren(...(b ? [b] : []));
  markCards();
}

/** Shows the list; `first` is boot's reply, which saves two round trips at start. */
export async function showList(
  actions: Omit<ListActions, "reorder" | "reload">,
  first?: { entries: EntryView[]; codes: Codes },
): Promise<void> {
  clearList();
  const search = h("input", {
    type: "search",
    placeholder: t("list.search"),
    "aria-label": t("list.search"),
    "aria-description": t("list.searchHint"),
    title: t("list.searchHint"),
    "data-testid": "search",
  });
  const list = h("ul", { class: "entries", "data-testid": "entries", "aria-label": t("app.name") });
  const empty = h("div", { class: "empty", "data-testid": "empty" });
  const scroller = h("main", { class: "list" }, list, empty);
  const iconButton = (name: Parameters<typeof icon>[0], label: string, testid: string, run: () => void) =>
    h("button", { type: "button", class: "icon", title: label, "aria-label": label, "data-testid": testid, onclick: run }, icon(name));

  const reorder = (id: string, before: string, byKeyboard = false) => {
    if (!canMove()) return toast(t("list.order.manualOnly"), undefined, "moved");
    const ids = moveBefore(cards.map((c) => c.entry.id), id, before);
    void api.reorderEntries(ids).then(async () => {
      await load();
      if (!byKeyboard) return;
      // The moved card keeps the focus, and its new place is said.
      const card = cards.find((c) => c.entry.id === id);
      card?.el.focus();
      if (card) toast(t("a11y.moved", { name: displayName(card.entry), position: ids.indexOf(id) + 1, count: ids.length }), undefined, "moved");
    }, (e) => toast(errorText(e)));
  };
  const render = (entries: EntryView[]) => {
    const all: ListActions = { ...actions, reorder, reload: load };
    cards = entries.map((e) => buildCard(e, all));
    tagBar.update(entries);
    list.replaceChildren(...cards.map((c) => c.el));
    watchScreen(scroller);
    markCards();
    filter();
    paint();
  };
  const load = async () => render(await api.listEntries());
  const tagBar = tagFilter(() => filter());

  const filter = () => {
    const q = search.value;
    let shown = 0;
    for (const c of cards) {
      const ok = matches(c.entry, q) && tagBar.accepts(c.entry);
      c.el.hidden = !ok;
      if (ok) shown++;
    }
    if (cards.length === 0) {
      empty.replaceChildren(h("h2", {}, t("list.empty.title")), h("p", {}, t("list.empty.body")),
        h("div", { class: "actions" },
          h("button", { type: "button", onclick: () => actions.import(), "data-testid": "empty-import" }, t("list.importFirst")),
          h("button", { type: "button", onclick: () => actions.add(), "data-testid": "empty-add" }, t("list.add")),
          // The portal's QR code is on the screen already: scan it at once.
          h("button", { type: "button", class: "primary", onclick: () => actions.add("screen"), "data-testid": "empty-scan" },
            icon("scan"), t("add.tabScan"))));
    } else if (shown === 0) {
      empty.replaceChildren(h("p", {}, t("list.noMatch", { query: q })));
    } else {
      empty.replaceChildren();
    }
  };
  search.addEventListener("input", filter);
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      // The portal is waiting for the code: type its name, press Enter.
      ev.preventDefault();
      const first = cards.find((c) => !c.el.hidden);
      if (first) void copy(first);
    } else if (ev.key === "Escape") {
      search.value = "";
      filter();
    } else if (ev.key === "ArrowDown") {
      ev.preventDefault();
      cards.find((c) => !c.el.hidden)?.el.focus();
    }
  });
  list.addEventListener("keydown", (ev) => {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    ev.preventDefault();
    const visible = cards.filter((c) => !c.el.hidden);
    const at = visible.findIndex((c) => c.el === document.activeElement);
    const down = ev.key === "ArrowDown";
    if (ev.altKey) {
      // Alt+Up/Down moves the account: the keyboard's drag and drop.
      const card = visible[at];
      const target = visible[down ? at + 1 : at - 1];
      if (card && target) reorder(card.entry.id, target.entry.id, true);
      return;
    }
    const next = down ? visible[at + 1]?.el : at <= 0 ? search : visible[at - 1]?.el;
    next?.focus();
  });

  const header = h(
    "header",
    { class: "top" },
    // For screen readers' heading navigation; the window title says it to the eye.
    h("h1", { class: "sr-only" }, t("app.name")),
    h("div", { class: "searchbox" }, icon("search"), search),
    iconButton("plus", t("list.add"), "add", actions.add),
    orderMenu(render),
    iconButton("gear", t("list.settings"), "settings", actions.settings),
    iconButton("lock", t("list.lock"), "lock", actions.lock),
  );
  openBackup = actions.backup;
  const slot = h("div", { "data-slot": "reminder" }, ...reminderNodes());
  const banner = clock ? clockBanner(clock) : null;
  const clockSlot = h("div", { "data-slot": "clock" }, ...(banner ? [banner] : []));
  const offer = update ? updateBanner(update) : null;
  const updateSlot = h("div", { "data-slot": "update" }, ...(offer ? [offer] : []));
  // Inside <main>: the filter belongs to the list (and to a landmark).
  scroller.prepend(tagBar.element);
  mount(h("div", { class: "screen" }, header, clockSlot, slot, updateSlot, scroller));
  if (first) {
    takeCodes(first.codes);
    render(first.entries);
  } else {
    await load();
    await refreshCodes();
  }
  if (active()) tick();
  // The search box is not focused up front: its blinking caret alone kept
  // WebKitGTK repainting twice a second. Typing anywhere on the list
  // starts a search instead (typeToSearch).
}

/**
 * A printable key pressed on the list (nothing else focused, no dialog
 * open) goes to the search box, and Down to the first card: the list
 * answers the keyboard at once without a focused, blinking search box.
 */
export function typeToSearch(ev: KeyboardEvent): void {
  const search = document.querySelector<HTMLInputElement>('[data-testid="search"]');
  if (!search || ev.defaultPrevented || document.querySelector("dialog[open]")) return;
  const at = document.activeElement;
  const onList = !at || at === document.body || (at as HTMLElement).dataset?.testid === "entry";
  if (!onList || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key.length === 1 && ev.key !== " ") {
    // Focus moves before the key's default action: the character lands in
    // the search box.
    search.focus();
  } else if (ev.key === "ArrowDown" && (!at || at === document.body)) {
    ev.preventDefault();
    cards.find((c) => !c.el.hidden)?.el.focus();
  }
}

/**
 * Just added: the new card in view, highlighted and focused (Enter copies
 * its code, which the portal asks for next), and named in a toast.
 */
export function showAdded(ids: string[], existing = false): void {
  const added = cards.filter((c) => ids.includes(c.entry.id));
  const first = added[0];
  if (!first) return;
  for (const c of added) {
    c.el.classList.add("added");
    window.setTimeout(() => c.el.classList.remove("added"), 4000);
  }
  first.el.scrollIntoView({ block: "nearest" });
  first.el.focus();
  toast(existing
    ? t("add.existingShown", { name: displayName(first.entry) })
    : added.length === 1 ? t("add.addedNamed", { name: displayName(first.entry) }) : t("add.added", { count: added.length }));
}

/** Focuses the search field (Ctrl/Cmd+F). */
export function focusSearch(): void {
  const s = document.querySelector<HTMLInputElement>('[data-testid="search"]');
  s?.focus();
  s?.select();
}

export async function reloadList(actions: Omit<ListActions, "reorder" | "reload">): Promise<void> {
  await showList(actions);
}
