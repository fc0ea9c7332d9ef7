//! `gdr audit`: many published reports checked at once, for the people
//! who audit them.
//!
//! [`audit`] takes one input, a `.gdr` report or a published page
//! (imported in memory by [`crate::import`]), and gives an [`Entry`]: its
//! agency, year and form library, its findings (the import's problems and
//! the check's diagnostics, errors and warnings) and, when asked, the
//! checked report with each finding placed on the cell or table it
//! concerns, for [`crate::render::html_with_marks`]. [`write`] prints a
//! list of entries as a table, JSON, CSV or one HTML page. Pure: the
//! caller reads the files and chooses the exit status.

use std::collections::HashMap;

use askama::Template;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::diagnostics::{Code, Lang, Severity, Text};
use crate::import::InputKind;
use crate::model;
use crate::modules::Loader;
use crate::render::Place;
use crate::span::{FileId, Span};
use crate::syntax::ast;
use crate::tr;

/// One problem of a report: an import problem or a diagnostic of the check.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The line of the audited file (1-based): of the `.gdr` file, or of
    /// the page for an import problem. `None` for a check's finding on an
    /// imported page (its `.gdr` exists only in memory) or when the
    /// problem has no line.
    pub line: Option<usize>,
    /// The column of that line (1-based, in characters), where the line is
    /// known and the input has columns to give (a .docx has none).
    pub column: Option<usize>,
    /// The diagnostic's message; for a failed check, with the check as
    /// written and its numbers (`check failed: \`a == b + c\`: 1624, 1599 +
    /// 24 = 1623`), which the one-line message of `gdr check` leaves to its
    /// labels.
    pub message: Text,
    /// The cell or table of the checked report it concerns, if any
    /// ([`Wants::places`]).
    pub place: Option<Place>,
    /// The same place by its names ([`Wants::places`]).
    pub names: Option<PlaceNames>,
}

/// A finding's place by its names, as the JSON output gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceNames {
    /// The name of the table.
    pub table: String,
    /// The row's names from the top, for a cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<Vec<String>>,
    /// The leaf column's name, for a cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Finding {
    fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The audit of one input.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file, as named to the audit.
    pub file: String,
    /// What it was read as: `gdr`, or the kind of a published page
    /// (`text`, `markdown`, `html`, `docx`, `pdf`, `office`, `binary`).
    pub input: &'static str,
    /// From the report's header, when it has one.
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// The built-in form library the report uses, if any.
    pub form: Option<&'static str>,
    pub errors: usize,
    pub warnings: usize,
    /// Errors and warnings: the import's first, then the check's by
    /// position.
    pub findings: Vec<Finding>,
    /// The checked report, when asked for ([`Wants::report`]) and the
    /// input could be read.
    pub report: Option<model::Report>,
}

impl Entry {
    /// The finding a one-line summary shows: the first error, else the
    /// first warning.
    pub fn first(&self) -> Option<&Finding> {
        self.findings
            .iter()
            .find(|finding| finding.is_error())
            .or(self.findings.first())
    }

    /// Whether the input could not be imported at all.
    pub fn failed(&self) -> bool {
        self.findings
            .first()
            .is_some_and(|finding| finding.code.is_import() && finding.is_error())
    }
}

/// What an audit keeps besides the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wants {
    /// The checked report (for the HTML page); it implies `places`.
    pub report: bool,
    /// The places of the findings, as cells and by their names (for the
    /// HTML page and JSON): the report's model is built for them, and
    /// dropped unless `report` keeps it.
    pub places: bool,
    /// How to compile.
    pub compile: crate::Options,
}

