//! Recovery inside an item: the statement that holds a syntax error.
//!
//! When an item does not parse, the statement or row that holds the error
//! is found from the brackets alone (read by `lex.rs`, each closer matched
//! with the innermost opener of its kind, as the scan does): the innermost
//! `{ … }` block around the error, and in it the line that starts the
//! statement, up to the next line that starts one at the same depth, or the
//! block's `}`. `syntax.rs` blanks that statement out and parses the item
//! again. Where the error is not inside such a block (the item's own head),
//! or the statement is one whose absence would cost more diagnostics than
//! it saves (`columns`, `rows`, a table's `unit`, `rest`, anything in
//! `columns { … }` or the header), there is nothing to recover: `None`.

use std::ops::Range;

use super::lex::{self, Kind, Token};

/// Keywords that cannot name a row (from the grammar's `keyword`).
const KEYWORDS: [&str; 16] = [
    "report", "section", "table", "form", "use", "as", "let", "check", "expect", "within", "sum",
    "auto", "rest", "unit", "note", "allow",
];

/// Statements whose absence would change more than themselves: a table
/// without its `columns`, `rows` or `unit`, an instance without `rest`.
const KEPT: [&str; 6] = ["columns", "rows", "unit", "rest", "form", "use"];

/// A statement that may be blanked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Statement {
    /// Its byte range in the text.
    pub range: Range<usize>,
    /// What it is.
    pub kind: Lost,
}

/// What a blanked statement was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lost {
    /// A statement of a section or a table.
    Statement,
    /// A row of an instance: the row is not filled.
    InstanceRow,
    /// A row of a table's `rows`: its name stays (a row without cells),
    /// the rest is blanked, so that its cells are lost, not the row.
    Cells,
}

/// What kind of block a `{ … }` is, as far as recovery cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    /// A section's or a table's body: statements.
    Body,
    /// `rows { … }`, a row group: rows.
    Rows,
    /// An instance's body: rows and statements.
    Instance,
    /// The header, `columns { … }`, anything else: not recovered.
    Kept,
}

/// A significant token (no space, no comment) and where it stands.
#[derive(Debug, Clone, Copy)]
struct Tok {
    token: Token,
    /// The first significant token on its line.
    line_start: bool,
    /// The index of the innermost matched opener around it (for a closer:
    /// the opener it closes).
    container: Option<usize>,
    /// For a matched opener, its closer's index.
    closer: Option<usize>,
}

/// The tokens of `text` with their brackets matched.
fn tokens(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut line_start = true;
    for token in lex::tokens(text) {
        match token.kind {
            Kind::Space => line_start |= text[token.start..token.end].contains('\n'),
            Kind::Comment => {}
            _ => {
                toks.push(Tok {
                    token,
                    line_start: std::mem::take(&mut line_start),
                    container: None,
                    closer: None,
                });
            }
        }
    }
    // Match each closer with the innermost opener of its kind; an opener
    // it skips, or one never closed, is not a bracket for what follows.
    let mut stack: Vec<(usize, char)> = Vec::new();
    for index in 0..toks.len() {
        match toks[index].token.kind {
            Kind::Open(open) => stack.push((index, open)),
            Kind::Close(close) => {
                let open = match close {
                    '}' => '{',
                    ']' => '[',
                    _ => '(',
                };
                if let Some(at) = stack.iter().rposition(|&(_, kind)| kind == open) {
                    toks[stack[at].0].closer = Some(index);
                    stack.truncate(at);
                }
            }
            _ => {}
        }
    }
    let mut open: Vec<usize> = Vec::new();
    for index in 0..toks.len() {
        let tok = toks[index];
        match tok.token.kind {
            Kind::Close(_) if open.last().and_then(|&at| toks[at].closer) == Some(index) => {
                toks[index].container = open.pop();
                continue;
            }
            _ => toks[index].container = open.last().copied(),
        }
        if matches!(tok.token.kind, Kind::Open(_)) && tok.closer.is_some() {
            open.push(index);
        }
    }
    toks
}

/// The statements of `text` that may hold the syntax error at byte `at`,
/// the likeliest first: the one `at` is in, and when `at` starts a
/// statement, the one before it too (`let a = 1 +` then `let b = 2`).
pub(super) fn statements_at(text: &str, at: usize) -> Vec<Statement> {
    let toks = tokens(text);
    let word = |tok: &Tok| &text[tok.token.start..tok.token.end];
    let Some(index) = toks.iter().position(|tok| tok.token.end > at) else {
        return Vec::new();
    };
    // The innermost `{` block around it.
    let mut block = toks[index].container;
    while let Some(open) = block {
        if toks[open].token.kind == Kind::Open('{') {
            break;
        }
        block = toks[open].container;
    }
    let Some(open) = block else {
        return Vec::new();
    };
    let Some(close) = toks[open].closer else {
        return Vec::new();
    };
    let kind = block_kind(&toks, text, open);
    if kind == Block::Kept {
        return Vec::new();
    }
    // Where the statements of the block start.
    let starts: Vec<usize> = (open + 1..close)
        .filter(|&i| {
            toks[i].container == Some(open)
                && (toks[i].line_start || i == open + 1)
                && !continues(word(&toks[i]), toks[i].token.kind)
        })
        .collect();
    let statement = |position: usize| -> Option<Statement> {
        let first = starts[position];
        let end = starts.get(position + 1).copied().unwrap_or(close);
        let head = word(&toks[first]);
        if KEPT.contains(&head) {
            return None;
        }
        let named = toks[first].token.kind == Kind::Word && !KEYWORDS.contains(&head);
        let (kind, from) = match kind {
            Block::Rows if named => (Lost::Cells, toks[first].token.end),
            Block::Instance if named => (Lost::InstanceRow, toks[first].token.start),
            _ => (Lost::Statement, toks[first].token.start),
        };
        Some(Statement {
            range: from..toks[end].token.start,
            kind,
        })
    };
    let mut found = Vec::new();
    match starts.iter().rposition(|&start| start <= index) {
        Some(position) if toks[index].token.kind == Kind::Close('}') && index == close => {
            found.extend(statement(position));
        }
        Some(position) => {
            found.extend(statement(position));
            if starts[position] == index && position > 0 {
                found.extend(statement(position - 1));
            }
        }
        None => {}
    }
    found
}

