//! Turning diagnostics into text. The only module that uses
//! codespan-reporting.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use std::borrow::Cow;
use std::collections::HashMap;

use super::view::View;
use super::{Diagnostic, Family, Label, Lang, Severity};
use crate::source::{SourceFile, Sources};
use crate::span::Span;

/// rustc-style text, with ANSI colours when `color` is set.
pub fn human(sources: &Sources, diagnostics: &[Diagnostic], color: bool, lang: Lang) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for diagnostic in blocks(diagnostics) {
        let labels: Vec<(usize, std::ops::Range<usize>)> = diagnostic
            .labels
            .iter()
            .map(|label| local(sources, label.span))
            .collect();
        let files = View::new(sources, &labels);
        let cs_diagnostic = to_codespan(&files, &labels, &diagnostic, lang);
        let rendered = if color {
            let mut buffer = termcolor::Buffer::ansi();
            term::emit_to_write_style(&mut buffer, &config, &files, &cs_diagnostic)
                .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
        } else {
            term::emit_into_string(&config, &files, &cs_diagnostic)
        };
        // Spans are produced from this same file, so emitting cannot fail;
        // fall back to the short form rather than lose the diagnostic.
        match rendered {
            Ok(text) => out.push_str(&text),
            Err(_) => out.push_str(&short(sources, std::slice::from_ref(&diagnostic), lang)),
        }
    }
    out
}

/// The diagnostics as the human output shows them: each on its own, but
/// the members of a [`Family`] as one, where the first of them is (when
/// every member is there, and there are at least two).
fn blocks(diagnostics: &[Diagnostic]) -> Vec<Cow<'_, Diagnostic>> {
    let key = |diagnostic: &Diagnostic| {
        diagnostic
            .family
            .as_ref()
            .map(|family| (family.key.clone(), diagnostic.code, diagnostic.severity))
    };
    let mut members: HashMap<_, Vec<usize>> = HashMap::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if let Some(key) = key(diagnostic) {
            members.entry(key).or_default().push(index);
        }
    }
    let mut out = Vec::new();
    let mut shown = vec![false; diagnostics.len()];
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if shown[index] {
            continue;
        }
        let whole = diagnostic.family.as_ref().and_then(|family| {
            let found = members.get(&key(diagnostic)?)?;
            (found.len() == family.size && found.len() > 1).then_some((family, found))
        });
        match whole {
            Some((family, found)) => {
                for &at in found {
                    shown[at] = true;
                }
                let group = found.iter().map(|&at| &diagnostics[at]);
                out.push(Cow::Owned(one_for_all(diagnostic, family, group)));
            }
            None => out.push(Cow::Borrowed(diagnostic)),
        }
    }
    out
}

/// The one diagnostic that stands for a family in the human output.
fn one_for_all<'d>(
    first: &Diagnostic,
    family: &Family,
    members: impl Iterator<Item = &'d Diagnostic>,
) -> Diagnostic {
    let mut labels: Vec<Label> = members
        .filter_map(|member| {
            let label = member.family.as_ref()?.label.clone();
            Some(Label {
                span: member.span()?,
                message: label,
                primary: true,
            })
        })
        .collect();
    labels.extend(family.shared.iter().cloned());
    Diagnostic {
        severity: first.severity,
        code: first.code,
        message: family.message.clone(),
        labels,
        // A member's own notes come from later passes (a waiver's reason),
        // the same for every member.
        notes: first.notes.iter().chain(&family.notes).cloned().collect(),
        help: family.help.clone(),
        suggestions: Vec::new(),
        family: None,
    }
}

/// One line per diagnostic: `FILE:LINE:COL: error[E0401]: message`.
pub fn short(sources: &Sources, diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (file, position) = locate(sources, diagnostic.span());
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            file.name,
            position.line,
            position.column,
            diagnostic.severity.as_str(),
            diagnostic.code.as_str(),
            diagnostic.message.render(lang)
        ));
    }
    out
}

