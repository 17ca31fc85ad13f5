import { afterEach, describe, expect, it, vi } from "vitest";
import {
  countdown, debouncedLatest, displayName, errorText, groupCode, hintText, hueFor, initials, matches, moveBefore,
  needsWeakConfirmation, showNext, skipReason, strengthAdvice, weakPasswordAdvice,
} from "./logic";
import { setLanguage } from "./i18n";
import { acceleratorOf, shownAccelerator } from "./views/keys";

describe("groupCode", () => {
  it("splits codes for reading aloud", () => {
    expect(groupCode("123456")).toBe("123 456");
    expect(groupCode("12345678")).toBe("1234 5678");
    expect(groupCode("1234567")).toBe("1234 567");
    expect(groupCode("BCDFG")).toBe("BCDFG");
  });
});

describe("search", () => {
  const e = { issuer: "Warmtenet Meterportaal", account: "fam.de.vries@voorbeeld.nl" };
  it("matches issuer or account, ignoring case and accents", () => {
    expect(matches(e, "meter")).toBe(true);
    expect(matches(e, "VRIES")).toBe(true);
    expect(matches({ issuer: "Énergie", account: "" }, "energie")).toBe(true);
    expect(matches(e, "solar")).toBe(false);
    expect(matches(e, "  ")).toBe(true);
  });
});

describe("names and avatars", () => {
  it("shows issuer and account", () => {
    expect(displayName({ issuer: "A", account: "b" })).toBe("A (b)");
    expect(displayName({ issuer: "", account: "b" })).toBe("b");
  });
  it("takes two initials", () => {
    expect(initials({ issuer: "Warmtenet Meterportaal", account: "" })).toBe("WM");
    expect(initials({ issuer: "", account: "bob@x.nl" })).toBe("BX");
    expect(initials({ issuer: "Zonnepanelen", account: "" })).toBe("ZO");
  });
  it("keeps a stable hue", () => {
    expect(hueFor("Portal")).toBe(hueFor("portal"));
    expect(hueFor("Portal")).toBeGreaterThanOrEqual(0);
    expect(hueFor("Portal")).toBeLessThan(360);
  });
});

describe("countdown", () => {
  it("counts the seconds left of the period", () => {
    expect(countdown(1_000_000_000, 1_000_010, 30)).toEqual({ left: 10, fraction: 1 / 3 });
    expect(countdown(1_000_010_500, 1_000_010, 30)).toEqual({ left: 0, fraction: 0 });
    // Within a second nothing moves: one repaint a second.
    expect(countdown(1_000_000_100, 1_000_010, 30)).toEqual(countdown(1_000_000_900, 1_000_010, 30));
    expect(showNext(5, 5)).toBe(true);
    expect(showNext(6, 5)).toBe(false);
    // Rust's otp::LAST_SECONDS, sent with the codes, decides.
    expect(showNext(7, 8)).toBe(true);
  });
});

describe("password strength feedback", () => {
  afterEach(() => setLanguage("en"));
  // What Rust sends for "Password1!".
  const weak = {
    score: 1 as const,
    warning: { key: "similar_to_common", text: "This is similar to a commonly used password." },
    suggestions: [
      { key: "add_another_word", text: "Add another word or two. Uncommon words are better." },
      { key: "capitalization", text: "Capitalization doesn't help very much." },
    ],
    min_vault_score: 3,
  };

  it("translates zxcvbn's feedback by key, warning first", () => {
    expect(strengthAdvice(weak)).toEqual([
      "This is similar to a commonly used password.",
      "Add another word or two. Uncommon words are better.",
      "Capital letters don’t help very much.",
    ]);
    setLanguage("nl");
    expect(strengthAdvice(weak)[0]).toBe("Dit lijkt op een veelgebruikt wachtwoord.");
    expect(strengthAdvice({ warning: null, suggestions: [] })).toEqual([]);
  });

  it("falls back to zxcvbn's English for a key it does not know", () => {
    setLanguage("nl");
    expect(hintText("warning", { key: "from_a_newer_zxcvbn", text: "Something new." })).toBe("Something new.");
  });

  it("asks to confirm a weak vault password only below the floor", () => {
    expect(needsWeakConfirmation(weak)).toBe(true);
    expect(needsWeakConfirmation({ score: 3, min_vault_score: 3 })).toBe(false);
  });

  it("words the weak_password error with the translated advice", () => {
    const err = {
      kind: "weak_password",
      message: "this password is too easy to guess …",
      params: { score: "0", min: "3", warning: "", suggestions: "add_another_word,not_a_key" },
    };
    expect(weakPasswordAdvice(err.params)).toBe("Add another word or two. Uncommon words are better.");
    const en = errorText(err);
    expect(en).toMatch(/^This password is too easy to guess \(strength 0 of 4; backup and household passwords need 3\)/);
    expect(en).toContain("Add another word or two.");
    expect(en).not.toContain("{");
    setLanguage("nl");
    const nl = errorText({ ...err, params: { ...err.params, warning: "top10", suggestions: "" } });
    expect(nl).toContain("sterkte 0 van 4");
    expect(nl).toContain("Dit is een van de 10 meest gebruikte wachtwoorden.");
    expect(nl).not.toMatch(/ {2}/);
  });

  it("words a kind for its workflow where it reads differently there", () => {
    setLanguage("en");
    const err = { kind: "wrong_password", message: "wrong password for the Aegis export", params: { app: "Aegis" } };
    expect(errorText(err, "import")).toBe("Wrong password for this Aegis export. Try again.");
    expect(errorText(err)).toBe(errorText({ ...err, params: {} }));
    expect(errorText(err)).not.toContain("Aegis");
    // A kind without words of its own in the workflow reads as anywhere.
    const full = { kind: "disk_full", message: "disk full", params: { path: "/x" } };
    expect(errorText(full, "import")).toBe(errorText(full));
  });
});

