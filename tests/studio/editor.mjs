// What the studio's browser scripts share: how Chromium starts, and what
// they do in the editor as a person would.
import assert from "node:assert/strict";

/// Debian's Chromium (or GDR_CHROMIUM), headless, as root, and quiet: no
/// connection of its own to anything but the studio on this machine.
export const launchOptions = {
  executablePath: process.env.GDR_CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
  ],
};

/// Where `word` is on screen, in the editor line that holds `lineText`
/// (the editor draws only the lines in view: the line must be one).
export async function pointAt(page, lineText, word) {
  const point = await page.locator(".cm-line", { hasText: lineText }).first().evaluate((line, word) => {
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf(word);
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const rect = range.getBoundingClientRect();
        return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
      }
    }
    return null;
  }, word);
  assert.ok(point, `${word} is on screen`);
  return point;
}
