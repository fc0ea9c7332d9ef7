//! Hover: what a name is, where the cursor is, in words. The facts (a
//! name's value, unit and how it is derived) come from the checker's symbol
//! index ([`crate::Symbol`]); the words are written here, through `tr!`,
//! in the editor's language.

use crate::diagnostics::{Lang, Text};
use crate::span::Span;
use crate::{Compilation, SymbolInfo, tr};

/// What to show for the name under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The name's span (global offsets).
    pub range: Span,
    /// The text to show, in Markdown.
    pub markdown: String,
}

/// The hover of the innermost name at the global byte offset `offset`, in
/// `lang`.
pub fn hover(compilation: &Compilation, offset: usize, lang: Lang) -> Option<Hover> {
    super::symbol_at(compilation, offset).map(|symbol| Hover {
        range: symbol.span,
        markdown: text(&symbol.info, lang),
    })
}

/// A value that is not known (a `?` cell, or one that could not be
/// computed).
const UNKNOWN: &str = "—";

fn text(info: &SymbolInfo, lang: Lang) -> String {
    match info {
        SymbolInfo::Let {
            name,
            value: Some(value),
            expr,
        } => format!(
            "{}\n\n{}",
            tr!(
                "`{name}` = {value}",
                name = name.as_str(),
                value = value.as_str()
            )
            .render(lang),
            tr!(
                "`let {name} = {expr}`",
                name = name.as_str(),
                expr = expr.as_str()
            )
            .render(lang)
        ),
        SymbolInfo::Let {
            name,
            value: None,
            expr,
        } => tr!(
            "`let {name} = {expr}`",
            name = name.as_str(),
            expr = expr.as_str()
        )
        .render(lang),
        SymbolInfo::Value { written, value } => tr!(
            "`{name}` = {value}",
            name = written.as_str(),
            value = value.as_str()
        )
        .render(lang),
        SymbolInfo::Group { written, table } => tr!(
            "`{name}`, a group of table `{table}`",
            name = written.as_str(),
            table = table.as_str()
        )
        .render(lang),
        SymbolInfo::Cell {
            name,
            value: Some(value),
            formulas,
        } => {
            let mut text = tr!(
                "`{name}` = {value}",
                name = name.as_str(),
                value = value.as_str()
            )
            .render(lang);
            for formula in formulas {
                text.push_str(&format!("\n\n= `{formula}`"));
            }
            text
        }
        SymbolInfo::Cell {
            name, value: None, ..
        } => tr!("`{name}`, not known", name = name.as_str()).render(lang),
        SymbolInfo::Row { path, label, cells } => {
            let cells: Vec<Text> = cells
                .iter()
                .map(|(column, value)| {
                    tr!(
                        "{column} {value}",
                        column = column.as_str(),
                        value = value.as_deref().unwrap_or(UNKNOWN)
                    )
                })
                .collect();
            format!(
                "{}\n\n{}",
                tr!(
                    "`{path}` {label}",
                    path = path.as_str(),
                    label = label.as_str()
                )
                .render(lang),
                crate::diagnostics::Arg::List(cells).render(lang)
            )
        }
        SymbolInfo::Column { table, path, label } => tr!(
            "`{table}.{path}`: {label}",
            table = table.as_str(),
            path = path.as_str(),
            label = label.as_str()
        )
        .render(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    #[test]
    fn a_let_shows_its_value() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
                    let 上墙公示 = 1599 条\ncheck 上墙公示 == 1599 条\n";
        let compilation =
            crate::compile_for_editor(&SourceFile::new("r.gdr", text), &crate::modules::NoFiles);
        let used = text.rfind("上墙公示").unwrap();
        let hover = hover(&compilation, used + 3, Lang::En).expect("a hover");
        assert_eq!(hover.range, Span::new(used, used + "上墙公示".len()));
        assert_eq!(
            hover.markdown,
            "`上墙公示` = 1599条\n\n`let 上墙公示 = 1599 条`"
        );
        assert_eq!(super::hover(&compilation, 0, Lang::En), None);
    }

    #[test]
    fn a_row_lists_its_cells_in_the_editors_language() {
        let info = SymbolInfo::Row {
            path: "申请.新收".to_string(),
            label: "一、本年新收".to_string(),
            cells: vec![
                ("自然人".to_string(), Some("16".to_string())),
                ("总计".to_string(), None),
            ],
        };
        assert_eq!(
            text(&info, Lang::En),
            "`申请.新收` 一、本年新收\n\n自然人 16, 总计 —"
        );
        assert_eq!(
            text(&info, Lang::Zh),
            "`申请.新收` 一、本年新收\n\n自然人 16，总计 —"
        );
    }
}
