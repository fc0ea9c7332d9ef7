//! The printer: a syntax tree back to `.gdr` source, in `gdr fmt` form.
//!
//! Everything gdr writes as source (`gdr new`, the importer) goes through
//! here, so that every string is quoted and escaped the one way the parser
//! reads it back: for any tree the parser produced, parsing the printed
//! text gives the same tree but for its spans (`tests/fuzz.rs` holds it to
//! that over generated and mutated reports).
//!
//! Items that did not parse (error nodes) are left out. The tree keeps no
//! comments or layout; a [`Printer`] can interleave
//! comments of its own (`gdr new` explains its tables with them). Trees
//! built by hand must be trees the parser could produce: names that are
//! names, and operator chains shaped as the grammar nests them (a `*`
//! chain inside a `+` chain, anything else in parentheses).

use std::fmt::Write;

use super::ast::*;

/// Prints a whole document.
pub fn print(document: &Document) -> String {
    let mut printer = Printer::new();
    for item in &document.items {
        printer.item(item);
    }
    printer.finish()
}

/// A string literal whose value is `text`: quotes, backslashes and line
/// breaks escaped; braces written as they are (a title, label, note of a
/// cell, or reason).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    escape_into(&mut out, text, false);
    out.push('"');
    out
}

fn escape_into(out: &mut String, text: &str, braces: bool) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '{' if braces => out.push_str("\\{"),
            '}' if braces => out.push_str("\\}"),
            c => out.push(c),
        }
    }
}

/// Writes source line by line; [`Printer::finish`] gives it in `gdr fmt`
/// form.
#[derive(Debug, Default)]
pub struct Printer {
    out: String,
    depth: usize,
}

impl Printer {
    pub fn new() -> Printer {
        Printer::default()
    }

    /// The source written so far, in `gdr fmt` form.
    pub fn finish(self) -> String {
        crate::format::format(&self.out)
    }

