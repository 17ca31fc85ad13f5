// A minimal W3C WebDriver client for tauri-driver (WebKitWebDriver): the
// handful of endpoints the end-to-end suite needs, on Node's fetch.
import { writeFileSync } from "node:fs";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Session {
  /** Called after every screenshot with (session, path): every screen photographed is also audited. */
  static afterScreenshot = null;

  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, application, args = []) {
    const res = await fetch(`${base}/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ capabilities: { alwaysMatch: { "tauri:options": { application, args } } } }),
    });
    const body = await res.json();
    if (!body.value?.sessionId) throw new Error(`cannot start a session: ${JSON.stringify(body)}`);
    return new Session(base, body.value.sessionId);
  }

  async cmd(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (json.value && json.value.error) throw new Error(`${method} ${path}: ${json.value.error}: ${json.value.message}`);
    return json.value;
  }

  async find(css) {
    return (await this.cmd("POST", "/element", { using: "css selector", value: css }))[ELEMENT];
  }

  async click(css) {
    await this.watchCalls();
    // WebKitWebDriver scrolls the page, not a scrolling dialog: a button
    // near a long dialog's bottom edge stays clipped by it, and the click
    // lands on the dialog's padding, doing nothing and saying nothing
    // (the household steps' occasional "timed out"). Centre it first, as
    // a user scrolls to what they click.
    await this.exec("document.querySelector(arguments[0])?.scrollIntoView({ block: 'center', inline: 'nearest' });", css);
    try {
      try {
        await this.cmd("POST", `/element/${await this.find(css)}/click`, {});
      } catch (e) {
        // Re-rendered between finding and clicking (a status event redrew
        // the banner): the user clicks the button that is there now.
        if (!/stale element/.test(e.message)) throw e;
        await this.cmd("POST", `/element/${await this.find(css)}/click`, {});
      }
    } catch (e) {
      // What was in the way, for the log and a screenshot beside the others.
      const seen = await this.exec(`
        const e = document.querySelector(arguments[0]);
        if (!e) return "not in the page";
        const r = e.getBoundingClientRect();
        const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return JSON.stringify({ rect: [r.x, r.y, r.width, r.height], viewport: [innerWidth, innerHeight], hit: at?.outerHTML.slice(0, 160) });`, css).catch(() => "?");
      const dir = process.env.AUTHDESK_SCREENSHOTS;
      if (dir) await this.screenshot(`${dir}/debug-click.png`).catch(() => undefined);
      throw new Error(`${e.message} (${css}: ${seen})`);
    }
  }

  /**
   * Keeps a list of the app commands the page has called and not yet had
   * answered, so that a timed-out wait tells "the click never reached the
   * app" from "the app has not answered yet" (installed again after a reload).
   */
  watchCalls() {
    return this.exec(`
      const i = window.__TAURI_INTERNALS__;
      if (!i || window.__e2ePending) return;
      window.__e2ePending = new Map();
      let n = 0;
      const invoke = i.invoke;
      try {
        i.invoke = (cmd, ...rest) => {
          const k = ++n;
          window.__e2ePending.set(k, [cmd, Date.now()]);
          const done = () => window.__e2ePending.delete(k);
          const p = invoke.call(i, cmd, ...rest);
          p.then(done, done);
          return p;
        };
      } catch (e) { /* a read-only invoke: no tracking */ }`).catch(() => undefined);
  }

  async type(css, text, { clear = false } = {}) {
    const el = await this.find(css);
    if (clear) await this.cmd("POST", `/element/${el}/clear`, {});
    if (text !== "") await this.cmd("POST", `/element/${el}/value`, { text });
  }

  /** Presses keys together, as a user does (["\uE00A", "\uE015"] is Alt+Down), on whatever has the focus. */
  async press(keys) {
    const actions = [...keys.map((value) => ({ type: "keyDown", value })), ...[...keys].reverse().map((value) => ({ type: "keyUp", value }))];
    await this.cmd("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
    await this.cmd("DELETE", "/actions");
  }

  async text(css) {
    return this.cmd("GET", `/element/${await this.find(css)}/text`);
  }

  exec(script, ...args) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Calls one of the app's commands as the UI does (for set-up steps only). */
  invoke(cmd, args = {}) {
    return this.cmd("POST", "/execute/async", {
      script: "const [cmd, args, done] = arguments; window.__TAURI_INTERNALS__.invoke(cmd, args).then(done, (e) => done({ error: e }));",
      args: [cmd, args],
    });
  }

  async waitFor(what, check, timeout = 10000) {
    const start = Date.now();
    const until = start + timeout;
    let last;
    for (;;) {
      try {
        last = await check();
        if (last) {
          // How close a wait came to its limit: the margin a slower CI machine has.
          if (Date.now() - start > timeout / 2) console.error(`slow wait: ${what} took ${Date.now() - start} ms of ${timeout}`);
          return last;
        }
      } catch (e) {
        last = e;
      }
      if (Date.now() > until) {
        throw new Error(`timed out waiting for ${what} (last: ${last}); the page says: ${(await this.pageSays()) || "nothing"}`);
      }
      await sleep(100);
    }
  }

  /** What the page says (an error, a status line): what tells a failure on CI apart from a slow machine. */
  pageSays() {
    return this.exec(`
      const said = [...document.querySelectorAll("[role=alert], [aria-live], .toast")]
        .map((e) => e.textContent.trim()).filter((t) => t).join(" | ");
      const now = Date.now();
      const pending = [...(window.__e2ePending?.values() ?? [])].map(([c, t]) => c + " for " + (now - t) + " ms");
      return said + (pending.length ? " [unanswered: " + pending.join(", ") + "]" : " [no command unanswered]");`).catch(() => "?");
  }

  /** Waits until `css` matches a visible element. */
  visible(css, timeout) {
    return this.waitFor(css, () =>
      this.exec("const e = document.querySelector(arguments[0]); return !!e && !e.hidden && e.getClientRects().length > 0;", css), timeout);
  }

  async screenshot(path) {
    // Two animation frames: what the DOM says is also what is painted.
    await this.cmd("POST", "/execute/async", {
      script: "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));",
      args: [],
    });
    // Without GL compositing (the app's choice on a machine with no GPU,
    // as here) WebKit answers a screenshot with its next painted frame: on
    // a still page (the empty list) it waited until the idle lock repainted
    // it. A pixel-sized, all but invisible change a few times a second
    // while the screenshot is taken gives it that frame.
    await this.exec(`
      const dot = document.createElement("div");
      dot.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none";
      document.body.append(dot);
      let n = 0;
      const nudge = setInterval(() => {
        dot.style.background = n % 2 ? "transparent" : "rgba(0,0,0,0.004)";
        if (++n > 40) { clearInterval(nudge); dot.remove(); }
      }, 50);`);
    writeFileSync(path, Buffer.from(await this.cmd("GET", "/screenshot"), "base64"));
    await Session.afterScreenshot?.(this, path);
  }

  async quit() {
    await fetch(`${this.base}/session/${this.id}`, { method: "DELETE" }).catch(() => undefined);
  }
}
