//! Every word gdr shows exists in English and Chinese: each `tr!("…")`
//! template in the source has a Chinese text in the catalogue, with the
//! same parameters, and the catalogue holds nothing else. Every code has a
//! Chinese explanation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use gdr::diagnostics::{Code, Text};

/// The templates of every `tr!(` in `src/`, unescaped, with their files.
fn templates() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable");
                for template in tr_templates(&text) {
                    out.entry(template)
                        .or_insert_with(|| path.display().to_string());
                }
            }
        }
    }
    out
}

/// The string literal after each `tr!(`, with `\"`, `\\` and `\n` unescaped.
fn tr_templates(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (index, _) in text.match_indices("tr!(") {
        let rest = text[index + 4..].trim_start();
        let Some(body) = rest.strip_prefix('"') else {
            continue;
        };
        let mut literal = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => literal.push('\n'),
                    Some(other) => literal.push(other),
                    None => break,
                },
                c => literal.push(c),
            }
        }
        out.push(literal);
    }
    out
}

fn parameters(template: &str) -> BTreeSet<String> {
    Text::parameters(template)
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_template_has_a_chinese_text_with_the_same_parameters() {
    let catalogue = gdr::diagnostics::text::zh_catalogue();
    let templates = templates();
    assert!(
        templates.len() > 200,
        "the scan found only {} templates",
        templates.len()
    );
    let mut problems = Vec::new();
    for (template, file) in &templates {
        match catalogue.get(template.as_str()) {
            None => problems.push(format!("{file}: no Chinese text for {template:?}")),
            Some(zh) if parameters(zh) != parameters(template) => problems.push(format!(
                "{file}: the parameters differ: {template:?} has {:?}, the Chinese {:?}",
                parameters(template),
                parameters(zh)
            )),
            Some(_) => {}
        }
    }
    for english in catalogue.keys() {
        if !templates.contains_key(*english) {
            problems.push(format!(
                "the catalogue has a text that no code uses: {english:?}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_code_has_a_chinese_explanation() {
    // A code about `.gdr` source shows source; one of `gdr import`'s, a run.
    let example = |code: Code| {
        if code.is_import() {
            "```text"
        } else {
            "```gdr"
        }
    };
    for code in Code::ALL {
        let zh = code.explanation_zh();
        assert!(
            zh != code.explanation() && zh.lines().count() >= 10 && zh.contains(example(*code)),
            "{} has no Chinese explanation in src/diagnostics/explain/zh/",
            code.as_str()
        );
        assert!(
            zh.chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count()
                > 40,
            "{}: the Chinese explanation is hardly Chinese",
            code.as_str()
        );
    }
}

#[test]
fn the_scan_reads_escapes() {
    assert_eq!(
        tr_templates(r#"tr!("a `\"{x}\"` b", x = y) tr!(  "c\\d")"#),
        ["a `\"{x}\"` b", "c\\d"]
    );
}
