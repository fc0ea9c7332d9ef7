//! [`Poisoned`]: the mark of a value that could not be computed. It is made
//! only where the reason is reported, so that every poisoned value stands
//! for a diagnostic: one mistake, one diagnostic, and never none.

use crate::diagnostics::Diagnostic;

/// A value that could not be computed; its error is already reported.
/// Later computations pass it on silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Poisoned(());

impl Poisoned {
    /// Reports `diagnostic`, and poisons what it is about.
    pub fn report(diagnostics: &mut Vec<Diagnostic>, diagnostic: Diagnostic) -> Poisoned {
        diagnostics.push(diagnostic);
        Poisoned(())
    }

    /// Poisons a malformed expression or cell: the parser has reported it
    /// (`ast::Expr::Malformed`, `ast::CellValue::Malformed`).
    pub fn malformed() -> Poisoned {
        Poisoned(())
    }

    /// Poisons a reference to what only an item that did not parse
    /// declares, or the cells of a row whose statement did not parse: the
    /// parser has reported that item or statement.
    pub fn broken() -> Poisoned {
        Poisoned(())
    }
}
