// The served pages as a reader meets them: headless Chromium opens a rule
// page and the rule index, follows the link to the rule's guide section, and
// lands with that section's heading on screen. Chromium must be installed:
// without it this test fails and says how to get it.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allRules } from "../../src/checks/index.js";
import { startApp, type RunningApp } from "../web/app-server.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let app: RunningApp | undefined;
let browser: Browser | undefined;
let page: Page;
let problems: string[];
// Said by every test rather than once in beforeAll, where vitest would report the tests as skipped.
const missingChromium = existsSync(CHROMIUM)
  ? null
  : `No Chromium at ${CHROMIUM}: install it (Debian: apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH to a Chromium binary`;

beforeAll(async () => {
  if (missingChromium) return;
  app = await startApp();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

beforeEach(async () => {
  if (missingChromium) throw new Error(missingChromium);
  page = await browser!.newPage({ viewport: { width: 1000, height: 700 } });
  problems = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
});

afterEach(async () => {
  await page?.close();
});

function ruleNamed(name: string) {
  const rule = allRules.find((r) => r.meta.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
}

/** The heading the URL's fragment names: its id, level and text, and whether all of it is on screen. */
async function targetHeading(anchor: string) {
  const heading = page.locator(`[id="${anchor}"]`);
  await expect.poll(() => heading.count()).toBe(1);
  const box = await heading.boundingBox();
  const viewport = page.viewportSize()!;
  return {
    tag: await page.evaluate<string>(`document.getElementById(${JSON.stringify(anchor)}).tagName`),
    text: (await heading.innerText()).trim(),
    onScreen: box !== null && box.y >= 0 && box.y + box.height <= viewport.height,
    scrolled: (await page.evaluate<number>("window.scrollY")) > 0,
  };
}

describe("following a rule's link to its guide section", () => {
  it("from the blocking-sleep page lands on 'Pitfall 1: Blocking the Event Loop', on screen", async () => {
    const rule = ruleNamed("blocking-sleep");
    await page.goto(`${app!.origin}/loopguard/rules/blocking-sleep`);
    expect(await page.title()).toBe("LG101 blocking-sleep · loopguard");
    await page.locator("main").getByRole("link", { name: rule.meta.guide }).click();
    await page.waitForURL(`${app!.origin}/loopguard/guide#${rule.meta.guide}`);
    expect(new URL(page.url()).hash).toBe("#pitfall-1-blocking-the-event-loop");
    expect(await page.title()).toBe("Python Async/Await Patterns · loopguard");
    expect(await targetHeading(rule.meta.guide)).toEqual({
      tag: "H3",
      text: "Pitfall 1: Blocking the Event Loop",
      onScreen: true,
      scrolled: true,
    });
    expect(problems).toEqual([]);
  });

  it("from the rule index, for a rule whose section is further down, and back through the nav", async () => {
    const rule = ruleNamed("executor-per-call");
    await page.goto(`${app!.origin}/loopguard/rules`);
    expect(await page.title()).toBe("Rules · loopguard");
    const row = page.locator("tr", { has: page.getByRole("link", { name: rule.meta.name, exact: true }) });
    await row.getByRole("link", { name: "Pattern 4: Run Blocking Code with run_in_executor()" }).click();
    await page.waitForURL(`${app!.origin}/loopguard/guide#${rule.meta.guide}`);
    expect(await targetHeading(rule.meta.guide)).toEqual({
      tag: "H3",
      text: "Pattern 4: Run Blocking Code with run_in_executor()",
      onScreen: true,
      scrolled: true,
    });
    await page.getByRole("navigation").getByRole("link", { name: "All rules" }).click();
    await page.waitForURL(`${app!.origin}/loopguard/rules`);
    await page.getByRole("link", { name: rule.meta.name, exact: true }).click();
    await page.waitForURL(`${app!.origin}/loopguard/rules/${rule.meta.name}`);
    expect(await page.locator("h1").innerText()).toBe(`${rule.meta.code} ${rule.meta.name}`);
    expect(problems).toEqual([]);
  });

  it("from the guide, a rule link opens the rule's page", async () => {
    await page.goto(`${app!.origin}/loopguard/guide`);
    await page.locator("main").getByRole("link", { name: "LG101 blocking-sleep", exact: true }).click();
    await page.waitForURL(`${app!.origin}/loopguard/rules/blocking-sleep`);
    expect(await page.locator("h1").innerText()).toBe("LG101 blocking-sleep");
    expect(problems).toEqual([]);
  });
});
