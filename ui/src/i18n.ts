import { en, type MessageKey } from "./locales/en";
import { nl } from "./locales/nl";

export type Lang = "en" | "nl";

const tables: Record<Lang, Record<MessageKey, string>> = { en, nl };
let current: Lang = "en";

export function setLanguage(lang: Lang): void {
  current = lang;
  // Tests run without a page.
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

export function language(): Lang {
  return current;
}

/** Fills `{name}` placeholders; unknown placeholders stay visible. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return format(tables[current][key], params);
}

export function hasKey(key: string): key is MessageKey {
  return key in en;
}