/// One JSON object per diagnostic per line (LANGUAGE.md §7).
pub fn json(sources: &Sources, diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (file, position) = locate(sources, diagnostic.span());
        let record = JsonDiagnostic {
            severity: diagnostic.severity.as_str(),
            code: diagnostic.code.as_str(),
            message: diagnostic.message.render(lang),
            file: &file.name,
            line: position.line,
            column: position.column,
            end_line: position.end_line,
            end_column: position.end_column,
            labels: diagnostic
                .labels
                .iter()
                .map(|label| {
                    let (file, position) = locate(sources, Some(label.span));
                    JsonLabel {
                        file: &file.name,
                        line: position.line,
                        column: position.column,
                        end_line: position.end_line,
                        end_column: position.end_column,
                        primary: label.primary,
                        message: label.message.render(lang),
                    }
                })
                .collect(),
            notes: diagnostic
                .notes
                .iter()
                .map(|note| note.render(lang))
                .collect(),
            help: diagnostic
                .help
                .iter()
                .map(|help| help.render(lang))
                .collect(),
        };
        // Serialising plain strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(&record).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=E0401::…`.
pub fn github(sources: &Sources, diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (file, position) = locate(sources, diagnostic.span());
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut text = diagnostic.message.render(lang);
        for extra in diagnostic.notes.iter().chain(&diagnostic.help) {
            text.push('\n');
            text.push_str(&extra.render(lang));
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            github_property(&file.name),
            position.line,
            position.column,
            position.end_line,
            position.end_column,
            diagnostic.code.as_str(),
            github_data(&text)
        ));
    }
    out
}

/// SARIF 2.1.0: one log for all the files checked, with one result per
/// diagnostic. `ruleId` is the code; the rules carry the explanations;
/// `partialFingerprints` identify a result across edits that move it.
pub fn sarif(runs: &[(&Sources, &[Diagnostic])], lang: Lang, version: &str) -> String {
    let mut codes: Vec<super::Code> = runs
        .iter()
        .flat_map(|(_, diagnostics)| diagnostics.iter().map(|d| d.code))
        .collect();
    codes.sort();
    codes.dedup();
    let rules: Vec<serde_json::Value> = codes
        .iter()
        .map(|code| {
            let explanation = code.explain(lang);
            let summary = explanation.lines().next().unwrap_or_default();
            serde_json::json!({
                "id": code.as_str(),
                "shortDescription": { "text": summary },
                "fullDescription": { "text": explanation },
                "help": { "text": explanation, "markdown": explanation },
                "defaultConfiguration": { "level": sarif_level(code.severity()) },
            })
        })
        .collect();
    let mut results = Vec::new();
    for (sources, diagnostics) in runs {
        let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        for diagnostic in *diagnostics {
            let span = diagnostic.span().unwrap_or_default();
            let (file, _) = locate(sources, Some(span));
            let line_text = file
                .text
                .lines()
                .nth(file.line_col(span.start as usize).line - 1)
                .unwrap_or_default()
                .trim();
            // The code, the file and the text of the line, not its number:
            // a result keeps its fingerprint when lines above it move.
            let key = fnv1a(&[diagnostic.code.as_str(), &file.name, line_text]);
            let occurrence = seen.entry(key).or_default();
            *occurrence += 1;
            let mut text = diagnostic.message.render(lang);
            for extra in diagnostic.notes.iter().chain(&diagnostic.help) {
                text.push('\n');
                text.push_str(&extra.render(lang));
            }
            let related: Vec<serde_json::Value> = diagnostic
                .labels
                .iter()
                .enumerate()
                .map(|(id, label)| {
                    let mut location = sarif_location(sources, label.span);
                    location["id"] = serde_json::json!(id);
                    location["message"] = serde_json::json!({ "text": label.message.render(lang) });
                    location
                })
                .collect();
            results.push(serde_json::json!({
                "ruleId": diagnostic.code.as_str(),
                "level": sarif_level(diagnostic.severity),
                "message": { "text": text },
                "locations": [sarif_location(sources, span)],
                "relatedLocations": related,
                "partialFingerprints": {
                    "primaryLocationLineHash": format!("{key:016x}:{occurrence}"),
                },
            }));
        }
    }
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "gdr",
                "version": version,
                "rules": rules,
            } },
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn sarif_location(sources: &Sources, span: Span) -> serde_json::Value {
    let (file, position) = locate(sources, Some(span));
    serde_json::json!({
        "physicalLocation": {
            "artifactLocation": { "uri": file.name.replace('\\', "/") },
            "region": {
                "startLine": position.line,
                "startColumn": position.column,
                "endLine": position.end_line,
                "endColumn": position.end_column,
            },
        },
    })
}

