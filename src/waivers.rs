//! Waivers: `allow CODE "reason"` records a known problem instead of
//! failing (LANGUAGE.md §6, §9 rule 25).
//!
//! A waiver at the end of a check covers that check; a waiver statement
//! covers its block (a section, a table, an instance, or the whole file at
//! the top level). A waived diagnostic becomes a note that says why, and is
//! listed in the model so that every output shows it. A waiver that waives
//! nothing is W0107.

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::model;
use crate::source::Sources;
use crate::span::Span;
use crate::syntax::ast;
use crate::tr;

/// Applies the waivers of `document` to `diagnostics`; returns what was
/// waived, for the model.
pub fn apply(
    sources: &Sources,
    document: &ast::Document,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<model::Waived> {
    let whole_file = Span::new(0, sources.main().end());
    let mut waivers: Vec<(&ast::Waiver, Span)> = Vec::new();
    collect(&document.items, whole_file, &mut waivers);
    let mut used = vec![false; waivers.len()];
    let mut problems = Vec::new();
    let codes: Vec<Option<Code>> = waivers
        .iter()
        .map(|(waiver, _)| {
            let code = Code::parse(&waiver.code.value);
            match code {
                None => problems.push(
                    Diagnostic::new(
                        Code::UselessWaiver,
                        tr!(
                            "`{code}` is not a diagnostic code",
                            code = waiver.code.value
                        ),
                    )
                    .primary(waiver.code.span, tr!("no such code"))
                    .help(tr!("`gdr explain` lists the codes")),
                ),
                Some(code) if code.as_str().starts_with("E01") => problems.push(
                    Diagnostic::new(Code::UselessWaiver, tr!("a syntax error cannot be waived"))
                        .primary(waiver.code.span, tr!("fix the syntax instead")),
                ),
                Some(_) => {}
            }
            code
        })
        .collect();
    let mut waived = Vec::new();
    for diagnostic in diagnostics.iter_mut() {
        let Some(span) = diagnostic.span() else {
            continue;
        };
        // The innermost waiver of this code whose block holds the problem.
        let found = waivers
            .iter()
            .enumerate()
            .filter(|(index, (_, scope))| {
                codes[*index] == Some(diagnostic.code)
                    && !diagnostic.code.as_str().starts_with("E01")
                    && scope.start <= span.start
                    && span.start <= scope.end
            })
            .min_by_key(|(_, (_, scope))| scope.end - scope.start);
        let Some((index, (waiver, _))) = found else {
            continue;
        };
        used[index] = true;
        let line = sources.line(waiver.span);
        diagnostic.severity = Severity::Note;
        diagnostic.notes.insert(
            0,
            tr!(
                "waived on line {line}: {reason}",
                line = line,
                reason = waiver.reason.value
            ),
        );
        waived.push(model::Waived {
            code: diagnostic.code.as_str().to_string(),
            message: diagnostic.message.render(crate::diagnostics::Lang::En),
            message_zh: diagnostic.message.render(crate::diagnostics::Lang::Zh),
            line: sources.line(span),
            reason: waiver.reason.value.to_string(),
        });
    }
    for (index, (waiver, _)) in waivers.iter().enumerate() {
        if !used[index] && codes[index].is_some_and(|code| !code.as_str().starts_with("E01")) {
            problems.push(
                Diagnostic::new(
                    Code::UselessWaiver,
                    tr!("`allow {code}` waives nothing", code = waiver.code.value),
                )
                .primary(
                    waiver.span,
                    tr!("no `{code}` here to waive", code = waiver.code.value),
                )
                .help(tr!(
                    "remove the waiver, or move it to the check or block it is meant for"
                )),
            );
        }
    }
    diagnostics.extend(problems);
    crate::diagnostics::sort_and_dedup(diagnostics);
    waived
}

/// Every waiver with the span it covers.
fn collect<'a>(items: &'a [ast::Item], block: Span, out: &mut Vec<(&'a ast::Waiver, Span)>) {
    for item in items {
        match item {
            ast::Item::Allow(waiver) => out.push((waiver, block)),
            ast::Item::Check(check) => trailing(check, out),
            ast::Item::Section(section) => collect(&section.items, section.span, out),
            ast::Item::Table(table) => {
                table.checks.iter().for_each(|check| trailing(check, out));
                out.extend(table.waivers.iter().map(|waiver| (waiver, table.span)));
            }
            ast::Item::Instance(instance) => {
                instance
                    .checks
                    .iter()
                    .for_each(|check| trailing(check, out));
                out.extend(
                    instance
                        .waivers
                        .iter()
                        .map(|waiver| (waiver, instance.span)),
                );
            }
            _ => {}
        }
    }
}

fn trailing<'a>(check: &'a ast::Check, out: &mut Vec<(&'a ast::Waiver, Span)>) {
    if let Some(waiver) = &check.waiver {
        out.push((waiver, check.span));
    }
}
