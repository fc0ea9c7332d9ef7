//! Any bytes: gdr compiles them without a panic, every label lies inside
//! its file, every diagnostic renders, a report without errors renders in
//! every format, and `fmt` is idempotent. See docs/fuzzing.md.
#![no_main]

use gdr::SourceFile;
use gdr::diagnostics::{Lang, emit};
use gdr::render::{self, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (source, _) = SourceFile::from_bytes("fuzz.gdr", bytes);
    let compilation = gdr::compile(&source);
    for diagnostic in &compilation.diagnostics {
        for label in &diagnostic.labels {
            let file = compilation.sources.file_of(label.span.start as usize);
            assert!(
                label.span.start <= label.span.end && label.span.end as usize <= file.end(),
                "label outside its file: {diagnostic:?}"
            );
        }
    }
    for lang in [Lang::En, Lang::Zh] {
        let _ = emit::human(&compilation.sources, &compilation.diagnostics, false, lang);
        let _ = emit::json(&compilation.sources, &compilation.diagnostics, lang);
    }
    if !compilation.has_errors() {
        for format in Format::ALL {
            let _ = render::render(&compilation.report, format);
        }
    }
    let formatted = gdr::format::format(&source.text);
    assert_eq!(gdr::format::format(&formatted), formatted, "fmt is not idempotent");
});