/// A 64-bit FNV-1a hash of the parts, each followed by a NUL.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: String,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    labels: Vec<JsonLabel<'a>>,
    notes: Vec<String>,
    help: Vec<String>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    primary: bool,
    message: String,
}

/// A span's 1-based start and end, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The file a span is in, and where in it the span starts and ends.
fn locate(sources: &Sources, span: Option<Span>) -> (&SourceFile, Position) {
    let span = span.unwrap_or_default();
    let file = sources.file_of(span.start as usize);
    (file, position_of(file, span))
}

/// Where `span` starts and ends in `file`.
pub fn position_of(file: &SourceFile, span: Span) -> Position {
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    Position {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// The index of a span's file among `sources` and its local byte range.
fn local(sources: &Sources, span: Span) -> (usize, std::ops::Range<usize>) {
    let index = sources.index_of(span.start as usize);
    let file = sources.get(index);
    let local = |offset: u32| (offset as usize).clamp(file.start(), file.end()) - file.start();
    (index, local(span.start)..local(span.end))
}

/// The diagnostic for codespan, its labels (`labels`, one per label of the
/// diagnostic, from [`local`]) placed in the text that `files` shows.
fn to_codespan(
    files: &View,
    labels: &[(usize, std::ops::Range<usize>)],
    diagnostic: &Diagnostic,
    lang: Lang,
) -> cs::Diagnostic<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let labels = diagnostic
        .labels
        .iter()
        .zip(labels)
        .map(|(label, (index, range))| {
            let index = *index;
            let range = files.shown(index, range.start)..files.shown(index, range.end);
            let style = if label.primary {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            cs::Label::new(style, index, range).with_message(label.message.render(lang))
        })
        .collect();
    let (note, help) = match lang {
        Lang::En => ("note", "help"),
        Lang::Zh => ("注", "帮助"),
    };
    let notes = diagnostic
        .notes
        .iter()
        .map(|text| format!("{note}: {}", text.render(lang)))
        .chain(
            diagnostic
                .help
                .iter()
                .map(|text| format!("{help}: {}", text.render(lang))),
        )
        .collect();
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(diagnostic.message.render(lang))
        .with_labels(labels)
        .with_notes(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    /// The 总计 column stated as 0 in three rows whose parts are not 0, and
    /// as 5 in a fourth.
    fn unfilled_column() -> crate::Compilation {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
            table 表 \"表\" {\n  unit 件\n  columns {\n    甲\n    乙\n    总计 = sum(甲, 乙)\n  }\n\
            rows {\n    一 [1, 2, 0]\n    二 [3, 0, 0]\n    三 [1, 1, 5]\n    四 [0, 4, 0]\n  }\n}\n";
        crate::compile(&SourceFile::new("r.gdr", text))
    }

    #[test]
    fn a_family_is_one_block_in_human_output_only() {
        let compilation = unfilled_column();
        let diagnostics = &compilation.diagnostics;
        assert_eq!(diagnostics.len(), 4, "{diagnostics:#?}");
        let human = human(&compilation.sources, diagnostics, false, Lang::En);
        assert_eq!(human.matches("error[E0402]").count(), 2, "{human}");
        assert!(human.contains(
            "error[E0402]: column `总计` of `表` is stated as 0 in 3 rows, where its formula gives other values"
        ));
        // The 5 is not in the family, and says so in full.
        assert!(human.contains("`表.三[总计]` is stated as 5, but its column formula gives 2"));
        for text in [
            short(&compilation.sources, diagnostics, Lang::En),
            json(&compilation.sources, diagnostics, Lang::En),
            github(&compilation.sources, diagnostics, Lang::En),
        ] {
            assert_eq!(text.lines().count(), 4, "{text}");
        }
    }

    #[test]
    fn a_family_missing_a_member_is_shown_member_by_member() {
        let compilation = unfilled_column();
        let some: Vec<Diagnostic> = compilation.diagnostics[1..].to_vec();
        let human = human(&compilation.sources, &some, false, Lang::En);
        assert_eq!(human.matches("error[E0402]").count(), 3, "{human}");
        assert!(!human.contains("in 3 rows"), "{human}");
    }
}
