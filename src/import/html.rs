//! The reader of HTML pages as saved from a portal: the article found among
//! the site's chrome, its encoding found by BOM, `<meta charset>` or
//! detection. (Not yet written: the page is refused.)

use super::Failure;
use super::document::Document;
use crate::tr;

/// Reads an HTML page into the neutral document.
pub fn read(_bytes: &[u8]) -> Result<Document, Failure> {
    Err(Failure::unreadable(tr!(
        "gdr import does not read HTML pages yet: open the page in a browser, select the report, copy it and paste it into a text file"
    )))
}