    /// A `//` comment, one per line of `text`, at the current indentation.
    pub fn comment(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                self.line("//");
            } else {
                self.line(&format!("// {line}"));
            }
        }
    }

    /// An empty line (runs of them collapse to one).
    pub fn blank_line(&mut self) {
        self.out.push('\n');
    }

    /// `section "TITLE" { … }`, its body written by `body`.
    pub fn section(&mut self, title: &str, body: impl FnOnce(&mut Printer)) {
        self.blank_line();
        self.open(&format!("section {}", quote(title)));
        body(self);
        self.close();
    }

    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn open(&mut self, head: &str) {
        self.line(&format!("{head} {{"));
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.line("}");
    }

    /// An item, with a blank line before it where it is a block.
    pub fn item(&mut self, item: &Item) {
        match item {
            Item::Header(header) => self.header(header, &[]),
            Item::Unit(unit) => {
                let mut text = format!("unit {}", unit.name.value);
                if let Some(definition) = &unit.definition {
                    text.push_str(" = ");
                    literal(&mut text, definition);
                }
                self.line(&text);
            }
            Item::Section(section) => self.section(&section.title.value, |printer| {
                for item in &section.items {
                    printer.item(item);
                }
            }),
            Item::Paragraph(paragraph) => self.line(&paragraph_string(paragraph)),
            Item::Let(statement) => {
                let mut text = format!("let {} = ", statement.name.value);
                expr(&mut text, &statement.expr);
                self.line(&text);
            }
            Item::Check(check) => self.check(check),
            Item::Table(table) => {
                self.blank_line();
                self.table("table", table);
            }
            Item::Form(form) => {
                self.blank_line();
                self.table("form", form);
            }
            Item::Instance(instance) => {
                self.blank_line();
                self.instance(instance, &|_| None);
            }
            Item::Use(statement) => {
                let mut text = String::from("use ");
                match &statement.target {
                    UseTarget::Builtin(name) => text.push_str(&name.value),
                    UseTarget::Path(path) => text.push_str(&quote(&path.value)),
                }
                if let Some(alias) = &statement.alias {
                    let _ = write!(text, " as {}", alias.value);
                }
                self.line(&text);
            }
            Item::Allow(waiver) => self.line(&waiver_text(waiver)),
            // What did not parse has no tree to print.
            Item::Error(_) => {}
        }
    }

    /// `report { … }`, its fields aligned, then `comments` (each a line of
    /// `//` comment) inside the block.
    pub fn header(&mut self, header: &Header, comments: &[String]) {
        self.blank_line();
        self.open("report");
        let width = header
            .fields
            .iter()
            .map(|field| field.key.value.chars().count())
            .max()
            .unwrap_or(0);
        for field in &header.fields {
            let value = match &field.value {
                HeaderValue::Text(text) => quote(&text.value),
                HeaderValue::Number(written) | HeaderValue::Date(written) => {
                    written.value.to_string()
                }
                HeaderValue::Name(name) => name.value.to_string(),
                HeaderValue::Malformed(written) => written.value.to_string(),
            };
            let padding = width - field.key.value.chars().count();
            self.line(&format!(
                "{}{} {value}",
                field.key.value,
                " ".repeat(padding)
            ));
        }
        for comment in comments {
            self.comment(comment);
        }
        self.close();
    }

    fn check(&mut self, check: &Check) {
        let mut text = String::from(match check.severity {
            CheckSeverity::Check => "check ",
            CheckSeverity::Expect => "expect ",
        });
        expr(&mut text, &check.lhs);
        let _ = write!(text, " {} ", check.op.value.as_str());
        expr(&mut text, &check.rhs);
        if let Some(within) = &check.within {
            text.push_str(" within ");
            expr(&mut text, within);
        }
        if let Some(waiver) = &check.waiver {
            text.push(' ');
            text.push_str(&waiver_text(waiver));
        }
        self.line(&text);
    }

    /// `table NAME ["TITLE"] { … }` or `form …`.
    fn table(&mut self, keyword: &str, table: &Table) {
        let mut head = format!("{keyword} {}", table.name.value);
        if let Some(title) = &table.title {
            let _ = write!(head, " {}", quote(&title.value));
        }
        self.open(&head);
        for unit in &table.units {
            self.line(&format!("unit {}", unit.value));
        }
        self.notes(&table.notes);
        for (_, columns) in &table.columns {
            self.open("columns");
            for column in columns {
                self.column(column);
            }
            self.close();
        }
        for (_, rows) in &table.rows {
            self.open("rows");
            for row in rows {
                self.row(row);
            }
            self.close();
        }
        for check in &table.checks {
            self.check(check);
        }
        for waiver in &table.waivers {
            self.line(&waiver_text(waiver));
        }
        self.close();
    }

    fn column(&mut self, column: &ColumnEntry) {
        let mut text = entry_head(&column.name, column.label.as_ref());
        match &column.kind {
            ColumnKind::Group(children) => {
                self.open(&text);
                for child in children {
                    self.column(child);
                }
                self.close();
            }
            ColumnKind::Leaf { unit, formula } => {
                if let Some(unit) = unit {
                    let _ = write!(text, " unit {}", unit.value);
                }
                if let Some(formula) = formula {
                    text.push_str(" = ");
                    expr(&mut text, formula);
                }
                self.line(&text);
            }
        }
    }

    fn row(&mut self, row: &RowEntry) {
        let mut text = entry_head(&row.name, row.label.as_ref());
        match &row.kind {
            RowKind::Group(children) => {
                self.open(&text);
                for child in children {
                    self.row(child);
                }
                self.close();
            }
            RowKind::Leaf {
                cells: row_cells,
                formula,
            } => {
                if let Some(row_cells) = row_cells {
                    text.push(' ');
                    cells(&mut text, row_cells);
                }
                if let Some(formula) = formula {
                    text.push_str(" = ");
                    expr(&mut text, formula);
                }
                self.line(&text);
            }
        }
    }

    /// `note "…"` lines.
    fn notes(&mut self, notes: &[Paragraph]) {
        for note in notes {
            self.line(&format!("note {}", paragraph_string(note)));
        }
    }

    /// `table NAME = FORM { … }`, with a comment after each row where
    /// `row_comment` gives one (by the row's index).
    pub fn instance(&mut self, instance: &Instance, row_comment: &dyn Fn(usize) -> Option<String>) {
        self.open(&format!(
            "table {} = {}",
            instance.name.value, instance.form.value
        ));
        for (index, row) in instance.rows.iter().enumerate() {
            let mut text = row
                .path
                .iter()
                .map(|name| name.value.as_str())
                .collect::<Vec<_>>()
                .join(".");
            text.push(' ');
            cells(&mut text, &row.cells);
            if let Some(comment) = row_comment(index) {
                let _ = write!(text, "  // {comment}");
            }
            self.line(&text);
        }
        for rest in &instance.rests {
            let mut text = String::from("rest ");
            cell_value(&mut text, &rest.value());
            self.line(&text);
        }
        self.notes(&instance.notes);
        for check in &instance.checks {
            self.check(check);
        }
        for waiver in &instance.waivers {
            self.line(&waiver_text(waiver));
        }
        self.close();
    }
}

