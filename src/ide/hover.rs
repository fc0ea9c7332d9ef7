//! Hover: what a name is, where the cursor is. The text itself (a name's
//! value, unit and how it is derived) is written by the checker's symbol
//! index ([`crate::check::Symbol::hover`]).

use crate::Compilation;
use crate::span::Span;

/// What to show for the name under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The name's span (global offsets).
    pub range: Span,
    /// The text to show, in Markdown.
    pub markdown: String,
}

/// The hover of the innermost name at the global byte offset `offset`.
pub fn hover(compilation: &Compilation, offset: usize) -> Option<Hover> {
    super::symbol_at(compilation, offset).map(|symbol| Hover {
        range: symbol.span,
        markdown: symbol.hover.clone(),
    })
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
        let hover = hover(&compilation, used + 3).expect("a hover");
        assert_eq!(hover.range, Span::new(used, used + "上墙公示".len()));
        assert!(hover.markdown.contains("1599"), "{}", hover.markdown);
        assert_eq!(super::hover(&compilation, 0), None);
    }
}
