//! JSON: the model as data, versioned as `gdr-report/1`.
//!
//! Key order is the field order of the model's structs, so output is
//! deterministic. Numbers are exact decimal strings, never floats. The
//! schema is `schema/gdr-report-1.schema.json`.

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

pub fn render(report: &model::Report) -> String {
    let document = Document {
        format: FORMAT,
        generator: format!("gdr {}", env!("CARGO_PKG_VERSION")),
        report,
    };
    // The model holds only strings, numbers, booleans and nesting, which
    // serde_json always serialises.
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}
