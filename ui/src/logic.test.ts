import { describe, expect, it } from "vitest";
import { countdown, displayName, groupCode, hueFor, initials, matches, moveBefore, passwordStrength, showNext, skipReason } from "./logic";
import { setLanguage } from "./i18n";

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
    expect(showNext(5)).toBe(true);
    expect(showNext(6)).toBe(false);
  });
});

describe("passwordStrength", () => {
  it("grades length and variety", () => {
    expect(passwordStrength("short")).toBe(0);
    expect(passwordStrength("aaaaaaaaaaaa")).toBe(1);
    expect(passwordStrength("correct horse battery staple")).toBeGreaterThanOrEqual(3);
    expect(passwordStrength("Tr0ub4dor&3xyzQ!")).toBe(4);
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
    expect(skipReason(s)).toMatch(/^de geheime sleutel is vergrendeld/);
    expect(skipReason(s)).toContain("(its secret is encrypted with the phone's keystore)");
    setLanguage("en");
    expect(skipReason({ ...s, kind: "unsupported", reason: "Yandex codes are not supported" }))
      .toBe("Authdesk cannot make this kind of code (Yandex codes are not supported)");
  });
});
