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
            disputes,
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
            for (formula, derived) in disputes {
                text.push_str("\n\n");
                text.push_str(
                    &tr!(
                        "disputed: `{formula}` gives {derived}",
                        formula = formula.as_str(),
                        derived = derived.as_str()
                    )
                    .render(lang),
                );
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
        SymbolInfo::Form { name } => tr!("form `{name}`", name = name.as_str()).render(lang),
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

    const TABLE: &str = "report { title \"t\" agency \"a\" year 2020 }\n\
        table 表 \"表\" {\n  unit 件\n  columns {\n    甲 \"甲列\"\n    乙\n    和 = sum(甲, 乙)\n  }\n\
        rows {\n    一 [1, 2, auto]\n    二 [3, 4, 8]\n  }\n}\n";

    fn hover_at(needle: &str, nth: usize) -> Option<Hover> {
        let compilation =
            crate::compile_for_editor(&SourceFile::new("r.gdr", TABLE), &crate::modules::NoFiles);
        let offset = TABLE.match_indices(needle).nth(nth).expect("the needle").0;
        hover(&compilation, offset, Lang::En)
    }

    #[test]
    fn auto_shows_the_derived_value_and_its_formula() {
        let hover = hover_at("auto", 0).expect("a hover");
        assert_eq!(hover.markdown, "`表.一[和]` = 3件\n\n= `sum(甲, 乙)`");
    }

    #[test]
    fn a_stated_cell_says_which_formula_disputes_it() {
        let hover = hover_at("8", 0).expect("a hover");
        assert_eq!(
            hover.markdown,
            "`表.二[和]` = 8件\n\n= `sum(甲, 乙)`\n\ndisputed: `sum(甲, 乙)` gives 7件"
        );
        let hover = hover_at("3", 0).expect("a hover");
        assert_eq!(hover.markdown, "`表.二[甲]` = 3件");
    }

    #[test]
    fn a_column_declaration_shows_its_label() {
        let hover = hover_at("甲", 0).expect("a hover");
        assert_eq!(hover.markdown, "`表.甲`: 甲列");
    }

    #[test]
    fn a_row_of_an_instance_lists_its_cells() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
                    use gov_disclosure_2019\n\
                    table 申请 = 申请处理情况 {\n  新收 [10, 2, 0, 0, 0, 0, auto]\n  rest 0\n}\n";
        let compilation =
            crate::compile_for_editor(&SourceFile::new("r.gdr", text), &crate::modules::NoFiles);
        let row = text.find("新收").unwrap();
        let hover = hover(&compilation, row, Lang::En).expect("a hover");
        assert_eq!(hover.range, Span::new(row, row + "新收".len()));
        assert!(
            hover.markdown.starts_with("`申请.新收` 一、本年新收"),
            "{}",
            hover.markdown
        );
        assert!(hover.markdown.contains("总计 12"), "{}", hover.markdown);
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
