// The screenshots of docs/studio.md and the READMEs, taken as the
// end-to-end test drives the page: node screenshots.mjs URL OUTDIR, with
// `gdr serve examples` running at URL (docs/studio.md says how).
import { chromium } from "playwright-core";
import { launchOptions, pointAt } from "./editor.mjs";
import { join } from "node:path";

const [url, out] = process.argv.slice(2);
const browser = await chromium.launch(launchOptions);

for (const [locale, name] of [["zh-CN", "studio-zh.png"], ["en-US", "studio-en.png"]]) {
  const page = await browser.newPage({ locale, viewport: { width: 1440, height: 860 } });
  await page.goto(url + "#pingyuan-2020.gdr");
  await page.locator("body[data-ready=true]").waitFor();
  await page.locator("#problem-list > li").first().waitFor();
  await page.locator("#problem-list > li").first().click();
  await page.frameLocator("#preview").locator("h1").waitFor();
  if (locale === "zh-CN") {
    const point = await pointAt(page, "check 脱贫信息 == 上墙公示", "上墙公示");
    await page.mouse.move(point.x, point.y);
    await page.locator(".cm-tooltip .hover").waitFor();
  } else {
    // A syntax error being typed: the last good preview stays, dimmed.
    await page.keyboard.press("End");
    await page.keyboard.type(" +");
    await page.locator("#preview-stale").waitFor({ state: "visible" });
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, name) });
  await page.close();
}
await browser.close();
