//! The reader of Word `.docx` files: paragraphs and tables (with their
//! `gridSpan` / `vMerge` merges). (Not yet written: the file is refused.)

use super::Failure;
use super::document::Document;
use crate::tr;

/// Reads a `.docx` file into the neutral document.
pub fn read(_bytes: &[u8]) -> Result<Document, Failure> {
    Err(Failure::unreadable(tr!(
        "gdr import does not read .docx files yet: open the file in Word, copy the report and paste it into a text file"
    )))
}