/// Audits one input: `name` is its file name, whose extension `.gdr`
/// makes it a report to check as `gdr check` does (the files it `use`s
/// come through `loader`); anything else is a published page, imported
/// (the form library decided by its tables) and checked in memory.
pub fn audit(name: &str, bytes: &[u8], loader: &dyn Loader, wants: Wants) -> Entry {
    let is_gdr = std::path::Path::new(name)
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("gdr"));
    if is_gdr {
        let (source, not_utf8) = crate::project::decode_source(name, bytes);
        let mut entry = empty(name, "gdr");
        match not_utf8 {
            Some(diagnostic) => {
                let sources = crate::Sources::new(source);
                entry.findings = findings(&sources, &[diagnostic], true, None);
            }
            None => check(&mut entry, &source, loader, wants, true),
        }
        count(&mut entry);
        return entry;
    }
    let mut entry = empty(name, input_name(crate::import::kind_of(bytes, name)));
    let imported = if bytes.len() > crate::limits::MAX_FILE_BYTES {
        Err(crate::import::Failure::unreadable(tr!(
            "`{path}` is larger than {limit} bytes, the most gdr reads",
            path = name,
            limit = crate::limits::MAX_FILE_BYTES
        )))
    } else {
        crate::import::import(bytes, name, None)
    };
    match imported {
        Err(failure) => entry.findings.push(Finding {
            code: failure.code,
            severity: failure.code.severity(),
            line: failure.line,
            column: failure.column,
            message: failure.message,
            place: None,
            names: None,
        }),
        Ok(imported) => {
            entry.findings = imported
                .warnings
                .into_iter()
                .map(|warning| Finding {
                    code: warning.code,
                    severity: warning.code.severity(),
                    line: warning.line,
                    column: warning.column,
                    message: warning.message,
                    place: None,
                    names: None,
                })
                .collect();
            let source = crate::SourceFile::new(name, imported.source);
            check(&mut entry, &source, &crate::modules::NoFiles, wants, false);
        }
    }
    count(&mut entry);
    entry
}

fn empty(name: &str, input: &'static str) -> Entry {
    Entry {
        file: name.to_string(),
        input,
        agency: None,
        year: None,
        form: None,
        errors: 0,
        warnings: 0,
        findings: Vec::new(),
        report: None,
    }
}

fn input_name(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Text => "text",
        InputKind::Markdown => "markdown",
        InputKind::Html => "html",
        InputKind::Docx => "docx",
        InputKind::Pdf => "pdf",
        InputKind::Office => "office",
        InputKind::Binary => "binary",
    }
}

/// Compiles `source` into `entry`; `lines` says whether the lines of its
/// diagnostics are lines of the audited file.
fn check(
    entry: &mut Entry,
    source: &crate::SourceFile,
    loader: &dyn Loader,
    wants: Wants,
    lines: bool,
) {
    // The model's tables only for the places of the findings; the header
    // (agency, year) is in the model either way.
    let places = wants.report || wants.places;
    let build = if places {
        crate::check::Wants::BUILD
    } else {
        crate::check::Wants::CHECK
    };
    let compilation = crate::compile_in_chain(source, loader, build, wants.compile);
    let header = &compilation.report.header;
    entry.agency = Some(header.agency.clone()).filter(|agency| !agency.is_empty());
    entry.year = Some(header.year).filter(|year| *year != 0);
    entry.form = crate::modules::BUILTINS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| {
            let file = format!("<gdr>/{name}.gdr");
            compilation
                .sources
                .files()
                .iter()
                .any(|source| source.name == file)
        });
    let places = places.then(|| Places::of(compilation.sources.main(), &compilation.report));
    let mut found = findings(
        &compilation.sources,
        &compilation.diagnostics,
        lines,
        places.as_ref(),
    );
    for finding in &mut found {
        finding.names = finding
            .place
            .and_then(|place| place_names(place, &compilation.report));
    }
    entry.findings.extend(found);
    if wants.report {
        entry.report = Some(compilation.report);
    }
}

