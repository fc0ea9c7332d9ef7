//! The reader of Markdown, as PDF-to-text tools write it: headings,
//! paragraphs and pipe tables. (Not yet written: read as plain text.)

use super::document::Document;

/// Reads Markdown into the neutral document.
pub fn read(input: &str) -> Document {
    super::text::read(input)
}
