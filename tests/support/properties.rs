//! The properties every input must have, whatever it is: shared by the
//! bounded fuzz run in `cargo test` (tests/fuzz.rs) and the `cargo fuzz`
//! target (fuzz/fuzz_targets/compile.rs).

use gdr::SourceFile;
use gdr::diagnostics::{Lang, emit};
use gdr::render::{self, Format};

/// Compiles and renders `text`; `Err` describes a broken property (a
/// panic is one too, for the caller to catch or report).
pub fn check(text: &str) -> Result<(), String> {
    let source = SourceFile::new("fuzz.gdr", text);
    let compilation = gdr::compile(&source);
    // `gdr check` skips the report model; it must not miss a diagnostic.
    let (checked, _) = gdr::check_with(&source, &gdr::modules::NoFiles);
    if checked != compilation.diagnostics {
        return Err(format!(
            "check_with reports {checked:?}, compile reports {:?}",
            compilation.diagnostics
        ));
    }
    for diagnostic in &compilation.diagnostics {
        for label in &diagnostic.labels {
            let file = compilation.sources.file_of(label.span.start as usize);
            if label.span.start > label.span.end || (label.span.end as usize) > file.end() {
                return Err(format!("label outside its file: {diagnostic:?}"));
            }
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
    print_round_trips(text)?;
    parsers_agree(text)?;
    recovery_is_sound(text)?;
    // The formatter is idempotent on any input. On input that parses it
    // keeps the codes of the diagnostics (it changes only white space);
    // where a bracket or string is left open, re-indenting may move
    // what the parser's recovery skips, so there only idempotence holds.
    let formatted = gdr::format::format(text);
    if gdr::format::format(&formatted) != formatted {
        return Err(format!("fmt is not idempotent; fmt(x) =\n{formatted}"));
    }
    let parses = |c: &gdr::Compilation| {
        !c.diagnostics.iter().any(|d| {
            matches!(
                d.code,
                gdr::Code::SyntaxError | gdr::Code::Unterminated | gdr::Code::MalformedLiteral
            )
        })
    };
    if !parses(&compilation) {
        return Ok(());
    }
    let codes = |c: &gdr::Compilation| {
        let mut codes: Vec<_> = c.diagnostics.iter().map(|d| d.code).collect();
        codes.sort();
        codes
    };
    let reformatted = gdr::compile(&SourceFile::new("fuzz.gdr", formatted.as_str()));
    if codes(&reformatted) != codes(&compilation) {
        return Err(format!(
            "fmt changed the diagnostics from {:?} to {:?}; fmt(x) =\n{formatted}",
            codes(&compilation),
            codes(&reformatted)
        ));
    }
    Ok(())
}

/// Recovery inside an item (a statement that does not parse is blanked
/// out, `src/syntax/recover.rs`) is sound: every error node lies in the
/// file, and there is one only where a syntax error is reported; a file
/// without a syntax error is parsed as if recovery did not exist, each
/// chunk to what pest makes of it.
pub fn recovery_is_sound(text: &str) -> Result<(), String> {
    let source = SourceFile::new("input.gdr", text);
    let parsed = gdr::syntax::parse(&source);
    let syntax_errors = parsed
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                gdr::Code::SyntaxError | gdr::Code::Unterminated | gdr::Code::TooLarge
            )
        })
        .count();
    let mut errors = 0;
    for item in &parsed.document.items {
        if let gdr::syntax::ast::Item::Error(broken) = item {
            errors += 1;
            if broken.span.start > broken.span.end || broken.span.end as usize > text.len() {
                return Err(format!("error node outside the file: {broken:?}"));
            }
        }
    }
    if errors > 0 && syntax_errors == 0 {
        return Err(format!(
            "{errors} error nodes, but no syntax error reported: {:?}",
            parsed.diagnostics
        ));
    }
    if syntax_errors == 0 {
        let mut pest_items = Vec::new();
        for chunk in gdr::syntax::both_parsers(&source) {
            match chunk.pest {
                Ok((items, _)) => pest_items.extend(items),
                Err(error) => return Err(format!("pest rejects a chunk: {error:?}")),
            }
        }
        if pest_items != parsed.document.items {
            return Err("without a syntax error, the tree is not pest's".to_string());
        }
    }
    Ok(())
}

/// The fast parser and pest agree, chunk by chunk (`gdr::syntax::both_parsers`):
/// where pest accepts a chunk, the fast parser accepts it too, with the
/// same items (spans included) and the same diagnostics; where pest does
/// not, the fast parser does not either, so the chunk's syntax error is
/// pest's. The number of chunks both accept.
pub fn parsers_agree(text: &str) -> Result<usize, String> {
    let mut accepted = 0;
    for chunk in gdr::syntax::both_parsers(&SourceFile::new("input.gdr", text)) {
        match (&chunk.fast, &chunk.pest) {
            (Some(fast), Ok(pest)) if fast == pest => accepted += 1,
            (None, Err(_)) => {}
            (fast, pest) => {
                return Err(format!(
                    "the parsers disagree on bytes {:?}, {:?}:\nfast: {fast:#?}\npest: {pest:#?}",
                    chunk.range,
                    text.get(chunk.range.clone()).unwrap_or_default(),
                ));
            }
        }
    }
    Ok(accepted)
}

/// The printer and the parser agree: the items of `text` that parse,
/// printed, parse again to the same tree (spans aside), without a syntax
/// error, and the printed text is in `gdr fmt` form.
pub fn print_round_trips(text: &str) -> Result<(), String> {
    let mut parsed = gdr::syntax::parse(&SourceFile::new("input.gdr", text));
    // Items that did not parse are not printed.
    parsed
        .document
        .items
        .retain(|item| !matches!(item, gdr::syntax::ast::Item::Error(_)));
    let printed = gdr::syntax::print::print(&parsed.document);
    let reparsed = gdr::syntax::parse(&SourceFile::new("printed.gdr", printed.as_str()));
    let unexpected: Vec<_> = reparsed
        .diagnostics
        .iter()
        .filter(|d| d.code != gdr::Code::MalformedLiteral)
        .collect();
    if !unexpected.is_empty() {
        return Err(format!(
            "the printed text has syntax errors {unexpected:?}; print(x) =\n{printed}"
        ));
    }
    let (before, after) = (
        without_spans(&format!("{:#?}", parsed.document)),
        without_spans(&format!("{:#?}", reparsed.document)),
    );
    if before != after {
        let (line, (a, b)) = before
            .lines()
            .zip(after.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((0, ("(shorter)", "(longer)")));
        return Err(format!(
            "parse(print(x)) differs from parse(x) at line {line} of the trees: \
             {a:?} became {b:?}; print(x) =\n{printed}"
        ));
    }
    if gdr::format::format(&printed) != printed {
        return Err(format!("print(x) is not in fmt form:\n{printed}"));
    }
    Ok(())
}

/// A tree's `{:#?}` with every span (`12..34`, printed outside strings)
/// replaced by `_`, so that trees of different texts can be compared.
pub fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut chars = debug.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
            out.push(c);
        } else if c.is_ascii_digit() {
            let mut token = String::from(c);
            while let Some(&next) = chars.peek() {
                if next.is_ascii_digit() || next == '.' {
                    token.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            let is_span = token
                .split_once("..")
                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.contains('.'));
            out.push_str(if is_span { "_" } else { &token });
        } else {
            out.push(c);
        }
    }
    out
}