/// Whether a line that starts with this token continues the statement of
/// the line before: an operator, `=`, `[` (a row's cells on the next line),
/// `within`.
fn continues(word: &str, kind: Kind) -> bool {
    match kind {
        Kind::Open('[') | Kind::Open('(') => true,
        Kind::Other => "=+-*/,.<>!:".contains(word),
        Kind::Word => word == "within",
        _ => false,
    }
}

/// The kind of the block that the `{` at `open` opens, from the statement
/// it ends the head of.
fn block_kind(toks: &[Tok], text: &str, open: usize) -> Block {
    let word = |tok: &Tok| &text[tok.token.start..tok.token.end];
    let parent = toks[open].container;
    // The head: back to the first token of its line in the same block.
    let mut first = open;
    while first > 0 && toks[first - 1].container == parent && !toks[first].line_start {
        first -= 1;
    }
    let head: Vec<&str> = toks[first..open].iter().map(word).collect();
    match head.first().copied() {
        Some("section") => Block::Body,
        Some("table") if head.contains(&"=") => Block::Instance,
        Some("table" | "form") => Block::Body,
        Some("rows") => Block::Rows,
        Some(name)
            if !KEYWORDS.contains(&name)
                && parent.is_some_and(|parent| block_kind(toks, text, parent) == Block::Rows) =>
        {
            Block::Rows
        }
        _ => Block::Kept,
    }
}

/// `text` with `range` blanked out: every byte but line breaks becomes a
/// space, so that every offset stays where it was.
pub(super) fn blank(text: &str, range: Range<usize>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for byte in &mut bytes[range] {
        if *byte != b'\n' && *byte != b'\r' {
            *byte = b' ';
        }
    }
    // Only whole characters were in the range (it is cut at tokens), and
    // every byte of them is now ASCII.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// The names a blanked row stood for: every word of it that is not a
/// keyword or a number.
pub(super) fn row_names(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    lex::tokens(text)
        .filter(move |token| {
            let word = &text[token.start..token.end];
            token.kind == Kind::Word
                && !word.starts_with(|c: char| c.is_ascii_digit())
                && !KEYWORDS.contains(&word)
        })
        .map(|token| token.start..token.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<'a>(text: &'a str, at: &str) -> Vec<&'a str> {
        let at = text.find(at).expect("marker in text");
        statements_at(text, at)
            .into_iter()
            .map(|statement| text[statement.range].trim())
            .collect()
    }

    #[test]
    fn the_statement_of_the_error_up_to_the_next_line_at_its_depth() {
        let text = "section \"s\" {\n  let a = 1\n  check a = (1 +\n    2)\n  let b = 2\n}";
        assert_eq!(found(text, "= (1"), ["check a = (1 +\n    2)"]);
        assert_eq!(found(text, "}"), ["let b = 2"]);
        let trailing = "section \"s\" {\n  let a = 1 +\n  let b = 2\n}";
        assert_eq!(found(trailing, "let b"), ["let b = 2", "let a = 1 +"]);
    }

    #[test]
    fn a_row_with_its_cells_on_the_next_line_is_one_statement() {
        let text = "table t {\n  rows {\n    a \"A\"\n    [1, x]\n    b [2]\n  }\n}";
        let statements = statements_at(text, text.find('x').unwrap_or_default());
        assert_eq!(statements.len(), 1);
        assert_eq!(
            text[statements[0].range.clone()].trim(),
            "\"A\"\n    [1, x]"
        );
        assert_eq!(statements[0].kind, Lost::Cells);
    }

    #[test]
    fn an_open_bracket_ends_at_its_line() {
        let text = "table t {\n  rows {\n    g {\n      a [1, 2\n      b [3]\n    }\n  }\n}";
        assert_eq!(found(text, "[1"), ["[1, 2"]);
        let instance = "table t = F {\n  a [1, 2\n  b [3]\n}";
        assert_eq!(found(instance, "[1"), ["a [1, 2"]);
    }

    #[test]
    fn nothing_is_recovered_in_the_head_columns_or_header() {
        assert!(found("let a = = 1", "= 1").is_empty());
        assert!(found("table t {\n  columns {\n    a, b\n  }\n}", ",").is_empty());
        assert!(found("report {\n  title \"t\",\n}", ",").is_empty());
        assert!(found("table t {\n  unit 件 ~\n}", "~").is_empty());
    }

    #[test]
    fn blanking_keeps_offsets_and_lines() {
        let text = "a 甲乙\nb";
        let blanked = blank(text, 0..text.len() - 1);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.trim(), "b");
        assert_eq!(blanked.lines().count(), 2);
    }
}
