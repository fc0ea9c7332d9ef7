//! JSON: the model as data, versioned as `gdr-report/1`.
//!
//! Key order is the field order of the model's structs, so output is
//! deterministic. Numbers are exact decimal strings, never floats. The
//! schema is `schema/gdr-report-1.schema.json`.

use std::io::Write;

use serde::Serialize;

use crate::model;

/// The version tag of the JSON output.
pub const FORMAT: &str = "gdr-report/1";

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    generator: String,
    #[serde(flatten)]
    report: &'a model::Report,
}

fn document(report: &model::Report) -> Document<'_> {
    Document {
        format: FORMAT,
        generator: format!("gdr {}", env!("CARGO_PKG_VERSION")),
        report,
    }
}

pub fn render(report: &model::Report) -> String {
    // The model holds only strings, numbers, booleans and nesting, which
    // serde_json always serialises.
    let mut out = serde_json::to_string_pretty(&document(report)).unwrap_or_default();
    out.push('\n');
    out
}

/// [`render`] into `out`, written as it is made: the JSON of a large
/// report is several times the size of its model. Fails only as `out` does.
pub(crate) fn render_to(report: &model::Report, out: &mut super::Spill<'_>) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    out.write_all(b"\n")
}
