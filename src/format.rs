//! `gdr fmt`: one canonical layout, changing only white space.
//!
//! The formatter works on lines and a small lexer (strings, `"""` blocks,
//! comments, brackets), not on the syntax tree, so that every comment stays
//! where it was and a file with syntax errors can still be formatted.
//! It:
//! - indents by two spaces per open bracket, closing brackets one level out;
//! - removes trailing white space, collapses runs of blank lines to one,
//!   drops blank lines after an opening and before a closing bracket, and
//!   puts one blank line after each top-level block;
//! - aligns the cells of consecutive rows into columns;
//! - leaves the inside of `"""` blocks as it is.
//!
//! Only white space outside strings changes, so the meaning cannot; and
//! formatting formatted text changes nothing (both are tested).

/// The canonical layout of `text`.
pub fn format(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<Line> = Vec::new();
    let mut depth: i64 = 0;
    let mut in_block = false;
    for raw in text.lines() {
        let raw = raw.trim_end_matches('\r');
        if in_block {
            // Inside a `"""` block nothing moves; find where it ends.
            let scan = scan_line(raw, true);
            in_block = scan.in_block_after;
            depth += scan.depth_change;
            lines.push(Line::verbatim(raw, depth));
            continue;
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            lines.push(Line::blank());
            continue;
        }
        let scan = scan_line(trimmed, false);
        let indent = (depth - scan.leading_closers).max(0);
        depth = (depth + scan.depth_change).max(0);
        in_block = scan.in_block_after;
        lines.push(Line {
            text: format!("{}{trimmed}", "  ".repeat(indent as usize)),
            blank: false,
            verbatim: false,
            depth_after: depth,
        });
    }
    let lines = tidy_blank_lines(lines);
    let mut out: Vec<String> = lines.into_iter().map(|line| line.text).collect();
    align_rows(&mut out);
    let mut text = out.join("\n");
    text.push('\n');
    text
}

struct Line {
    text: String,
    blank: bool,
    /// Inside a `"""` block: kept as written.
    verbatim: bool,
    /// The bracket depth after this line.
    depth_after: i64,
}

impl Line {
    fn blank() -> Line {
        Line {
            text: String::new(),
            blank: true,
            verbatim: false,
            depth_after: -1,
        }
    }

    fn verbatim(text: &str, depth_after: i64) -> Line {
        Line {
            text: text.to_string(),
            blank: false,
            verbatim: true,
            depth_after,
        }
    }
}

/// Runs of blank lines become one; none at the start or the end, after an
/// opening bracket or before a closing one; one after a top-level block.
fn tidy_blank_lines(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut pending_blank = false;
    let mut depth_before = 0;
    for line in lines {
        if line.blank {
            pending_blank = true;
            continue;
        }
        let previous = out.last();
        let after_opener = previous.is_some_and(|p| !p.verbatim && ends_with_opener(&p.text));
        let before_closer = !line.verbatim && starts_with_closer(line.text.trim_start());
        let after_top_block = previous.is_some_and(|p| p.depth_after == 0 && !p.verbatim)
            && depth_before == 0
            && out.len() >= 2
            && closes_block(previous.map_or("", |p| p.text.as_str()));
        let wanted = !out.is_empty()
            && !line.verbatim
            && ((pending_blank && !after_opener && !before_closer)
                || (after_top_block && !before_closer));
        if wanted || (pending_blank && line.verbatim) {
            out.push(Line::blank());
        }
        pending_blank = false;
        depth_before = line.depth_after;
        out.push(line);
    }
    out
}

fn ends_with_opener(text: &str) -> bool {
    let code = strip_comment(text).trim_end();
    code.ends_with('{') || code.ends_with('[') || code.ends_with('(')
}

fn starts_with_closer(text: &str) -> bool {
    text.starts_with('}') || text.starts_with(']') || text.starts_with(')')
}

/// A line that ends a multi-line block at the top level: `}`.
fn closes_block(text: &str) -> bool {
    strip_comment(text).trim() == "}"
}

/// The line without a trailing `//` comment (outside strings).
fn strip_comment(text: &str) -> &str {
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && chars.peek().is_some_and(|&(_, next)| next == '/') => {
                return &text[..index];
            }
            _ => {}
        }
    }
    text
}

/// What a line does to the bracket depth.
struct LineScan {
    /// Closing brackets before anything else on the line.
    leading_closers: i64,
    depth_change: i64,
    /// Whether a `"""` block is open at the end of the line.
    in_block_after: bool,
}

fn scan_line(line: &str, mut in_block: bool) -> LineScan {
    let mut depth_change = 0;
    let mut leading_closers = 0;
    let mut leading = true;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if in_block {
            if bytes[i..].starts_with(b"\"\"\"") {
                in_block = false;
                i += 3;
            } else {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            leading = false;
            continue;
        }
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => break,
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                in_block = true;
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'{' | b'[' | b'(' => {
                depth_change += 1;
                i += 1;
            }
            b'}' | b']' | b')' => {
                depth_change -= 1;
                if leading {
                    leading_closers += 1;
                }
                i += 1;
                continue;
            }
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            _ => i += 1,
        }
        leading = false;
    }
    LineScan {
        leading_closers,
        depth_change,
        in_block_after: in_block,
    }
}

/// A row written on one line: `NAME ["LABEL"] [c1, c2, …] REST`.
struct RowLine {
    indent: String,
    head: String,
    cells: Vec<String>,
    rest: String,
}

