// The system's Chromium for the browser tests, driven by playwright-core
// (which never downloads a browser). /usr/bin/chromium, or PYGCSIM_CHROMIUM;
// when it is missing a suite skips with `chromiumMissing` as its title.
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

export const CHROMIUM = process.env.PYGCSIM_CHROMIUM || "/usr/bin/chromium";

/** Why the Chromium suites skip, or null when the binary is there. */
export const chromiumMissing: string | null = existsSync(CHROMIUM)
  ? null
  : `Chromium not found at ${CHROMIUM}: apt-get install chromium, or set PYGCSIM_CHROMIUM`;
// CI installs Chromium and sets PYGCSIM_REQUIRE_CHROMIUM: there a missing browser fails instead of skipping
if (chromiumMissing && process.env.PYGCSIM_REQUIRE_CHROMIUM) throw new Error(`${chromiumMissing} (PYGCSIM_REQUIRE_CHROMIUM is set)`);

/**
 * Headless Chromium. The background-networking flags keep it from reaching
 * out (updates, sync, QUIC probes): this machine and CI have a closed network.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
