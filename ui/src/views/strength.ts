// The strength meter under a new password: zxcvbn's estimate from Rust,
// asked ~150 ms after the last keystroke, with its feedback translated.
import { api, type Strength } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { debouncedLatest, strengthAdvice } from "../logic";

export interface Meter {
  element: HTMLElement;
  /** Forgets the shown estimate (after the field was emptied in code). */
  clear: () => void;
}

/**
 * A meter for `input`. `floor` words the floor a file password is held to
 * (given the level's name); `onEstimate` hears every estimate shown, and
 * `null` when the field is empty.
 */
export function strengthMeter(
  input: HTMLInputElement,
  testid: string,
  opts: { floor?: (level: string) => string; onEstimate?: (s: Strength | null) => void } = {},
): Meter {
  const meter = h("meter", { min: 0, max: 4, low: 2, high: 3, optimum: 4, value: 0 });
  const label = h("span", { class: "muted", "data-testid": `${testid}-label` });
  const advice = h("ul", { class: "advice", "aria-live": "polite", "data-testid": `${testid}-advice` });
  const floor = h("span", { class: "hint", "data-testid": `${testid}-floor` });
  const element = h("div", { class: "strength-box", hidden: true }, h("span", { class: "strength" }, meter, label), advice, floor);

  const show = (s: Strength | null) => {
    element.hidden = s === null;
    if (s === null) {
      meter.value = 0;
      label.textContent = "";
      advice.replaceChildren();
      floor.textContent = "";
    } else {
      meter.value = s.score;
      label.textContent = t("strength.label", { level: t(`strength.${s.score}`) });
      advice.replaceChildren(...strengthAdvice(s).map((line) => h("li", {}, line)));
      const level = s.min_file_score >= 0 && s.min_file_score <= 4 ? t(`strength.${s.min_file_score as Strength["score"]}`) : String(s.min_file_score);
      floor.textContent = opts.floor ? opts.floor(level) : "";
    }
    opts.onEstimate?.(s);
  };
  const estimate = debouncedLatest(api.passwordStrength, show, 150);
  input.addEventListener("input", () => {
    if (input.value) {
      estimate.run(input.value);
    } else {
      estimate.cancel();
      show(null);
    }
  });
  return {
    element,
    clear: () => {
      estimate.cancel();
      show(null);
    },
  };
}