fn parse_row(line: &str) -> Option<RowLine> {
    let indent_len = line.len() - line.trim_start().len();
    let body = &line[indent_len..];
    let first = body.chars().next()?;
    if !(first.is_alphabetic() || first == '_')
        || body.starts_with("check")
        || body.starts_with("expect")
    {
        return None;
    }
    // The head runs up to the `[` of the cells, outside strings.
    let mut in_string = false;
    let mut open = None;
    for (index, c) in body.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '[' if !in_string => {
                open = Some(index);
                break;
            }
            '=' | '{' | '/' if !in_string => return None,
            _ => {}
        }
    }
    let open = open?;
    let head = body[..open].trim_end().to_string();
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut in_string = false;
    let mut close = None;
    let mut chars = body[open + 1..].char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' if in_string => {
                current.push(c);
                if let Some((_, next)) = chars.next() {
                    current.push(next);
                }
            }
            '"' => {
                in_string = !in_string;
                current.push(c);
            }
            ',' if !in_string => cells.push(std::mem::take(&mut current).trim().to_string()),
            ']' if !in_string => {
                close = Some(open + 1 + index);
                break;
            }
            '[' | '{' | '(' if !in_string => return None,
            c => current.push(c),
        }
    }
    let close = close?;
    let last = current.trim().to_string();
    if !last.is_empty() || !cells.is_empty() {
        cells.push(last);
    }
    if cells.iter().any(String::is_empty) {
        return None;
    }
    Some(RowLine {
        indent: line[..indent_len].to_string(),
        head,
        cells,
        rest: body[close + 1..].trim().to_string(),
    })
}

/// Aligns the cells of runs of consecutive rows with the same indentation
/// and number of cells: heads padded to one width, each cell right-aligned
/// to its column's width.
fn align_rows(lines: &mut [String]) {
    let mut start = 0;
    while start < lines.len() {
        let Some(first) = parse_row(&lines[start]) else {
            start += 1;
            continue;
        };
        let mut run = vec![first];
        let mut end = start + 1;
        while end < lines.len() {
            match parse_row(&lines[end]) {
                Some(row)
                    if row.indent == run[0].indent && row.cells.len() == run[0].cells.len() =>
                {
                    run.push(row)
                }
                _ => break,
            }
            end += 1;
        }
        if run.len() > 1 || !run[0].cells.is_empty() {
            let head_width = run.iter().map(|row| width(&row.head)).max().unwrap_or(0);
            let columns = run[0].cells.len();
            // Numbers are aligned among numbers: a cell's note follows its
            // value and does not widen the column.
            let value_widths: Vec<usize> = (0..columns)
                .map(|index| {
                    run.iter()
                        .map(|row| width(cell_value(&row.cells[index])))
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for (offset, row) in run.iter().enumerate() {
                let mut text = format!(
                    "{}{}{} [",
                    row.indent,
                    row.head,
                    " ".repeat(head_width - width(&row.head))
                );
                for (index, cell) in row.cells.iter().enumerate() {
                    if index > 0 {
                        text.push_str(", ");
                    }
                    text.push_str(&" ".repeat(value_widths[index] - width(cell_value(cell))));
                    text.push_str(cell);
                }
                text.push(']');
                if !row.rest.is_empty() {
                    text.push(' ');
                    text.push_str(&row.rest);
                }
                lines[start + offset] = text;
            }
        }
        start = end;
    }
}

/// The value of a cell without its note: `55` of `55 "含自然失效29件"`.
fn cell_value(cell: &str) -> &str {
    cell.split_once('"')
        .map_or(cell, |(value, _)| value.trim_end())
}

/// Columns a text takes in a monospaced editor or a terminal (CJK
/// characters take two; quotes such as “” one), by the same rule as the
/// diagnostics' carets: Unicode's East Asian Width.
fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_aligns_and_keeps_comments() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\nsection \"一\" {\n\n\n        // 注释\n  let x = 1 件   \n}\ntable t {\ncolumns { a b }\n    rows {\n新收 [16, 0]  // 注\n上年结转 \"二\" [1,20]\n}\n}\n\n\n";
        let formatted = format(text);
        assert_eq!(
            formatted,
            "report { title \"t\" agency \"a\" year 2020 }\nsection \"一\" {\n  // 注释\n  let x = 1 件\n}\n\ntable t {\n  columns { a b }\n  rows {\n    新收          [16,  0] // 注\n    上年结转 \"二\" [ 1, 20]\n  }\n}\n"
        );
        assert_eq!(format(&formatted), formatted);
    }

    #[test]
    fn block_strings_are_left_alone() {
        let text = "section \"一\" {\n\"\"\"\n   缩进 {x}\n      更深\n\"\"\"\n}\n";
        let formatted = format(text);
        assert!(
            formatted.contains("\n   缩进 {x}\n      更深\n\"\"\"\n}"),
            "{formatted}"
        );
        assert_eq!(format(&formatted), formatted);
    }

    #[test]
    fn numbers_align_among_numbers_and_quotes_are_narrow() {
        let text = "table t {\n  rows {\n    a [34, 55 \"含自然失效29件\", 189]\n    b \"“三安全一稳定”\" [1, 2, 3]\n    c \"全角，\" [10, 20, 30]\n  }\n}\n";
        let formatted = format(text);
        assert_eq!(
            formatted,
            "table t {\n  rows {\n    a                  [34, 55 \"含自然失效29件\", 189]\n    b \"“三安全一稳定”\" [ 1,  2,   3]\n    c \"全角，\"         [10, 20,  30]\n  }\n}\n"
        );
        assert_eq!(format(&formatted), formatted);
    }
}
