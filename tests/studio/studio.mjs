// The studio as a person uses it, in Debian's Chromium (playwright-core):
// open the seed report, see its errors, fix one number and see that error
// go and the preview change, see the preview follow the cursor, hover a
// name and go to its definition,
// complete a row, save and find
// the file changed on disk, meet a file changed on disk meanwhile (and
// what differs), get a
// draft back after a reload, keep typing while the server does not answer,
// start a new report, import a published page (UTF-8 and GBK) and a Word
// file dropped on the window and see a scanned PDF refused, download a
// report (as a PDF where this gdr can typeset one), switch to English;
// and the cases that must not work: a report's text running as script, a
// path out of the folder.
//
// node studio.mjs URL DIR   (run by tests/studio.rs, which starts
// `gdr serve DIR`). GDR_CHROMIUM names the browser (default
// /usr/bin/chromium).
import { chromium } from "playwright-core";
import { launchOptions, pointAt } from "./editor.mjs";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const [url, dir] = process.argv.slice(2);
const browser = await chromium.launch(launchOptions);
const context = await browser.newContext({
  locale: "zh-CN",
  viewport: { width: 1440, height: 900 },
  acceptDownloads: true,
});
const page = await context.newPage();
const problems = [];
page.on("pageerror", (error) => problems.push("page error: " + error.message));
page.on("dialog", (dialog) => {
  problems.push("a dialog opened: " + dialog.message());
  dialog.dismiss();
});
const mod = process.platform === "darwin" ? "Meta" : "Control";

let step = "start";
function log(name) {
  step = name;
  console.log("- " + name);
}

const problemItems = page.locator("#problem-list > li");
const preview = page.frameLocator("#preview");

async function openReport(name) {
  await page.locator("#file-list button", { hasText: name }).first().click();
  await page.locator("#file-name", { hasText: name }).waitFor();
}

/// The editor's lines on screen, after going to the end of the text (the
/// editor draws only the lines in view).
async function editorEnd() {
  await page.locator(".cm-content").press(`${mod}+End`);
  return page.locator(".cm-content").evaluate((node) =>
    Array.from(node.querySelectorAll(".cm-line"), (line) => line.textContent).join("\n"));
}

