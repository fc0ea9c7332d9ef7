//! Any bytes: the properties of tests/support/properties.rs (no panic,
//! every label inside its file, every diagnostic renders, a report without
//! errors renders in every format, `fmt` idempotent and keeping the
//! diagnostics of input that parses). See docs/fuzzing.md.
#![no_main]

use gdr::SourceFile;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/properties.rs"]
mod properties;

fuzz_target!(|bytes: &[u8]| {
    let (source, _) = SourceFile::from_bytes("fuzz.gdr", bytes);
    if let Err(problem) = properties::check(&source.text) {
        panic!("{problem}");
    }
});