fn entry_head(name: &Ident, label: Option<&Text>) -> String {
    match label {
        Some(label) => format!("{} {}", name.value, quote(&label.value)),
        None => name.value.to_string(),
    }
}

fn waiver_text(waiver: &Waiver) -> String {
    format!(
        "allow {} {}",
        waiver.code.value,
        quote(&waiver.reason.value)
    )
}

/// A paragraph as one `"…"` string: braces escaped, interpolations in
/// `{…}`.
fn paragraph_string(paragraph: &Paragraph) -> String {
    let mut out = String::from("\"");
    for piece in &paragraph.pieces {
        match piece {
            Piece::Text(text) => escape_into(&mut out, text, true),
            Piece::Interpolation(interpolation) => {
                out.push('{');
                expr(&mut out, &interpolation.expr);
                if let Some(unit) = &interpolation.as_unit {
                    let _ = write!(out, " as {}", unit.value);
                }
                match interpolation.format {
                    Format::WithUnit => {}
                    Format::Number => out.push_str(":num"),
                    Format::Percent(decimals) => {
                        let _ = write!(out, ":%{decimals}");
                    }
                    Format::WithUnitDecimals(decimals) => {
                        let _ = write!(out, ":{decimals}");
                    }
                    Format::NumberDecimals(decimals) => {
                        let _ = write!(out, ":num{decimals}");
                    }
                }
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}

fn cells(out: &mut String, cells: &Cells) {
    out.push('[');
    for (index, cell) in cells.cells.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        cell_value(out, &cell.value());
        if let Some(note) = cell.note() {
            out.push(' ');
            out.push_str(&quote(&note.value));
        }
    }
    out.push(']');
}

fn cell_value(out: &mut String, value: &CellValue) {
    match value {
        // A cell's literal text holds its sign.
        CellValue::Number(number) => literal(out, number),
        CellValue::Blank(_) => out.push('-'),
        CellValue::Unknown(_) => out.push('?'),
        CellValue::Auto(_) => out.push_str("auto"),
        CellValue::Malformed(written) => out.push_str(&written.value),
    }
}

/// A number as written, then its unit: `16 件`, `4.34%`.
fn literal(out: &mut String, literal: &Literal) {
    out.push_str(&literal.text);
    if let Some(unit) = &literal.unit {
        if unit.value != "%" {
            out.push(' ');
        }
        out.push_str(&unit.value);
    }
}

fn expr(out: &mut String, expression: &Expr) {
    match expression {
        Expr::Literal(number) => literal(out, number),
        Expr::Reference(reference) => {
            join_names(out, &reference.path);
            if let Some(column) = &reference.column {
                out.push('[');
                join_names(out, column);
                out.push(']');
            }
        }
        Expr::Sum { args, .. } => {
            out.push_str("sum(");
            for (index, arg) in args.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                expr(out, arg);
            }
            out.push(')');
        }
        Expr::Neg { operand, .. } => {
            out.push('-');
            expr(out, operand);
        }
        Expr::Chain { first, rest, .. } => {
            expr(out, first);
            for (op, operand) in rest {
                let _ = write!(out, " {} ", op.value.as_str());
                expr(out, operand);
            }
        }
        Expr::Paren { inner, .. } => {
            out.push('(');
            expr(out, inner);
            out.push(')');
        }
        Expr::Malformed(written) => out.push_str(&written.value),
    }
}

fn join_names(out: &mut String, names: &[Ident]) {
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            out.push('.');
        }
        out.push_str(&name.value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_what_the_parser_unescapes() {
        assert_eq!(quote("a\"b\\c\nd{e}"), r#""a\"b\\c\nd{e}""#);
    }

    #[test]
    fn paragraphs_escape_braces() {
        let paragraph = Paragraph {
            pieces: vec![Piece::Text("共{x}件".into())],
            span: crate::span::Span::default(),
        };
        assert_eq!(paragraph_string(&paragraph), r#""共\{x\}件""#);
    }
}
