// The studio's page: a file list, the editor (CodeMirror 6), the problems
// as `gdr check` prints them, and the preview. Every check, hover, save
// and download is a request to `gdr serve`; the text being edited is also
// kept in this browser (localStorage) until it is saved, so that nothing
// typed is lost when the page reloads or the server stops.
import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, hoverTooltip,
} from "@codemirror/view";
import { defaultKeymap, history as undoHistory, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { gdrLanguage } from "./gdr-language.js";

const $ = (id) => document.getElementById(id);
const CHECK_DELAY = 120;

const studio = {
  lang: "zh",
  words: {},
  path: null,
  version: null,
  saved: "",
  checkSeq: 0,
  checkTimer: null,
  draftTimer: null,
  online: true,
  pdf: false,
  // The place of the cursor the preview last scrolled to.
  followed: null,
  followTimer: null,
  uploadLimit: 12 << 20,
};

function chooseLang() {
  const stored = localStorage.getItem("gdr-lang");
  if (stored === "zh" || stored === "en") return stored;
  // Chinese unless the browser asks for English first.
  const first = (navigator.languages && navigator.languages[0]) || navigator.language || "zh";
  return first.toLowerCase().startsWith("en") ? "en" : "zh";
}

// A request to the server, as JSON. `null` when the server cannot be
// reached (the page says so and goes on).
async function api(method, path, body) {
  const url = path + (path.includes("?") ? "&" : "?") + "lang=" + studio.lang;
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    setOnline(false);
    return null;
  }
  setOnline(true);
  return response;
}

function setOnline(online) {
  if (studio.online === online) return;
  studio.online = online;
  $("offline").hidden = online;
}

// The JSON of an answer; a refusal in plain text (a wrong host, a body too
// large) becomes `{ error }`.
async function readJson(response) {
  const body = await response.text();
  try {
    return JSON.parse(body);
  } catch {
    return { error: body || response.statusText };
  }
}

// A path of the folder in a query: each component encoded, `/` kept.
function pathQuery(path) {
  return path.split("/").map(encodeURIComponent).join("/");
}

function t(key) {
  return studio.words[key] || key;
}

async function loadWords() {
  const response = await api("GET", "/api/strings");
  if (response && response.ok) studio.words = await readJson(response);
  document.documentElement.lang = studio.lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const element of document.querySelectorAll("[data-word]")) {
    element.textContent = t(element.dataset.word);
  }
  $("lang").textContent = studio.lang === "zh" ? "English" : "中文";
  $("pdf").title = studio.pdf ? "" : t("no_pdf");
  updateSaveState();
}

// ---- the editor ----

function offsetOf(doc, position) {
  if (position.line >= doc.lines) return doc.length;
  const line = doc.line(position.line + 1);
  return Math.min(line.from + position.character, line.to);
}

const hover = hoverTooltip(async (view, pos) => {
  if (!studio.path) return null;
  const line = view.state.doc.lineAt(pos);
  const response = await api("POST", "/api/hover", {
    path: studio.path,
    text: view.state.doc.toString(),
    line: line.number - 1,
    character: pos - line.from,
  });
  if (!response || !response.ok) return null;
  const answer = await readJson(response);
  if (!answer) return null;
  const doc = view.state.doc;
  return {
    pos: offsetOf(doc, answer.range.from),
    end: offsetOf(doc, answer.range.to),
    above: true,
    create: () => ({ dom: markdownNode(answer.text, "hover") }),
  };
}, { hoverTime: 250 });

// Completion by context, as the language server offers it: rows after
// `表.`, columns in `[`, names and formats in `{…}`, lets and tables.
async function complete(context) {
  if (!studio.path) return null;
  const word = context.matchBefore(/[\p{L}\p{N}_]*/u);
  const before = context.state.sliceDoc(Math.max(0, word.from - 1), word.from);
  if (!context.explicit && word.from === word.to && !".[{:".includes(before || " ")) return null;
  const line = context.state.doc.lineAt(context.pos);
  const response = await api("POST", "/api/complete", {
    path: studio.path,
    text: context.state.doc.toString(),
    line: line.number - 1,
    character: context.pos - line.from,
  });
  if (!response || !response.ok || context.aborted) return null;
  const items = await readJson(response);
  if (!items.length) return null;
  return { from: word.from, options: items, validFor: /^[\p{L}\p{N}_]*$/u };
}

