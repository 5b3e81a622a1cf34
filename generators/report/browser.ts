/**
 * Finds and starts the system Chromium (Debian's \`chromium\` package) through
 * playwright-core, for the report tests and for \`npm run report -- --screenshot\`.
 * playwright-core is a dev dependency: only those two paths load this module, and it is
 * required from node_modules when a browser starts, so the bundled CLIs (cli/bundled.mjs) do
 * not carry its 7.6 MB.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";

type Playwright = typeof import("playwright-core");

const INSTALL =
  "Install it with `apt-get update && apt-get install -y chromium` (Debian; .ci/run does this when it is missing), or set CHROMIUM to the path of a Chromium binary.";

/** The Chromium binary: $CHROMIUM, else `chromium` on PATH. Throws, saying how to install it, when there is none. */
export function chromiumPath(): string {
  const given = process.env.CHROMIUM;
  if (given !== undefined && given !== "") {
    if (!existsSync(given)) throw new Error(`CHROMIUM=${given} does not exist. ${INSTALL}`);
    return given;
  }
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`The report tests open the report in a real headless Chromium, and \`chromium\` is not on PATH. ${INSTALL}`);
  }
}

export function launch(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
  const { chromium } = createRequire(import.meta.url)("playwright-core") as Playwright;
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

/** A PNG of the top of a report page at a given width (the README's screenshot). */
export async function screenshot(htmlFile: string, pngFile: string, width = 1280, height = 1500): Promise<void> {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(pathToFileURL(htmlFile).href);
    await page.screenshot({ path: pngFile });
  } finally {
    await browser.close();
  }
}