/// The errors and warnings among `diagnostics` as findings.
fn findings(
    sources: &crate::Sources,
    diagnostics: &[crate::Diagnostic],
    lines: bool,
    places: Option<&Places>,
) -> Vec<Finding> {
    diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity != Severity::Note)
        .map(|diagnostic| {
            let span = diagnostic.span().filter(|span| span.file() == FileId::MAIN);
            let at = span.filter(|_| lines).map(|span| {
                sources
                    .file_of(span.start as usize)
                    .line_col(span.start as usize)
            });
            Finding {
                code: diagnostic.code,
                severity: diagnostic.severity,
                line: at.map(|at| at.line),
                column: at.map(|at| at.column),
                message: in_words(sources, diagnostic),
                place: span.and_then(|span| places.and_then(|places| places.find(span))),
                names: None,
            }
        })
        .collect()
}

/// A diagnostic's message in one line; a failed check's with the check
/// as written (the text its labels cover, in the file where they are
/// together: the report's, or the form library's for a form's check) and
/// the numbers of its labels.
fn in_words(sources: &crate::Sources, diagnostic: &crate::Diagnostic) -> Text {
    if !matches!(diagnostic.code, Code::CheckFailed | Code::ExpectFailed) {
        return diagnostic.message.clone();
    }
    let labels = &diagnostic.labels;
    let in_file = |file: FileId| labels.iter().filter(move |label| label.span.file() == file);
    let Some(file) = labels
        .iter()
        .map(|label| label.span.file())
        .find(|&file| in_file(file).count() > 1)
        .or_else(|| {
            labels
                .iter()
                .find(|label| !label.primary)
                .map(|label| label.span.file())
        })
    else {
        return diagnostic.message.clone();
    };
    let cover = in_file(file)
        .map(|label| label.span)
        .reduce(Span::to)
        .unwrap_or_default();
    let check = sources
        .slice(cover)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let numbers: Vec<Text> = in_file(file).map(|label| label.message.clone()).collect();
    match numbers.as_slice() {
        [left, right] => tr!(
            "{message}: `{check}`, left {left}, right {right}",
            message = diagnostic.message.clone(),
            check = check,
            left = left.clone(),
            right = right.clone()
        ),
        _ => tr!(
            "{message}: `{check}`",
            message = diagnostic.message.clone(),
            check = check
        ),
    }
}

fn count(entry: &mut Entry) {
    entry.errors = entry.findings.iter().filter(|f| f.is_error()).count();
    entry.warnings = entry.findings.len() - entry.errors;
}

/// Where the cells and tables of a report are in its source, to place a
/// diagnostic on the model's cell or table.
struct Places {
    /// Every stated cell of the report's own tables and instances, by span,
    /// sorted by start.
    cells: Vec<(Span, Place)>,
    /// Every table and instance, by span.
    tables: Vec<(Span, usize)>,
}

impl Places {
    fn of(source: &crate::SourceFile, report: &model::Report) -> Places {
        let parsed = crate::syntax::parse(source);
        let by_name: HashMap<&str, usize> = report
            .tables
            .iter()
            .enumerate()
            .rev()
            .map(|(index, table)| (table.name.as_str(), index))
            .collect();
        let mut places = Places {
            cells: Vec::new(),
            tables: Vec::new(),
        };
        places.collect(&parsed.document.items, report, &by_name);
        places.cells.sort_by_key(|(span, _)| span.start);
        places
    }

