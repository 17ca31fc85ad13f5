// Zoom steps for Ctrl +, Ctrl − and Ctrl 0; Rust applies the zoom to the
// web view and keeps it in the settings (settings.rs, `zoom_percent`).

export const ZOOM_STEPS = [80, 90, 100, 110, 125, 150, 175, 200];

/** The next step up (`dir` 1) or down (-1) from `percent`, or 100 (0). */
export function zoomStep(percent: number, dir: -1 | 0 | 1): number {
  if (dir === 0) return 100;
  const up = ZOOM_STEPS.find((s) => s > percent);
  const down = [...ZOOM_STEPS].reverse().find((s) => s < percent);
  return (dir > 0 ? up : down) ?? (dir > 0 ? ZOOM_STEPS[ZOOM_STEPS.length - 1]! : ZOOM_STEPS[0]!);
}
