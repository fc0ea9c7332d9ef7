//! Quick fixes: the suggestions of the diagnostics (`write `auto``, the
//! number the single-cell hint proposes) that touch a range of the report,
//! as edits.

use crate::Compilation;
use crate::diagnostics::Lang;
use crate::span::Span;

/// One fix: replace `span` (global offsets, in the report) by
/// `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, in the editor's language.
    pub title: String,
    pub span: Span,
    pub replacement: String,
    /// The index in [`Compilation::diagnostics`] of the diagnostic it fixes
    /// (the first, when one fix answers several).
    pub diagnostic: usize,
}

/// The fixes whose span touches `range` (global offsets, ends included),
/// each once, in the order of the diagnostics.
pub fn fixes(compilation: &Compilation, range: Span, lang: Lang) -> Vec<Fix> {
    let main = compilation.sources.main();
    let mut out: Vec<Fix> = Vec::new();
    for (index, diagnostic) in compilation.diagnostics.iter().enumerate() {
        for suggestion in diagnostic.suggestions.iter() {
            let span = suggestion.span;
            let in_main = (span.end as usize) <= main.end();
            let touches = span.start <= range.end && range.start <= span.end;
            let again = out
                .iter()
                .any(|fix| fix.span == span && fix.replacement == suggestion.replacement);
            if in_main && touches && !again {
                out.push(Fix {
                    title: suggestion.message.render(lang),
                    span,
                    replacement: suggestion.replacement.clone(),
                    diagnostic: index,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    #[test]
    fn a_contradicted_cell_can_become_auto_or_what_its_formula_gives() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
            table 表 \"表\" {\n  unit 件\n  columns {\n    甲\n    乙\n    和 = sum(甲, 乙)\n  }\n\
            rows {\n    一 [1, 2, 4]\n  }\n}\n";
        let compilation =
            crate::compile_for_editor(&SourceFile::new("r.gdr", text), &crate::modules::NoFiles);
        let four = text.find('4').unwrap();
        let found = fixes(&compilation, Span::new(four, four), Lang::En);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].title, "write `auto`");
        assert_eq!(found[0].span, Span::new(four, four + 1));
        assert_eq!(found[0].replacement, "auto");
        assert_eq!(found[1].title, "change `表.一[和]` from 4 to 3");
        assert_eq!(found[1].span, Span::new(four, four + 1));
        assert_eq!(found[1].replacement, "3");
        assert!(fixes(&compilation, Span::new(0, 0), Lang::En).is_empty());
    }

    #[test]
    fn a_number_written_with_its_unit_is_replaced_whole() {
        let text = "report { title \"t\" agency \"a\" year 2020 }\n\
            table 表 \"表\" {\n  unit 件\n  columns {\n    甲\n    乙\n    和 = sum(甲, 乙)\n  }\n\
            rows {\n    一 [1, 2, 4件]\n  }\n}\n";
        let compilation =
            crate::compile_for_editor(&SourceFile::new("r.gdr", text), &crate::modules::NoFiles);
        let four = text.find("4件").unwrap();
        let found = fixes(&compilation, Span::new(four, four), Lang::En);
        let change = found
            .iter()
            .find(|fix| fix.replacement == "3")
            .expect("a fix to 3");
        assert_eq!(change.span, Span::new(four, four + "4件".len()));
    }
}
