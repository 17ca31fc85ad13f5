// Steps both end-to-end suites (X11 and Wayland) take the same way.
import { sleep } from "./webdriver.mjs";

export const visibleCards = (s) =>
  s.exec("return [...document.querySelectorAll('[data-testid=entry]')].filter(e => !e.hidden).map(e => e.querySelector('[data-testid=issuer]').textContent);");

/** Waits until the first shown card has more than a period's last seconds
 * left: there a copy takes the next code, not the one on the card. */
export async function clearOfPeriodEnd(s, card = "[data-testid=entry]:not([hidden])") {
  await s.waitFor("a code with time left", async () =>
    Number(await s.exec(`return document.querySelector('${card} .seconds')?.textContent ?? '99';`)) > 7, 10000);
}

export async function setLook(s, language, theme) {
  const settings = await s.invoke("get_settings");
  await s.invoke("set_settings", { settings: { ...settings, language, theme } });
  await s.exec("location.reload();");
  await sleep(300);
}

/**
 * Types a new password into a field with a strength meter and waits for
 * the estimate: the meter (and its advice) appearing moves the buttons
 * below it, and a click sent meanwhile lands where a button was, on
 * nothing. This, not a slow machine, is what made the household steps
 * fail now and then ("two passwords", "backup file"): the click never
 * reached the app.
 */
export async function typeWithMeter(s, field, text, meter) {
  await s.type(`[data-testid=${field}]`, text);
  await s.waitFor(`${meter} estimate`, async () =>
    (await s.exec(`return document.querySelector('[data-testid=${meter}-label]')?.textContent ?? '';`)) !== "");
}

export async function typeNewPassword(s, password, confirm = password) {
  await typeWithMeter(s, "setup-password", password, "setup-strength");
  await s.type("[data-testid=setup-confirm]", confirm);
}

export async function closeDialogs(s) {
  await s.exec("for (const d of document.querySelectorAll('dialog')) d.close();");
}
