// Builds the studio's page into dist/: one script, one style sheet and
// the HTML, minified, with nothing that depends on the time or the machine,
// so that CI can rebuild and compare with the committed files.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
await build({
  entryPoints: { app: "src/main.js" },
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  outdir: "dist",
  legalComments: "eof",
  charset: "utf8",
  logLevel: "warning",
});
await build({
  entryPoints: { app: "src/style.css" },
  bundle: true,
  minify: true,
  outdir: "dist",
  charset: "utf8",
  logLevel: "warning",
});
copyFileSync("src/index.html", "dist/index.html");
