// Placeholder replaced by the lab view (branch lab-view).
export function renderLab(root: HTMLElement, _report: unknown): void {
  root.textContent = "lab view";
}
