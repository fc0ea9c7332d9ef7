//! The page's words, in the language asked for: each through `tr!` and
//! the catalogue, like every word gdr shows, so the studio says what
//! `--lang zh` says.

use serde_json::{Map, Value};

use gdr::diagnostics::{Lang, Text};
use gdr::tr;

/// The page's words by key.
pub fn strings(lang: Lang) -> Value {
    let words: [(&str, Text); 31] = [
        ("title", tr!("gdr studio")),
        ("files", tr!("Reports")),
        ("no_files", tr!("No .gdr files in this folder yet.")),
        ("new", tr!("New report")),
        ("save", tr!("Save")),
        ("saved", tr!("Saved")),
        ("unsaved", tr!("Not saved yet")),
        ("problems", tr!("Problems")),
        ("no_problems", tr!("No problems: every check passes.")),
        ("preview", tr!("Preview")),
        (
            "preview_stale",
            tr!("The text has a syntax error: this is the last good preview."),
        ),
        ("download", tr!("Download")),
        (
            "welcome",
            tr!("Open a report on the left, or start a new one."),
        ),
        (
            "conflict",
            tr!(
                "The file changed on disk since you opened it. Your text stays in the editor; below is what differs: − your lines, + the lines on disk."
            ),
        ),
        ("keep_mine", tr!("Save my text over it")),
        ("take_disk", tr!("Take the text on disk")),
        (
            "draft",
            tr!("This report has text you did not save, from an earlier visit."),
        ),
        ("restore", tr!("Restore it")),
        ("discard", tr!("Discard it")),
        ("new_path", tr!("File name")),
        ("new_form", tr!("Form")),
        ("new_year", tr!("Year")),
        ("create", tr!("Create")),
        ("cancel", tr!("Cancel")),
        (
            "offline",
            tr!(
                "The studio's server does not answer: your text is kept in this browser until it does."
            ),
        ),
        ("saving_failed", tr!("Saving failed")),
        (
            "drop",
            tr!(
                "Drop a published report to import it as a new report: its web page saved as HTML, a Word .docx file, or its text"
            ),
        ),
        (
            "import_failed",
            tr!("`{name}` could not be imported", name = "{name}"),
        ),
        (
            "too_large",
            tr!(
                "`{name}` is larger than {size} MB, the most the studio imports",
                name = "{name}",
                size = "{size}"
            ),
        ),
        ("no_pdf", super::api::no_pdf()),
        (
            "imported",
            tr!(
                "Imported on {library}: compare it with the published page",
                library = "{library}"
            ),
        ),
    ];
    let mut map = Map::new();
    for (key, text) in words {
        map.insert(key.to_string(), Value::String(text.render(lang)));
    }
    Value::Object(map)
}
