// The highlighting of .gdr source: keywords, strings (with `"""` blocks
// over several lines and `{…}` interpolations), numbers, comments, cell
// references in brackets. A stream tokenizer is enough for colours; the
// meaning comes from the server, which checks the text with gdr itself.
import { StreamLanguage } from "@codemirror/language";

const KEYWORDS = new Set([
  "report", "section", "table", "form", "let", "check", "expect", "use", "as",
  "unit", "columns", "rows", "auto", "rest", "allow", "note", "reason", "sum",
  "within", "num",
]);

function inString(stream, state) {
  while (!stream.eol()) {
    if (state.block && stream.match('"""')) {
      state.string = false;
      return "string";
    }
    const next = stream.next();
    if (next === "\\") {
      stream.next();
    } else if (next === "{") {
      stream.backUp(1);
      if (stream.pos > stream.start) return "string";
      stream.next();
      state.interpolation = true;
      return "brace";
    } else if (next === '"' && !state.block) {
      state.string = false;
      return "string";
    }
  }
  if (!state.block) state.string = false;
  return "string";
}

export const gdrLanguage = StreamLanguage.define({
  name: "gdr",
  startState: () => ({ string: false, block: false, interpolation: false }),
  token(stream, state) {
    if (state.interpolation) {
      if (stream.eat("}")) {
        state.interpolation = false;
        return "brace";
      }
      if (stream.match(/^[^}]+/)) return "variableName.special";
    }
    if (state.string) return inString(stream, state);
    if (stream.eatSpace()) return null;
    if (stream.match("//")) {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.match('"""')) {
      state.string = true;
      state.block = true;
      return inString(stream, state);
    }
    if (stream.eat('"')) {
      state.string = true;
      state.block = false;
      return inString(stream, state);
    }
    if (stream.match(/^-?\d[\d,]*(\.\d+)?%?/)) return "number";
    if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
      return KEYWORDS.has(stream.current()) ? "keyword" : "variableName";
    }
    const next = stream.next();
    if ("[]".includes(next)) return "squareBracket";
    if ("{}()".includes(next)) return "brace";
    if ("=+-*/<>".includes(next)) return "operator";
    if (next === "?") return "atom";
    return null;
  },
  languageData: { commentTokens: { line: "//" } },
});
