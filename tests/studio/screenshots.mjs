// The screenshots of docs/studio.md and the READMEs, taken as the
// end-to-end test drives the page: node screenshots.mjs URL OUTDIR, with
// `gdr serve` running at URL on a copy of examples/ (the last screenshot
// imports a page into it; docs/studio.md says how).
import { chromium } from "playwright-core";
import { launchOptions, pointAt } from "./editor.mjs";
import { readFileSync } from "node:fs";
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

// A published page dropped on the window: imported, with the importer's
// warning.
const page = await browser.newPage({ locale: "zh-CN", viewport: { width: 1440, height: 860 } });
await page.goto(url);
await page.locator("body[data-ready=true]").waitFor();
const published = readFileSync(new URL("../import/shuyang-fagaiju-2023.html", import.meta.url));
await page.evaluate((data) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "shuyang-fagaiju-2023.html"));
  for (const type of ["dragenter", "dragover", "drop"]) {
    document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }
}, published.toString("base64"));
await page.locator("#message.info").waitFor();
await page.frameLocator("#preview").locator("h1").waitFor();
await page.waitForTimeout(300);
await page.screenshot({ path: join(out, "studio-import.png") });
await browser.close();
