//! What editors need, for every front end that has one (`gdr lsp` and
//! `gdr serve`, the studio in the browser): positions, hover, go-to-definition,
//! quick fixes, completion, the outline and inlay hints, as pure functions over a
//! [`Compilation`] (and a global byte offset) that return library types. Converting to and from a protocol
//! (LSP's `lsp_types`) is the front end's business.
//!
//! Hover and definition read the symbol index that
//! [`crate::compile_for_editor`] builds ([`Compilation::symbols`]); the
//! other entry points leave it empty, and these functions then find
//! nothing.

pub mod completion;
pub mod definition;
pub mod diagnostic;
pub mod fixes;
pub mod hover;
pub mod inlay;
pub mod outline;
pub mod position;

pub use completion::{CompletionItem, CompletionKind, completions};
pub use definition::{Definition, definition, used_path};
pub use fixes::{Fix, fixes};
pub use hover::{Hover, hover};
pub use inlay::{InlayHint, inlay_hints};
pub use outline::{OutlineItem, OutlineKind, outline};
pub use position::Utf16Position;

use crate::Compilation;
use crate::check::Symbol;

/// The innermost name at `offset` (its span's end included, so that a
/// cursor just after a name is on it).
fn symbol_at(compilation: &Compilation, offset: usize) -> Option<&Symbol> {
    compilation
        .symbols
        .iter()
        .filter(|symbol| {
            (symbol.span.start as usize) <= offset && offset <= symbol.span.end as usize
        })
        .min_by_key(|symbol| symbol.span.end - symbol.span.start)
}
