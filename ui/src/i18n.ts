import {
  isArgumentElement,
  isDateElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTagElement,
  isTimeElement,
  type MessageFormatElement,
} from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import { de } from "./locales/de";
import { en, type MessageKey } from "./locales/en";
import { fr } from "./locales/fr";
import { nl } from "./locales/nl";

export type Lang = "en" | "nl" | "de" | "fr";
export type Params = Record<string, string | number>;

export const tables: Record<Lang, Record<MessageKey, string>> = { en, nl, de, fr };

/**
 * The locale Intl formats numbers, plurals and dates with. The English
 * texts are British (colour, minimised), so its dates are too: "3 Dec
 * 2026, 16:05" rather than "Dec 3, 2026, 4:05 PM".
 */
const intlLocale: Record<Lang, string> = { en: "en-GB", nl: "nl", de: "de", fr: "fr" };

let current: Lang = "en";

export function setLanguage(lang: Lang): void {
  current = lang;
  // Tests run without a page.
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

export function language(): Lang {
  return current;
}

interface Roles {
  /** Shown as given: `{name}`. */
  plain: Set<string>;
  /** Read by a plural, select, number, date or time. */
  formatted: Set<string>;
}

function roles(ast: MessageFormatElement[], into: Roles = { plain: new Set(), formatted: new Set() }): Roles {
  for (const el of ast) {
    if (isArgumentElement(el)) {
      into.plain.add(el.value);
    } else if (isNumberElement(el) || isDateElement(el) || isTimeElement(el)) {
      into.formatted.add(el.value);
    } else if (isPluralElement(el) || isSelectElement(el)) {
      into.formatted.add(el.value);
      for (const option of Object.values(el.options)) roles(option.value, into);
    } else if (isTagElement(el)) {
      roles(el.children, into);
    }
  }
  return into;
}

/** Every argument a message reads, also those inside plural and select branches. */
export function argumentNames(ast: MessageFormatElement[]): Set<string> {
  const { plain, formatted } = roles(ast);
  return new Set([...plain, ...formatted]);
}

interface Compiled {
  message: IntlMessageFormat;
  args: string[];
  /** Arguments shown as they are, with no plural or format of their own. */
  plain: string[];
}

function compile(template: string, lang: Lang): Compiled | null {
  try {
    // Tags are off: a "<" in a message is text, never markup.
    const message = new IntlMessageFormat(template, intlLocale[lang], undefined, { ignoreTag: true });
    const { plain, formatted } = roles(message.getAst());
    return {
      message,
      args: [...new Set([...plain, ...formatted])],
      plain: [...plain].filter((a) => !formatted.has(a)),
    };
  } catch {
    return null;
  }
}

/**
 * A value the caller left out shows as `{name}` instead of throwing:
 * error params come from the core, and a missing one should cost a word,
 * not the whole message. A message that cannot be formatted at all shows
 * as written (the consistency test keeps that from shipping).
 */
function run(compiled: Compiled | null, template: string, params: Params, lang: Lang): string {
  if (!compiled) return template;
  const values: Params = { ...params };
  for (const name of compiled.args) if (!(name in values)) values[name] = `{${name}}`;
  // intl-messageformat prints a plain {count} with String(): "12345"
  // where German wants "12.345". Plural arguments stay numbers, for the rules.
  for (const name of compiled.plain) {
    const value = values[name];
    if (typeof value === "number") values[name] = numberFormat(lang).format(value);
  }
  try {
    return String(compiled.message.format(values));
  } catch {
    return template;
  }
}

/** One value per key, made on first use: parsing and Intl objects are dear, and the list re-renders every second. */
function cached<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as V;
}

const numberFormats = new Map<Lang, Intl.NumberFormat>();

function numberFormat(lang: Lang): Intl.NumberFormat {
  return cached(numberFormats, lang, () => new Intl.NumberFormat(intlLocale[lang]));
}

/** Formats an ICU MessageFormat template (plurals, numbers) in `lang`. */
export function format(template: string, params: Params = {}, lang: Lang = current): string {
  return run(compile(template, lang), template, params, lang);
}

// Parsing a message costs far more than formatting it, and the list
// re-renders its countdowns every second.
const compiled = new Map<string, Compiled | null>();

/** A message in the given language; `t` is this in the current one. */
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = tables[lang][key];
  const c = cached(compiled, `${lang}\u0000${key}`, () => compile(template, lang));
  return run(c, template, params, lang);
}

export function t(key: MessageKey, params: Params = {}): string {
  return translate(current, key, params);
}

export function hasKey(key: string): key is MessageKey {
  return key in en;
}

const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();

/** A moment (milliseconds since the epoch) as date and time, the way the UI's language writes it. */
export function formatDateTime(ms: number, lang: Lang = current): string {
  const f = cached(dateTimeFormats, lang, () => new Intl.DateTimeFormat(intlLocale[lang], { dateStyle: "medium", timeStyle: "short" }));
  return f.format(new Date(ms));
}

const listFormats = new Map<Lang, Intl.ListFormat>();

/** "2, 3 and 5" / "2, 3 und 5": a list as a sentence of the UI's language. */
export function formatList(items: readonly string[], lang: Lang = current): string {
  return cached(listFormats, lang, () => new Intl.ListFormat(intlLocale[lang], { type: "conjunction" })).format(items);
}