describe("debouncedLatest", () => {
  afterEach(() => vi.useRealTimers());

  it("asks once, 150 ms after the last keystroke", async () => {
    vi.useFakeTimers();
    const asked: string[] = [];
    const shown: string[] = [];
    const d = debouncedLatest(async (s: string) => (asked.push(s), s.toUpperCase()), (r) => shown.push(r));
    d.run("a");
    d.run("ab");
    await vi.advanceTimersByTimeAsync(149);
    expect(asked).toEqual([]);
    d.run("abc");
    await vi.advanceTimersByTimeAsync(150);
    expect(asked).toEqual(["abc"]);
    expect(shown).toEqual(["ABC"]);
  });

  it("drops a slow reply for older input, and everything after cancel", async () => {
    vi.useFakeTimers();
    const shown: string[] = [];
    const delays: Record<string, number> = { old: 500, new: 10 };
    const d = debouncedLatest(
      (s: string) => new Promise<string>((resolve) => setTimeout(() => resolve(s), delays[s])),
      (r) => shown.push(r),
    );
    d.run("old");
    await vi.advanceTimersByTimeAsync(200); // "old" asked, its reply pending
    d.run("new");
    await vi.advanceTimersByTimeAsync(1000);
    expect(shown).toEqual(["new"]);
    d.run("new");
    d.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(shown).toEqual(["new"]);
  });
});

describe("moveBefore", () => {
  it("moves down and up", () => {
    expect(moveBefore(["a", "b", "c"], "a", "c")).toEqual(["b", "c", "a"]);
    expect(moveBefore(["a", "b", "c"], "c", "a")).toEqual(["c", "a", "b"]);
    expect(moveBefore(["a", "b"], "a", "a")).toEqual(["a", "b"]);
  });
});

describe("skipReason", () => {
  it("words the broad reason in the user's language and keeps the detail", () => {
    const s = { name: "Meter (jan)", kind: "locked" as const, reason: "its secret is encrypted with the phone's keystore" };
    setLanguage("nl");
    expect(skipReason(s)).toMatch(/^de geheime sleutel is beveiligd met iets wat alleen op de telefoon staat/);
    expect(skipReason(s)).toContain("(its secret is encrypted with the phone's keystore)");
    setLanguage("en");
    expect(skipReason({ ...s, kind: "unsupported", reason: "Yandex codes are not supported" }))
      .toBe("Authdesk cannot make this kind of code (Yandex codes are not supported)");
  });
});

describe("a secret key's misread digit", () => {
  afterEach(() => setLanguage("en"));
  it("suggests the letter it was mistaken for", () => {
    const err = (char: string) => ({ kind: "invalid_secret_char", message: "", params: { char, position: "11" } });
    expect(errorText(err("1"))).toBe(
      "Invalid character “1” at position 11 of the secret key: only letters A–Z and digits 2–7 are allowed. Keys have no “1”: is it “I / L”?");
    expect(errorText(err("0"))).toMatch(/is it “O”\?$/);
    expect(errorText(err("9"))).not.toMatch(/is it/);
    setLanguage("nl");
    expect(errorText(err("8"))).toMatch(/staat er “B”\?$/);
  });
});

describe("recording a shortcut", () => {
  const press = (code: string, key: string, mods: Partial<Record<"ctrlKey" | "metaKey" | "altKey" | "shiftKey", boolean>> = {}) =>
    acceleratorOf({ code, key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
  it("writes Tauri's accelerator for a chord", () => {
    expect(press("KeyA", "a", { ctrlKey: true, altKey: true })).toBe("CommandOrControl+Alt+A");
    expect(press("KeyA", "a", { metaKey: true, shiftKey: true })).toBe("CommandOrControl+Shift+A");
    expect(press("Digit7", "7", { altKey: true })).toBe("Alt+7");
    expect(press("F9", "F9")).toBe("F9");
    expect(press("Space", " ", { ctrlKey: true })).toBe("CommandOrControl+Space");
  });
  it("waits while only modifiers are held, and refuses a bare key", () => {
    expect(press("ControlLeft", "Control", { ctrlKey: true })).toBeNull();
    expect(press("KeyA", "a")).toBeNull();
    expect(press("KeyA", "A", { shiftKey: true })).toBeNull();
  });
  it("reads as the computer names the keys", () => {
    expect(shownAccelerator("CommandOrControl+Alt+A", false)).toBe("Ctrl+Alt+A");
    expect(shownAccelerator("CommandOrControl+Alt+A", true)).toBe("⌘+Alt+A");
  });
});