try {
  log("the page opens in Chinese");
  await page.goto(url);
  await page.locator("body[data-ready=true]").waitFor();
  assert.equal(await page.locator("header h1").textContent(), "gdr 报告工作室");
  const files = await page.locator("#file-list button").allTextContents();
  assert.ok(files.includes("pingyuan-2020.gdr"), `files: ${files}`);

  log("the seed report opens with its ten errors, underlined and listed as gdr check prints them");
  await openReport("pingyuan-2020.gdr");
  await page.locator("#problem-count", { hasText: "10 个错误" }).waitFor();
  assert.equal(await problemItems.count(), 10);
  const first = await problemItems.first().textContent();
  assert.match(first, /error\[E0401\]: 勾稽关系不成立/);
  assert.match(first, /pingyuan-2020\.gdr:147:11/);

  log("the preview shows the report");
  await preview.locator("h1", { hasText: "平原示范区2020年度政府信息公开工作年度报告" }).waitFor();
  const previewBefore = await preview.locator("body").textContent();

  log("the preview follows the cursor to the section and the table being edited");
  const previewPlace = (selector, text) => page.waitForFunction(([selector, text]) => {
    const doc = document.querySelector("#preview").contentDocument;
    const node = Array.from(doc.querySelectorAll(selector)).find((node) => node.textContent.trim().startsWith(text));
    const top = node && node.getBoundingClientRect().top;
    return doc.defaultView.scrollY > 0 && top >= 0 && top < 40;
  }, [selector, text]);
  const goToLine = async (line) => {
    await page.locator(".cm-content").press(`${mod}+Alt+g`);
    await page.keyboard.type(String(line));
    await page.keyboard.press("Enter");
  };
  await goToLine(336); // in section "四、政府信息公开行政复议、行政诉讼情况"
  await previewPlace("h2", "四、政府信息公开行政复议");
  await goToLine(252); // in table 第九项 "第二十条第（九）项"
  await previewPlace("th", "第二十条第（九）项");
  await page.locator(".cm-content").press(`${mod}+Home`);
  await page.waitForFunction(() => document.querySelector("#preview").contentWindow.scrollY === 0);

  log("clicking a problem goes to its place");
  await problemItems.first().click();
  const selected = await page.evaluate(() => window.getSelection().toString());
  assert.equal(selected, "脱贫信息");
  assert.ok(await page.locator(".cm-lintRange-error").count() > 0, "underlined errors");

  log("hovering a name shows its value");
  const box = await pointAt(page, "check 脱贫信息 == 上墙公示", "上墙公示");
  await page.mouse.move(box.x, box.y);
  const tooltip = page.locator(".cm-tooltip .hover");
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /1599/);
  await page.mouse.move(5, 5);

  log("Ctrl+click on a name goes to its definition");
  await page.keyboard.down(mod);
  await page.mouse.click(box.x, box.y);
  await page.keyboard.up(mod);
  await page.waitForFunction(() => window.getSelection().toString() === "上墙公示");
  assert.match(await page.locator(".cm-activeLine").textContent(), /let 上墙公示 = 1599 条/);

  log("fixing one number: its error goes and the preview changes");
  const number = await pointAt(page, "let 脱贫信息 = 1624", "1624");
  await page.mouse.dblclick(number.x, number.y);
  await page.keyboard.type("1623");
  await page.locator("#problem-count", { hasText: "9 个错误" }).waitFor();
  assert.equal(await problemItems.count(), 9);
  assert.equal(await problemItems.filter({ hasText: "pingyuan-2020.gdr:147:" }).count(), 0);
  assert.equal(await page.locator("#save-state").textContent(), "尚未保存");
  await preview.locator("body", { hasText: "1623" }).waitFor();
  assert.notEqual(await preview.locator("body").textContent(), previewBefore);

  log("completion offers a table's rows after its name and a dot");
  await page.locator(".cm-content").press(`${mod}+End`);
  await page.keyboard.type("\nlet 测试 = 申请.");
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "上年结转" });
  await option.waitFor();
  await option.click();
  assert.match(await editorEnd(), /let 测试 = 申请\.上年结转/);
  for (let i = 0; i < "\nlet 测试 = 申请.上年结转".length; i++) await page.keyboard.press("Backspace");
  assert.doesNotMatch(await editorEnd(), /测试/);

  log("saving writes the file");
  await page.keyboard.press(`${mod}+s`);
  await page.locator("#save-state", { hasText: "已保存" }).waitFor();
  const saved = readFileSync(join(dir, "pingyuan-2020.gdr"), "utf8");
  assert.match(saved, /let 脱贫信息 = 1623 条/);
  assert.doesNotMatch(saved, /let 脱贫信息 = 1624 条/);

  log("a syntax error keeps the last good preview, dimmed");
  await page.locator(".cm-content").press(`${mod}+End`);
  await page.keyboard.type("\nsection \"未完 {");
  await page.locator("#preview-stale").waitFor({ state: "visible" });
  assert.ok(await page.locator("#preview-pane.stale").count() === 1);
  await preview.locator("h1", { hasText: "平原示范区" }).waitFor();

  log("a file changed on disk is not overwritten silently");
  writeFileSync(join(dir, "pingyuan-2020.gdr"), saved + "// changed on disk\n");
  await page.keyboard.press(`${mod}+s`);
  await page.locator("#conflict").waitFor({ state: "visible" });
  // What differs, line by line: the line on disk, and the person's own.
  assert.match(await page.locator("#conflict-text .add").allTextContents().then((lines) => lines.join("\n")),
    /^\+ \/\/ changed on disk$/m);
  assert.match(await page.locator("#conflict-text .del").allTextContents().then((lines) => lines.join("\n")),
    /^− section "未完 \{$/m);
  assert.ok(await page.locator("#conflict-text .fold").count() > 0, "unchanged lines folded");
  assert.match(await editorEnd(), /section "未完 \{/);
  assert.match(readFileSync(join(dir, "pingyuan-2020.gdr"), "utf8"), /changed on disk/);
  await page.locator("#conflict-mine").click();
  await page.locator("#conflict").waitFor({ state: "hidden" });
  assert.match(readFileSync(join(dir, "pingyuan-2020.gdr"), "utf8"), /section "未完 \{/);

  log("text not saved comes back after a reload");
  await page.locator(".cm-content").press(`${mod}+End`);
  await page.keyboard.type("\n// 草稿");
  await page.waitForTimeout(500);
  await page.reload();
  await page.locator("body[data-ready=true]").waitFor();
  await page.locator("#draft").waitFor({ state: "visible" });
  assert.doesNotMatch(await editorEnd(), /草稿/);
  await page.locator("#draft-restore").click();
  assert.match(await editorEnd(), /\/\/ 草稿/);
  assert.equal(await page.locator("#save-state").textContent(), "尚未保存");

  log("while the server does not answer, the page says so and keeps the text");
  await page.route("**/api/**", (route) => route.abort("connectionrefused"));
  await page.locator(".cm-content").press(`${mod}+End`);
  await page.keyboard.type("\n// 服务器停止时输入");
  await page.locator("#offline").waitFor({ state: "visible" });
  await page.waitForTimeout(400);
  const kept = await page.evaluate(() => localStorage.getItem("gdr-draft:pingyuan-2020.gdr"));
  assert.match(kept, /服务器停止时输入/);
  await page.unroute("**/api/**");
  await page.locator("#offline").waitFor({ state: "hidden", timeout: 10000 });

  log("a report's text never runs as script");
  await openReport("hostile.gdr");
  await preview.locator("h2").first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
  const hostileText = await preview.locator("body").textContent();
  assert.match(hostileText, /<script>parent\.document\.body\.dataset\.pwned = 'paragraph'<\/script>/);
  assert.equal(await preview.locator("script").count(), 0);
  assert.equal(await preview.locator("img").count(), 0);
  // A file whose name is markup is listed as text.
  assert.equal(await page.locator("#file-list img").count(), 0);
  assert.ok(
    (await page.locator("#file-list button").allTextContents()).some((name) => name.startsWith("<img")),
  );

  log("paths out of the folder are refused");
  for (const path of ["../outside.gdr", "..%2Foutside.gdr", "/etc/passwd", "link-out.gdr", "%2e%2e/outside.gdr"]) {
    const status = await page.evaluate(async (path) => (await fetch("/api/file?path=" + path)).status, path);
    assert.ok(status >= 400, `${path}: ${status}`);
  }
  await page.goto("about:blank");
  await page.goto(url + "#../outside.gdr");
  await page.locator("body[data-ready=true]").waitFor();
  await page.locator("#message").waitFor({ state: "visible" });

  log("a new report from the form");
  await page.locator("#new").click();
  await page.locator("#new-path").fill("新报告");
  await page.locator("#new-form").selectOption("gov_disclosure_2021");
  await page.locator("#new-year").fill("2025");
  await page.locator("#new-dialog button[type=submit]").click();
  await page.locator("#file-name", { hasText: "新报告.gdr" }).waitFor();
  assert.ok(existsSync(join(dir, "新报告.gdr")));
  assert.match(await page.locator(".cm-content").textContent(), /year\s+2025/);

  log("a published page or a Word file dropped on the window becomes a report");
  const drop = (name, bytes) => page.evaluate(([name, data]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name));
    for (const type of ["dragenter", "dragover", "drop"]) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, [name, Buffer.from(bytes).toString("base64")]);
  const fixture = (name) => readFileSync(new URL("../import/" + name, import.meta.url));
  // A scanned PDF is refused, with its code, and nothing is written.
  await drop("扫描件.pdf", fixture("e0601_scanned.pdf"));
  await page.locator("#message", { hasText: "无法导入 `扫描件.pdf`" }).waitFor();
  assert.match(await page.locator("#message").textContent(), /错误\[E0601\]: 扫描件\.pdf: `扫描件\.pdf` 是 PDF/);
  assert.ok(!existsSync(join(dir, "扫描件.gdr")));
  // A file too large for the studio is refused before it is sent.
  await drop("大文件.html", Buffer.alloc(13 << 20));
  await page.locator("#message", { hasText: "`大文件.html` 大于 12.5 MB" }).waitFor();
  assert.ok(!existsSync(join(dir, "大文件.gdr")));
  // The portal's page, saved as HTML: imported with the importer's warning.
  await drop("shuyang-fagaiju-2023.html", fixture("shuyang-fagaiju-2023.html"));
  await page.locator("#file-name", { hasText: "shuyang-fagaiju-2023.gdr" }).waitFor();
  await page.locator("#message.info", { hasText: "gov_disclosure_2021" }).waitFor();
  assert.match(await page.locator("#message").textContent(),
    /警告\[W0603\]: shuyang-fagaiju-2023\.html:281:7: 页面印的是/);
  // It checks clean.
  await page.locator("#no-problems").waitFor({ state: "visible" });
  await preview.locator("h1", { hasText: "沭阳县发展和改革局" }).waitFor();
  // Its GBK copy (as many portals serve it) gives the same report.
  await drop("shuyang-gbk.html", fixture("shuyang-fagaiju-2023.gbk.html"));
  await page.locator("#file-name", { hasText: "shuyang-gbk.gdr" }).waitFor();
  assert.equal(readFileSync(join(dir, "shuyang-gbk.gdr"), "utf8"),
    readFileSync(join(dir, "shuyang-fagaiju-2023.gdr"), "utf8"));
  // A Word file.
  await drop("去年的报告.docx", fixture("pingyuan-2020.docx"));
  await page.locator("#file-name", { hasText: "去年的报告.gdr" }).waitFor();
  await page.locator("#message", { hasText: "gov_disclosure_2019" }).waitFor();
  assert.match(readFileSync(join(dir, "去年的报告.gdr"), "utf8"), /use gov_disclosure_2019/);
  await page.locator("#problem-count", { hasText: "去年的报告.gdr" }).waitFor();
  // Never over a report of the folder.
  await drop("去年的报告.docx", fixture("pingyuan-2020.docx"));
  await page.locator("#message:not(.info)", { hasText: "已经存在" }).waitFor();

  log("downloading a report that checks");
  await openReport("pingyuan-2020-derived.gdr");
  await page.locator("#problem-count", { hasText: "pingyuan-2020-derived.gdr: 1 个警告" }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-format=html]").click(),
  ]);
  assert.equal(download.suggestedFilename(), "pingyuan-2020-derived.html");
  const html = readFileSync(await download.path(), "utf8");
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /平原示范区2020年度/);
  const [markdown] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-format=md]").click(),
  ]);
  assert.match(readFileSync(await markdown.path(), "utf8"), /^# 平原示范区2020年度/);

  log("a PDF, where this gdr can typeset one; else the page says what it needs");
  const pdf = await page.evaluate(async () => (await (await fetch("/api/files")).json()).pdf);
  if (pdf) {
    const [typeset] = await Promise.all([
      page.waitForEvent("download", { timeout: 60000 }),
      page.locator("[data-format=pdf]").click(),
    ]);
    assert.equal(typeset.suggestedFilename(), "pingyuan-2020-derived.pdf");
    assert.equal(readFileSync(await typeset.path()).subarray(0, 5).toString(), "%PDF-");
  } else {
    assert.ok(await page.locator("[data-format=pdf].unavailable").count() === 1);
    await page.locator("[data-format=pdf]").click();
    await page.locator("#message.info", { hasText: "下载 PDF 需要带 PDF 支持构建的 gdr" }).waitFor();
  }

  log("the page in English");
  await page.locator("#lang").click();
  await page.locator("header h1", { hasText: "gdr studio" }).waitFor();
  await openReport("pingyuan-2020-forms.gdr");
  // Its own problems, in English (not the last report's, still listed
  // until its check answers).
  await page.locator("#problem-count", { hasText: /^pingyuan-2020-forms\.gdr: \d+ (error|warning)/ }).waitFor();
  assert.match(await problemItems.first().textContent(), /^(error|warning)\[[EW]\d{4}\]: [A-Za-z`]/);

  assert.deepEqual(problems, []);
  console.log("studio: all steps passed");
} catch (error) {
  console.error(`failed at: ${step}`);
  console.error(error);
  if (problems.length) console.error(problems.join("\n"));
  await page.screenshot({ path: join(dir, "failure.png") }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