    fn collect(
        &mut self,
        items: &[ast::Item],
        report: &model::Report,
        by_name: &HashMap<&str, usize>,
    ) {
        for item in items {
            match item {
                ast::Item::Section(section) => self.collect(&section.items, report, by_name),
                ast::Item::Table(table) => {
                    let Some(&index) = by_name.get(table.name.value.as_str()) else {
                        continue;
                    };
                    self.tables.push((table.span, index));
                    let rows = crate::render::data_rows(&report.tables[index]);
                    let mut path = Vec::new();
                    for (_, entries) in &table.rows {
                        self.own_rows(entries, &mut path, index, &rows);
                    }
                }
                ast::Item::Instance(instance) => {
                    let Some(&index) = by_name.get(instance.name.value.as_str()) else {
                        continue;
                    };
                    self.tables.push((instance.span, index));
                    let rows = crate::render::data_rows(&report.tables[index]);
                    for row in &instance.rows {
                        let path: Vec<&str> =
                            row.path.iter().map(|name| name.value.as_str()).collect();
                        // A row may be named by its last names only.
                        let mut found = rows
                            .iter()
                            .enumerate()
                            .filter(|(_, names)| names.ends_with(&path));
                        if let (Some((ordinal, _)), None) = (found.next(), found.next()) {
                            self.row_cells(&row.cells, index, ordinal);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn own_rows<'a>(
        &mut self,
        entries: &'a [ast::RowEntry],
        path: &mut Vec<&'a str>,
        table: usize,
        rows: &[Vec<&str>],
    ) {
        for entry in entries {
            path.push(&entry.name.value);
            match &entry.kind {
                ast::RowKind::Group(children) => self.own_rows(children, path, table, rows),
                ast::RowKind::Leaf {
                    cells: Some(cells), ..
                } => {
                    if let Some(ordinal) = rows.iter().position(|names| names == path) {
                        self.row_cells(cells, table, ordinal);
                    }
                }
                ast::RowKind::Leaf { cells: None, .. } => {}
            }
            path.pop();
        }
    }

    fn row_cells(&mut self, cells: &ast::Cells, table: usize, row: usize) {
        for (column, cell) in cells.cells.iter().enumerate() {
            self.cells
                .push((cell.span(), Place::Cell { table, row, column }));
        }
    }

    /// The cell whose source holds `span`, else the table that does.
    fn find(&self, span: Span) -> Option<Place> {
        let after = self
            .cells
            .partition_point(|(cell, _)| cell.start <= span.start);
        if let Some((cell, place)) = after.checked_sub(1).map(|index| &self.cells[index])
            && span.end <= cell.end
        {
            return Some(*place);
        }
        self.tables
            .iter()
            .filter(|(table, _)| table.start <= span.start && span.end <= table.end)
            .min_by_key(|(table, _)| table.end - table.start)
            .map(|&(_, table)| Place::Table { table })
    }
}

/// An output format of [`write`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns, one line per report, then the totals.
    Table,
    /// `gdr-audit/1`: docs/audit.md.
    Json,
    /// One row per report, with a header row.
    Csv,
    /// One self-contained page: the reports in a sortable table, each
    /// rendered with its findings marked.
    Html,
}

/// The sums over the entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub reports: usize,
    /// Reports with at least one error (an input that could not be
    /// imported is one).
    pub failing: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Totals {
    pub fn of(entries: &[Entry]) -> Totals {
        Totals {
            reports: entries.len(),
            failing: entries.iter().filter(|entry| entry.errors > 0).count(),
            errors: entries.iter().map(|entry| entry.errors).sum(),
            warnings: entries.iter().map(|entry| entry.warnings).sum(),
        }
    }

    /// `5 reports, 3 with errors: 21 errors, 2 warnings`.
    pub fn text(&self) -> Text {
        let reports = match self.reports {
            1 => tr!("1 report"),
            count => tr!("{count} reports", count = count),
        };
        let errors = match self.errors {
            1 => tr!("1 error"),
            count => tr!("{count} errors", count = count),
        };
        let warnings = match self.warnings {
            1 => tr!("1 warning"),
            count => tr!("{count} warnings", count = count),
        };
        tr!(
            "{reports}, {failing} with errors: {errors}, {warnings}",
            reports = reports,
            failing = self.failing,
            errors = errors,
            warnings = warnings
        )
    }
}

/// The entries in `format`, words in `lang`.
pub fn write(entries: &[Entry], format: Format, lang: Lang) -> String {
    match format {
        Format::Table => table(entries, lang),
        Format::Json => json(entries, lang),
        Format::Csv => csv(entries, lang),
        Format::Html => html(entries, lang),
    }
}

/// A finding in one line: `E0402 message`.
fn summary_line(finding: &Finding, lang: Lang) -> String {
    format!("{} {}", finding.code.as_str(), finding.message.render(lang))
}

/// The widest an agency is shown in the table, in terminal columns.
const AGENCY_WIDTH: usize = 24;

/// `text` cut to `width` terminal columns, with `…` where it was cut.
fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn table(entries: &[Entry], lang: Lang) -> String {
    let head = [
        tr!("FILE"),
        tr!("AGENCY"),
        tr!("YEAR"),
        tr!("FORM"),
        tr!("ERRORS"),
        tr!("WARNINGS"),
        tr!("FIRST FINDING"),
    ]
    .map(|text| text.render(lang));
    let dash = || "-".to_string();
    let rows: Vec<[String; 7]> = entries
        .iter()
        .map(|entry| {
            [
                entry.file.clone(),
                entry
                    .agency
                    .as_deref()
                    .map_or_else(dash, |agency| truncate(agency, AGENCY_WIDTH)),
                entry.year.map_or_else(dash, |year| year.to_string()),
                entry.form.map_or_else(dash, str::to_string),
                entry.errors.to_string(),
                entry.warnings.to_string(),
                entry
                    .first()
                    .map_or_else(dash, |finding| summary_line(finding, lang)),
            ]
        })
        .collect();
    let mut widths = head.clone().map(|text| text.width());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&head).chain(&rows) {
        let mut line = String::new();
        for (index, cell) in row.iter().enumerate() {
            if index + 1 == row.len() {
                line.push_str(cell);
                break;
            }
            // Numbers to the right, words to the left.
            let pad = " ".repeat(widths[index] - cell.width());
            if (4..6).contains(&index) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&Totals::of(entries).text().render(lang));
    out.push('\n');
    out
}

/// `gdr-audit/1`.
#[derive(Serialize)]
struct JsonAudit<'a> {
    format: &'static str,
    reports: Vec<JsonEntry<'a>>,
    totals: Totals,
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    file: &'a str,
    input: &'static str,
    agency: Option<&'a str>,
    year: Option<i32>,
    form: Option<&'static str>,
    errors: usize,
    warnings: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: &'static str,
    code: &'static str,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    place: Option<&'a PlaceNames>,
}

fn place_names(place: Place, report: &model::Report) -> Option<PlaceNames> {
    let (table, cell) = match place {
        Place::Cell { table, row, column } => (table, Some((row, column))),
        Place::Table { table } => (table, None),
    };
    let table = report.tables.get(table)?;
    let mut out = PlaceNames {
        table: table.name.clone(),
        row: None,
        column: None,
    };
    if let Some((row, column)) = cell {
        let rows = crate::render::data_rows(table);
        out.row = rows
            .get(row)
            .map(|names| names.iter().map(|name| name.to_string()).collect());
        out.column = leaf_columns(&table.columns)
            .get(column)
            .map(|name| name.to_string());
    }
    Some(out)
}

fn leaf_columns(columns: &[model::Column]) -> Vec<&str> {
    let mut out = Vec::new();
    for column in columns {
        if column.children.is_empty() {
            out.push(column.name.as_str());
        } else {
            out.extend(leaf_columns(&column.children));
        }
    }
    out
}

fn json(entries: &[Entry], lang: Lang) -> String {
    let audit = JsonAudit {
        format: "gdr-audit/1",
        reports: entries
            .iter()
            .map(|entry| JsonEntry {
                file: &entry.file,
                input: entry.input,
                agency: entry.agency.as_deref(),
                year: entry.year,
                form: entry.form,
                errors: entry.errors,
                warnings: entry.warnings,
                findings: entry
                    .findings
                    .iter()
                    .map(|finding| JsonFinding {
                        severity: finding.severity.as_str(),
                        code: finding.code.as_str(),
                        line: finding.line,
                        column: finding.column,
                        message: finding.message.render(lang),
                        place: finding.names.as_ref(),
                    })
                    .collect(),
            })
            .collect(),
        totals: Totals::of(entries),
    };
    // Strings and numbers only: serialising cannot fail.
    let mut out = serde_json::to_string_pretty(&audit).unwrap_or_default();
    out.push('\n');
    out
}

/// A CSV field: quoted when it holds a comma, a quote or a line break; a
/// field that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`)
/// gets a leading `'`.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text != "-" {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// CSV (RFC 4180, CRLF line ends) after a UTF-8 byte-order mark, so that
/// spreadsheets read the Chinese text as UTF-8.
fn csv(entries: &[Entry], lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let head = [
        "file", "input", "agency", "year", "form", "errors", "warnings", "code", "line", "finding",
    ];
    out.push_str(&head.join(","));
    out.push_str("\r\n");
    for entry in entries {
        let first = entry.first();
        let fields = [
            entry.file.clone(),
            entry.input.to_string(),
            entry.agency.clone().unwrap_or_default(),
            entry.year.map(|year| year.to_string()).unwrap_or_default(),
            entry.form.unwrap_or_default().to_string(),
            entry.errors.to_string(),
            entry.warnings.to_string(),
            first
                .map(|f| f.code.as_str().to_string())
                .unwrap_or_default(),
            first
                .and_then(|f| f.line)
                .map(|line| line.to_string())
                .unwrap_or_default(),
            first.map(|f| f.message.render(lang)).unwrap_or_default(),
        ];
        let fields: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `text` as a JSON string to put, unescaped, between `<script
/// type="application/json">` and `</script>`: with every `<`, `>` and `&`
/// as a `\u` escape, it can neither end the script nor open a comment.
fn script_json(text: &str) -> String {
    // Serialising a string cannot fail.
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The audit page.
#[derive(Template)]
#[template(path = "audit.html")]
struct Page {
    lang: &'static str,
    words: Words,
    totals: String,
    rows: Vec<RowView>,
}

/// The page's own words, in the reader's language.
struct Words {
    title: String,
    file: String,
    agency: String,
    year: String,
    form: String,
    errors: String,
    warnings: String,
    first: String,
    sort: String,
    not_rendered: String,
}

struct RowView {
    /// The anchor of the report's section: `r1`, `r2` …
    id: String,
    file: String,
    agency: String,
    year: String,
    form: String,
    errors: usize,
    warnings: usize,
    first: String,
    /// `error`, `warning` or `clean`.
    class: &'static str,
    /// The report rendered with its findings marked, a page of its own
    /// shown in a frame, as a JSON string that is safe inside `<script>`
    /// ([`script_json`]).
    rendered: Option<String>,
    /// The findings, for an input that was not rendered.
    findings: Vec<String>,
}

fn html(entries: &[Entry], lang: Lang) -> String {
    let render = |text: Text| text.render(lang);
    let words = Words {
        title: render(tr!("gdr audit")),
        file: render(tr!("File")),
        agency: render(tr!("Agency")),
        year: render(tr!("Year")),
        form: render(tr!("Form")),
        errors: render(tr!("Errors")),
        warnings: render(tr!("Warnings")),
        first: render(tr!("First finding")),
        sort: render(tr!("click a column's head to sort by it")),
        not_rendered: render(tr!(
            "gdr could not read this report, so there is nothing to show but the finding."
        )),
    };
    let rows = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let marks: Vec<crate::render::Mark> = entry
                .findings
                .iter()
                .map(|finding| crate::render::Mark {
                    code: finding.code.as_str().to_string(),
                    error: finding.is_error(),
                    location: finding
                        .line
                        .map(|line| tr!("line {line}", line = line).render(lang)),
                    message: finding.message.render(lang),
                    place: finding.place,
                })
                .collect();
            let rendered = entry
                .report
                .as_ref()
                .filter(|_| !entry.failed())
                .map(|report| {
                    script_json(&crate::render::html_with_marks(
                        report,
                        crate::render::Options::default(),
                        &marks,
                    ))
                });
            RowView {
                id: format!("r{}", index + 1),
                file: entry.file.clone(),
                agency: entry.agency.clone().unwrap_or_default(),
                year: entry.year.map(|year| year.to_string()).unwrap_or_default(),
                form: entry.form.unwrap_or_default().to_string(),
                errors: entry.errors,
                warnings: entry.warnings,
                first: entry
                    .first()
                    .map(|finding| summary_line(finding, lang))
                    .unwrap_or_default(),
                class: if entry.errors > 0 {
                    "error"
                } else if entry.warnings > 0 {
                    "warning"
                } else {
                    "clean"
                },
                findings: if rendered.is_some() {
                    Vec::new()
                } else {
                    entry
                        .findings
                        .iter()
                        .map(|finding| summary_line(finding, lang))
                        .collect()
                },
                rendered,
            }
        })
        .collect();
    let page = Page {
        lang: match lang {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        },
        words,
        totals: Totals::of(entries).text().render(lang),
        rows,
    };
    // Rendering into a String only fails if a Display impl fails; ours
    // are plain strings and numbers.
    page.render().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"report { title "t" agency "某局" year 2020 }

section "一、表" {
  table 表 "表" {
    unit 件
    columns {
      甲
      乙
      合计 = 甲 + 乙
    }
    rows {
      组 {
        一 [1, 2, 3]
        二 [1, 1, 5]
      }
      三 [0, 0, 0]
    }
    check 组.一 + 组.二 == 三
  }
}
"#;

    fn wants() -> Wants {
        Wants {
            report: true,
            places: true,
            compile: crate::Options::default(),
        }
    }

    #[test]
    fn findings_are_placed_on_their_cell_or_table_and_marked() {
        let entry = audit(
            "r.gdr",
            REPORT.as_bytes(),
            &crate::modules::NoFiles,
            wants(),
        );
        assert_eq!((entry.errors, entry.warnings), (4, 0));
        assert_eq!(entry.agency.as_deref(), Some("某局"));
        assert_eq!((entry.year, entry.form), (Some(2020), None));
        let first = &entry.findings[0];
        assert_eq!((first.code, first.line), (Code::ContradictedCell, Some(14)));
        // 二 is the second data row; 合计 the third leaf column.
        assert_eq!(
            first.place,
            Some(Place::Cell {
                table: 0,
                row: 1,
                column: 2
            })
        );
        assert_eq!(entry.findings[1].place, Some(Place::Table { table: 0 }));
        assert_eq!(
            entry.findings[1].message.render(Lang::En),
            "check failed in column 甲: `组.一 + 组.二 == 三`, left 1 + 1 = 2, right 0"
        );
        let report = entry.report.as_ref().expect("the report");
        assert_eq!(
            crate::render::data_rows(&report.tables[0]),
            [["组", "一"].as_slice(), &["组", "二"], &["三"]]
        );
        let page = html(std::slice::from_ref(&entry), Lang::En);
        // The cell of 二 under 合计, and no other, is marked with its number.
        let marked = r#"\u003ctd class=\"num marked\" title=\"E0402 `表.组.二[合计]` is stated as 5, but its column formula gives 2\"\u003e\u003csup class=\"mark\"\u003e1\u003c/sup\u003e5\u003c/td\u003e"#;
        assert!(page.contains(marked), "{page}");
        assert_eq!(page.matches("num marked").count(), 1);
    }

    /// JSON's places are named at the check and the report dropped, so
    /// that an audit of thousands of reports does not hold their models.
    #[test]
    fn places_by_name_keep_no_report() {
        let wants = Wants {
            report: false,
            ..wants()
        };
        let entry = audit("r.gdr", REPORT.as_bytes(), &crate::modules::NoFiles, wants);
        assert!(entry.report.is_none());
        let names = |index: usize| entry.findings[index].names.clone();
        assert_eq!(
            names(0),
            Some(PlaceNames {
                table: "表".to_string(),
                row: Some(vec!["组".to_string(), "二".to_string()]),
                column: Some("合计".to_string()),
            })
        );
        assert_eq!(
            names(1),
            Some(PlaceNames {
                table: "表".to_string(),
                row: None,
                column: None,
            })
        );
        let without = audit(
            "r.gdr",
            REPORT.as_bytes(),
            &crate::modules::NoFiles,
            Wants {
                places: false,
                ..wants
            },
        );
        assert!(
            without
                .findings
                .iter()
                .all(|finding| finding.names.is_none())
        );
    }

    #[test]
    fn a_row_of_an_instance_is_found_by_its_last_names() {
        let source = "report { title \"t\" agency \"a\" year 2020 }\nuse gov_disclosure_2019\nsection \"三、收到和处理政府信息公开申请情况\" {\n  table 申请 = 申请处理情况 {\n    予以公开 [1, 0, 0, 0, 0, 0, 5]\n    rest 0\n  }\n}\n";
        let entry = audit(
            "r.gdr",
            source.as_bytes(),
            &crate::modules::NoFiles,
            wants(),
        );
        assert_eq!(entry.form, Some("gov_disclosure_2019"));
        let finding = entry
            .findings
            .iter()
            .find(|finding| {
                finding.code == Code::ContradictedCell
                    && finding.message.render(Lang::En).contains("予以公开")
            })
            .expect("E0402 at the cell");
        let report = entry.report.as_ref().expect("the report");
        let Some(Place::Cell { table, row, column }) = finding.place else {
            panic!("{finding:?}")
        };
        let rows = crate::render::data_rows(&report.tables[table]);
        assert_eq!(rows[row], ["办理", "予以公开"]);
        assert_eq!(column, 6);
    }

    #[test]
    fn inputs_that_are_not_reports_are_findings() {
        let pdf = audit("a.pdf", b"%PDF-1.4 ...", &crate::modules::NoFiles, wants());
        assert_eq!((pdf.input, pdf.errors, pdf.failed()), ("pdf", 1, true));
        assert_eq!(pdf.findings[0].code, Code::ImportUnreadable);
        assert!(pdf.report.is_none());
        let not_utf8 = audit("b.gdr", b"report \xff", &crate::modules::NoFiles, wants());
        assert_eq!((not_utf8.input, not_utf8.errors), ("gdr", 1));
        assert_eq!(not_utf8.findings[0].line, Some(1));
    }

    #[test]
    fn user_text_never_becomes_markup() {
        let source = REPORT.replace("某局", "<script>alert(1)</script>");
        let name = "<img src=x onerror=alert(1)>.gdr";
        let entry = audit(name, source.as_bytes(), &crate::modules::NoFiles, wants());
        let page = html(&[entry], Lang::En);
        assert!(!page.contains("<script>alert") && !page.contains("<img"));
        assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
        assert_eq!(
            page.matches("<script").count(),
            2,
            "the page's own and the report's JSON"
        );
    }

    #[test]
    fn a_page_in_a_script_cannot_end_the_script() {
        let page = "<p>a</p></script><script>alert(1)</script><!-- & \u{2028}";
        let json = script_json(page);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), page);
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-"), "-");
    }

    #[test]
    fn long_agencies_are_cut_by_terminal_columns() {
        assert_eq!(truncate("某局", 24), "某局");
        let cut = truncate("新乡市平原城乡一体化示范区管理委员会", 24);
        assert_eq!(cut, "新乡市平原城乡一体化示…");
        assert!(cut.width() <= 24);
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