// Go to where the name at `pos` is defined (F12, or Ctrl+click): in this
// report, or in another report of the folder that it uses.
async function goToDefinition(pos) {
  if (!studio.path) return;
  const line = view.state.doc.lineAt(pos);
  const response = await api("POST", "/api/definition", {
    path: studio.path,
    text: text(),
    line: line.number - 1,
    character: pos - line.from,
  });
  if (!response || !response.ok) return;
  const answer = await readJson(response);
  if (!answer) return;
  if (answer.path !== studio.path) await openFile(answer.path);
  select(answer.range);
}

// Selects a range of the editor's text and shows it.
function select(range) {
  const doc = view.state.doc;
  const from = offsetOf(doc, range.from);
  const to = offsetOf(doc, range.to);
  view.dispatch({
    selection: { anchor: from, head: to },
    effects: EditorView.scrollIntoView(from, { y: "center" }),
  });
  view.focus();
}

// The little Markdown of a hover (paragraphs, `code`, **bold**) as DOM
// nodes, never as markup.
function markdownNode(text, className) {
  const root = document.createElement("div");
  root.className = className;
  for (const paragraph of text.split(/\n\n+/)) {
    const p = document.createElement("p");
    for (const piece of paragraph.split(/(`[^`]*`|\*\*[^*]*\*\*)/)) {
      if (piece.startsWith("`") && piece.endsWith("`") && piece.length > 1) {
        const code = document.createElement("code");
        code.textContent = piece.slice(1, -1);
        p.append(code);
      } else if (piece.startsWith("**") && piece.endsWith("**") && piece.length > 3) {
        const bold = document.createElement("b");
        bold.textContent = piece.slice(2, -2);
        p.append(bold);
      } else {
        p.append(piece);
      }
    }
    root.append(p);
  }
  return root;
}

const view = new EditorView({
  parent: $("editor"),
  state: EditorState.create({ doc: "", extensions: extensions() }),
});

function extensions() {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    undoHistory(),
    drawSelection(),
    highlightActiveLine(),
    bracketMatching(),
    highlightSelectionMatches(),
    gdrLanguage,
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    lintGutter(),
    hover,
    autocompletion({ override: [complete] }),
    EditorView.lineWrapping,
    keymap.of([
      { key: "Mod-s", run: () => { save(); return true; }, preventDefault: true },
      { key: "F12", run: (target) => { goToDefinition(target.state.selection.main.head); return true; } },
      indentWithTab,
      ...defaultKeymap,
      ...historyKeymap,
      ...searchKeymap,
      ...completionKeymap,
    ]),
    EditorView.domEventHandlers({
      mousedown(event, target) {
        if (!(event.ctrlKey || event.metaKey)) return false;
        const pos = target.posAtCoords({ x: event.clientX, y: event.clientY });
        if (pos === null) return false;
        event.preventDefault();
        goToDefinition(pos);
        return true;
      },
    }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) edited();
      if (update.selectionSet || update.docChanged) {
        clearTimeout(studio.followTimer);
        studio.followTimer = setTimeout(followCursor, 150);
      }
    }),
  ];
}

function text() {
  return view.state.doc.toString();
}

function setText(value) {
  view.setState(EditorState.create({ doc: value, extensions: extensions() }));
}

// ---- drafts: unsaved text survives a reload ----

function draftKey(path) {
  return "gdr-draft:" + path;
}

function keepDraft() {
  if (!studio.path) return;
  const value = text();
  try {
    if (value === studio.saved) localStorage.removeItem(draftKey(studio.path));
    else localStorage.setItem(draftKey(studio.path), JSON.stringify({ text: value, version: studio.version }));
  } catch {
    // A full storage: the text is still in the editor.
  }
}

function edited() {
  updateSaveState();
  clearTimeout(studio.draftTimer);
  studio.draftTimer = setTimeout(keepDraft, 150);
  clearTimeout(studio.checkTimer);
  studio.checkTimer = setTimeout(check, CHECK_DELAY);
}

function updateSaveState() {
  for (const button of document.querySelectorAll("#save, [data-format]")) {
    button.disabled = !studio.path;
  }
  const state = $("save-state");
  if (!studio.path) {
    state.textContent = "";
    return;
  }
  const dirty = text() !== studio.saved;
  state.textContent = dirty ? t("unsaved") : t("saved");
  state.className = dirty ? "dirty" : "clean";
}

// ---- files ----

async function loadFiles() {
  const response = await api("GET", "/api/files");
  if (!response || !response.ok) return;
  const listing = await readJson(response);
  studio.pdf = listing.pdf;
  studio.uploadLimit = listing.upload_limit;
  $("pdf").classList.toggle("unavailable", !listing.pdf);
  $("pdf").title = listing.pdf ? "" : t("no_pdf");
  const list = $("file-list");
  list.replaceChildren();
  for (const path of listing.files) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.textContent = path;
    button.dataset.path = path;
    button.className = path === studio.path ? "current" : "";
    button.addEventListener("click", () => openFile(path));
    item.append(button);
    list.append(item);
  }
  $("no-files").hidden = listing.files.length > 0;
  const forms = $("new-form");
  if (!forms.options.length) {
    for (const form of listing.forms) forms.append(new Option(form, form));
    forms.value = listing.form;
    $("new-year").value = listing.year;
  }
}

async function openFile(path) {
  const response = await api("GET", "/api/file?path=" + pathQuery(path));
  if (!response) return;
  const answer = await readJson(response);
  if (!response.ok) {
    showMessage(answer.error || response.statusText);
    return;
  }
  studio.path = answer.path;
  studio.version = answer.version;
  studio.saved = answer.text;
  window.history.replaceState(null, "", "#" + pathQuery(answer.path));
  $("file-name").textContent = answer.path;
  $("workspace").hidden = false;
  $("welcome").hidden = true;
  hideBanners();
  for (const button of document.querySelectorAll("#file-list button")) {
    button.className = button.dataset.path === answer.path ? "current" : "";
  }
  setText(answer.text);
  lastPreview = null;
  studio.followed = null;
  const draft = readDraft(answer.path);
  if (draft && draft.text !== answer.text) offerDraft(draft);
  updateSaveState();
  check();
}

function readDraft(path) {
  try {
    return JSON.parse(localStorage.getItem(draftKey(path)) || "null");
  } catch {
    return null;
  }
}

function offerDraft(draft) {
  const banner = $("draft");
  banner.hidden = false;
  $("draft-restore").onclick = () => {
    banner.hidden = true;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: draft.text } });
  };
  $("draft-discard").onclick = () => {
    banner.hidden = true;
    localStorage.removeItem(draftKey(studio.path));
  };
}

function hideBanners() {
  $("draft").hidden = true;
  $("conflict").hidden = true;
  $("message").hidden = true;
}

// A message above the editor: an error, or `info` (an import's warnings,
// what PDF needs).
function showMessage(message, info) {
  $("message").classList.toggle("info", Boolean(info));
  $("message").textContent = message;
  $("message").hidden = false;
}

// ---- saving ----

async function save(force) {
  if (!studio.path) return;
  const value = text();
  const response = await api("PUT", "/api/file?path=" + pathQuery(studio.path), {
    text: value,
    version: force || studio.version,
  });
  if (!response) return;
  const answer = await readJson(response);
  if (response.status === 409) {
    showConflict(answer);
    return;
  }
  if (!response.ok) {
    showMessage(t("saving_failed") + ": " + (answer.error || response.statusText));
    return;
  }
  studio.version = answer.version;
  studio.saved = value;
  $("conflict").hidden = true;
  $("message").hidden = true;
  keepDraft();
  updateSaveState();
}

// The file changed on disk: both texts stay, the person chooses; what
// differs is shown line by line.
function showConflict(answer) {
  $("conflict").hidden = false;
  $("conflict-text").replaceChildren(...diffNodes(text(), answer.text));
  $("conflict-mine").onclick = () => save(answer.version);
  $("conflict-disk").onclick = () => {
    $("conflict").hidden = true;
    studio.version = answer.version;
    studio.saved = answer.text;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: answer.text } });
  };
}

// The lines of `mine` and `disk` as a diff: `-` only in the editor, `+`
// only on disk (yours first where both changed), a few lines of context
// around each change.
function diffLines(mine, disk) {
  const a = mine.split("\n");
  const b = disk.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  let middle;
  if (middleA.length * middleB.length > 4_000_000) {
    // Too large to align: all of one, then all of the other.
    middle = [...middleA.map((line) => ["-", line]), ...middleB.map((line) => ["+", line])];
  } else {
    // The longest common subsequence, by lengths from the end.
    const width = middleB.length + 1;
    const lengths = new Uint32Array((middleA.length + 1) * width);
    for (let i = middleA.length - 1; i >= 0; i--) {
      for (let j = middleB.length - 1; j >= 0; j--) {
        lengths[i * width + j] = middleA[i] === middleB[j]
          ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
      }
    }
    middle = [];
    let i = 0;
    let j = 0;
    while (i < middleA.length || j < middleB.length) {
      if (i < middleA.length && j < middleB.length && middleA[i] === middleB[j]) {
        middle.push([" ", middleA[i]]);
        i++;
        j++;
      } else if (i < middleA.length && (j === middleB.length
        || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1])) {
        middle.push(["-", middleA[i]]);
        i++;
      } else {
        middle.push(["+", middleB[j]]);
        j++;
      }
    }
  }
  const lines = [
    ...a.slice(0, start).map((line) => [" ", line]),
    ...middle,
    ...a.slice(endA).map((line) => [" ", line]),
  ];
  // Unchanged lines far from a change fold into one `⋯`.
  const CONTEXT = 2;
  const near = lines.map(() => false);
  lines.forEach(([mark], index) => {
    if (mark === " ") return;
    for (let k = Math.max(0, index - CONTEXT); k <= Math.min(lines.length - 1, index + CONTEXT); k++) near[k] = true;
  });
  const out = [];
  lines.forEach((line, index) => {
    if (near[index]) out.push(line);
    else if (!out.length || out[out.length - 1][0] !== "⋯") out.push(["⋯", ""]);
  });
  return out;
}

function diffNodes(mine, disk) {
  return diffLines(mine, disk).map(([mark, line]) => {
    const node = document.createElement("div");
    node.className = { "+": "add", "-": "del", " ": "same", "⋯": "fold" }[mark];
    // The marks the banner's sentence names: − yours, + on disk.
    node.textContent = mark === "⋯" ? "⋯" : (mark === "-" ? "−" : mark) + " " + line;
    return node;
  });
}

// ---- checking ----

let lastPreview = null;

async function check() {
  if (!studio.path) return;
  const seq = ++studio.checkSeq;
  const value = text();
  const response = await api("POST", "/api/check", { path: studio.path, text: value });
  if (!response || seq !== studio.checkSeq) return;
  const answer = await readJson(response);
  if (!response.ok) {
    showMessage(answer.error || response.statusText);
    return;
  }
  const doc = view.state.doc;
  if (doc.toString() !== value) return;
  const marks = [];
  for (const diagnostic of answer.diagnostics) {
    if (!diagnostic.range) continue;
    marks.push({
      from: offsetOf(doc, diagnostic.range.from),
      to: offsetOf(doc, diagnostic.range.to),
      severity: diagnostic.severity === "note" ? "info" : diagnostic.severity,
      source: diagnostic.code,
      message: diagnostic.message,
    });
  }
  view.dispatch(setDiagnostics(view.state, marks));
  showProblems(answer);
  showPreview(answer);
}

function showProblems(answer) {
  const list = $("problem-list");
  list.replaceChildren();
  $("problem-count").textContent = answer.summary || "";
  $("no-problems").hidden = answer.diagnostics.length > 0;
  for (const diagnostic of answer.diagnostics) {
    const item = document.createElement("li");
    item.className = "problem " + diagnostic.severity;
    item.dataset.code = diagnostic.code;
    const pre = document.createElement("pre");
    pre.textContent = diagnostic.human;
    item.append(pre);
    if (diagnostic.range) {
      item.tabIndex = 0;
      const go = () => select(diagnostic.range);
      item.addEventListener("click", go);
      item.addEventListener("keydown", (event) => {
        if (event.key === "Enter") go();
      });
    }
    list.append(item);
  }
}

// ---- the preview follows the cursor ----

// The section and the table the cursor is in, by their titles: the
// headers `section "…" {` and `table NAME "…" {` whose block is still
// open at the cursor's line (braces counted outside strings).
function placeOf(state) {
  const doc = state.doc;
  const found = { section: null, table: null };
  let depth = 0;
  for (let number = doc.lineAt(state.selection.main.head).number; number >= 1; number--) {
    const line = doc.line(number).text;
    const bare = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const opens = (bare.match(/\{/g) || []).length;
    const closes = (bare.match(/\}/g) || []).length;
    const header = /^\s*(section|table\s+[^\s"{]+)\s+"((?:[^"\\]|\\.)*)"/u.exec(line);
    if (header && opens > closes && depth === 0) {
      const kind = header[1] === "section" ? "section" : "table";
      if (found[kind] === null) found[kind] = header[2];
      if (kind === "section") break;
    }
    depth = Math.max(0, depth + closes - opens);
  }
  return found;
}

// Scrolls the preview to the place of the cursor: the table's title after
// its section's heading, else that heading, else the top. False while the
// preview has not loaded.
function followCursor() {
  const place = placeOf(view.state);
  const key = JSON.stringify(place);
  if (key !== studio.followed && scrollPreviewTo(place)) studio.followed = key;
}

function scrollPreviewTo(place) {
  let page;
  try {
    page = $("preview").contentDocument;
  } catch {
    return false;
  }
  if (!page || !page.body || !page.body.childElementCount) return false;
  const same = (node, title) => node.textContent.trim() === title;
  const heading = place.section === null ? null
    : Array.from(page.querySelectorAll("h1, h2, h3, h4, h5, h6")).find((node) => same(node, place.section));
  let target = heading;
  if (place.table !== null) {
    const titles = Array.from(page.querySelectorAll("caption, th, h2, h3, h4, h5, h6"))
      .filter((node) => node !== heading && same(node, place.table));
    const after = heading
      ? titles.find((node) => heading.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)
      : null;
    target = after || titles[0] || heading;
  }
  const frame = page.defaultView;
  const top = target ? target.getBoundingClientRect().top + frame.scrollY - 8 : 0;
  frame.scrollTo(0, Math.max(0, top));
  return true;
}

// The preview: the report as the portal shows it, in a sandboxed frame
// where no script runs; while the text has a syntax error the last good
// rendering stays, dimmed.
function showPreview(answer) {
  const frame = $("preview");
  const stale = answer.preview === null;
  $("preview-pane").classList.toggle("stale", stale);
  $("preview-stale").hidden = !stale;
  if (stale || answer.preview === lastPreview) return;
  lastPreview = answer.preview;
  let scroll = 0;
  try {
    scroll = frame.contentWindow.scrollY;
  } catch {
    scroll = 0;
  }
  frame.onload = () => {
    try {
      frame.contentWindow.scrollTo(0, scroll);
    } catch {
      // Nothing to restore.
    }
  };
  frame.srcdoc = answer.preview;
}

// ---- downloads ----

async function download(format) {
  if (!studio.path) return;
  if (format === "pdf" && !studio.pdf) {
    showMessage(t("no_pdf"), true);
    return;
  }
  const button = document.querySelector(`[data-format="${format}"]`);
  button.classList.add("busy");
  const response = await api("POST", "/api/download", { path: studio.path, text: text(), format });
  button.classList.remove("busy");
  if (!response) return;
  if (!response.ok) {
    const answer = await readJson(response);
    showMessage(answer.error || response.statusText);
    return;
  }
  // A PDF whose characters some font lacked: said, and downloaded.
  const warnings = response.headers.get("Gdr-Warnings");
  if (warnings) showMessage(decodeURIComponent(warnings), true);
  const blob = await response.blob();
  const stem = studio.path.split("/").pop().replace(/\.gdr$/, "");
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = stem + "." + format;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// ---- a new report ----

async function createReport(event) {
  event.preventDefault();
  let path = $("new-path").value.trim();
  if (!path) return;
  if (!path.endsWith(".gdr")) path += ".gdr";
  const response = await api("POST", "/api/new", {
    path,
    form: $("new-form").value,
    year: Number($("new-year").value),
  });
  if (!response) return;
  const answer = await readJson(response);
  if (!response.ok) {
    $("new-error").textContent = answer.error || response.statusText;
    return;
  }
  $("new-dialog").close();
  await loadFiles();
  await openFile(answer.path);
}

// ---- importing a published report dropped on the window ----

// A file's bytes in base64, as the server's /api/import reads them.
async function base64Of(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}

// A published report (its web page saved as HTML, a Word .docx, its text)
// becomes a new report of the folder, as `gdr import` makes it; the
// importer tells the kind by the content, and its warnings and refusals
// are shown with their codes.
async function importDropped(file) {
  if (file.size > studio.uploadLimit) {
    showMessage(t("too_large")
      .replace("{name}", file.name)
      .replace("{size}", (studio.uploadLimit / 1e6).toFixed(1)));
    return;
  }
  const stem = file.name.replace(/\.[^.]*$/, "").replace(/[\\/:]/g, "_").replace(/^\.+/, "");
  const response = await api("POST", "/api/import", {
    path: (stem || "report") + ".gdr",
    name: file.name,
    data: await base64Of(file),
  });
  if (!response) return;
  const answer = await readJson(response);
  if (!response.ok) {
    const failed = t("import_failed").replace("{name}", file.name);
    showMessage(failed + "\n" + (answer.human || answer.error || response.statusText));
    return;
  }
  await loadFiles();
  await openFile(answer.path);
  const lines = [t("imported").replace("{library}", answer.library)];
  for (const warning of answer.warnings) lines.push(warning.human);
  showMessage(lines.join("\n"), true);
}

function watchDrops() {
  let depth = 0;
  const overlay = $("drop");
  const hasFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files");
  window.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    depth += 1;
    overlay.hidden = false;
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  window.addEventListener("dragover", (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  window.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const file = event.dataTransfer.files[0];
    if (file) importDropped(file);
  });
}

// ---- start ----

async function start() {
  studio.lang = chooseLang();
  await loadWords();
  await loadFiles();
  $("save").addEventListener("click", () => save());
  $("lang").addEventListener("click", async () => {
    studio.lang = studio.lang === "zh" ? "en" : "zh";
    localStorage.setItem("gdr-lang", studio.lang);
    await loadWords();
    check();
  });
  for (const button of document.querySelectorAll("[data-format]")) {
    button.addEventListener("click", () => download(button.dataset.format));
  }
  $("new").addEventListener("click", () => {
    $("new-error").textContent = "";
    $("new-dialog").showModal();
  });
  $("new-cancel").addEventListener("click", () => $("new-dialog").close());
  $("new-form-element").addEventListener("submit", createReport);
  watchDrops();
  // Checked again when the server is back.
  setInterval(async () => {
    if (!studio.online) {
      const response = await api("GET", "/api/files");
      if (response) check();
    }
  }, 3000);
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted) await openFile(wanted);
  document.body.dataset.ready = "true";
}

start();
