// Accessibility: axe-core run inside the real window (WebKitGTK, the
// engine users get), once for every screen the suite photographs, so each
// screen is checked in the themes, widths and languages it is shown in.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "ui", "package.json"));
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
// WCAG 2.2 A and AA; best practices are reported too, but only WCAG
// failures of "serious" or "critical" impact fail the suite.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const FAILING = new Set(["serious", "critical"]);

/** Per screen: { screen, counts: {minor, moderate, serious, critical}, failures: [...] }. */
export const results = [];

export async function audit(s, screen) {
  await s.exec(`if (!window.axe) { ${AXE} }`);
  const out = await s.cmd("POST", "/execute/async", {
    script: `const [tags, done] = arguments;
      window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
        .then((r) => done(r.violations.map((v) => ({
          id: v.id, impact: v.impact, tags: v.tags, help: v.help,
          nodes: v.nodes.map((n) => n.target.join(" ") + ": " + (n.failureSummary ?? "").replace(/\\s+/g, " ").slice(0, 300)),
        }))), (e) => done({ error: String(e) }));`,
    args: [TAGS],
  });
  if (out.error) throw new Error(`axe could not run on ${screen}: ${out.error}`);
  const counts = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  for (const v of out) counts[v.impact] = (counts[v.impact] ?? 0) + v.nodes.length;
  const failures = out.filter((v) => FAILING.has(v.impact) && v.tags.some((t) => t.startsWith("wcag")));
  results.push({ screen, counts, failures, all: out });
}

/** One line per screen, for the suite's output and the closing note. */
export function table() {
  const rows = results.map(({ screen, counts, all }) =>
    `${screen.padEnd(34)} critical ${counts.critical}  serious ${counts.serious}  moderate ${counts.moderate}  minor ${counts.minor}` +
    (all.length ? `  (${all.map((v) => `${v.id}: ${v.nodes.map((n) => n.split(":")[0]).join(", ")}`).join("; ")})` : ""));
  return rows.join("\n");
}

/** Every WCAG failure of serious or critical impact, with where it is. */
export function failures() {
  return results.flatMap(({ screen, failures }) =>
    failures.map((v) => `${screen}: ${v.impact} ${v.id} (${v.help})\n    ${v.nodes.join("\n    ")}`));
}
