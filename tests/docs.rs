//! The language reference (`docs/language.md`, `docs/language.zh-CN.md`)
//! is held to the compiler, and the texts a user reads (the READMEs,
//! `docs/`, the explanations of `gdr explain`) link only to files of the
//! repository: no `../shared`, and every relative link leads to a file and,
//! where it names one, to a heading.
//!
//! Every fenced block of the two references whose info string starts with
//! `gdr` is an example. The rest of the info string, after commas, says what
//! the example must do:
//!
//! - ```` ```gdr ````: compiles without any diagnostic.
//! - ```` ```gdr,error=E0401 ````: a wrong example. The distinct codes it
//!   reports are exactly the ones listed (several joined with `+`:
//!   `error=E0401+W0105`); a bare ```` ```gdr,error ```` only requires at
//!   least one diagnostic.
//! - ```` ```gdr,waived=E0401 ````: every diagnostic is a waived one (a
//!   note), and their distinct codes are exactly the ones listed.
//! - ```` ```gdr,file=NAME.gdr ````: not compiled on its own; it is the file
//!   `NAME.gdr` that the other examples of the same reference may `use`.
//!
//! An example without a line that starts with `report {` is a fragment. It
//! is compiled after a minimal header (`MINIMAL_HEADER`), and W0104 (a
//! section the form library requires is missing) is not counted for it,
//! since a fragment is not a whole report. Every example, fragment or not,
//! must be written as `gdr fmt` writes it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use gdr::modules::{LoadError, Loader};
use gdr::{Code, Severity, SourceFile};

/// What a fragment is compiled after.
const MINIMAL_HEADER: &str = "report {\n  title  \"示例局2021年度政府信息公开工作年度报告\"\n  agency \"示例局\"\n  year   2021\n}\n\n";

const REFERENCES: [&str; 2] = ["docs/language.md", "docs/language.zh-CN.md"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|error| panic!("cannot read {relative}: {error}"))
}

/// A fenced block: its info string, its text and the line of its fence.
struct Block {
    info: String,
    text: String,
    line: usize,
}

fn fenced_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in markdown.lines().enumerate() {
        match open.as_mut() {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some(Block {
                        info: info.trim().to_string(),
                        text: String::new(),
                        line: index + 1,
                    });
                }
            }
            Some(block) => {
                if line.trim_end() == "```" {
                    blocks.extend(open.take());
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "a fenced block is never closed");
    blocks
}

/// What an example must do, from its info string.
#[derive(Debug, PartialEq)]
enum Expect {
    Clean,
    /// `None`: at least one diagnostic.
    Error(Option<BTreeSet<String>>),
    Waived(BTreeSet<String>),
    File(String),
}

/// `None` for a block that is no example.
fn expectation(info: &str) -> Option<Result<Expect, String>> {
    let mut parts = info.split(',').map(str::trim);
    if parts.next() != Some("gdr") {
        return None;
    }
    let codes = |list: &str| -> BTreeSet<String> { list.split('+').map(str::to_string).collect() };
    let mut expect = Expect::Clean;
    for part in parts {
        expect = match part.split_once('=') {
            None if part == "error" => Expect::Error(None),
            Some(("error", list)) => Expect::Error(Some(codes(list))),
            Some(("waived", list)) => Expect::Waived(codes(list)),
            Some(("file", name)) => Expect::File(name.to_string()),
            _ => return Some(Err(format!("unknown marker `{part}`"))),
        };
    }
    Some(Ok(expect))
}

/// The `gdr,file=…` examples of one reference, as files to `use`.
struct Files(HashMap<String, String>);

impl Loader for Files {
    fn load(&self, _from: &str, path: &str) -> Result<(String, String), LoadError> {
        let name = path.trim_start_matches("./");
        match self.0.get(name) {
            Some(text) => Ok((name.to_string(), text.clone())),
            None => Err(LoadError::NotFound(format!(
                "no example is marked `gdr,file={name}`"
            ))),
        }
    }
}

fn is_fragment(text: &str) -> bool {
    !text.lines().any(|line| line.starts_with("report {"))
}

/// The problems of one reference's examples, one line each.
fn check_examples(reference: &str) -> Vec<String> {
    let markdown = read(reference);
    let mut examples = Vec::new();
    let mut problems = Vec::new();
    let mut files = HashMap::new();
    for block in fenced_blocks(&markdown) {
        match expectation(&block.info) {
            None => {}
            Some(Err(problem)) => problems.push(format!("{reference}:{}: {problem}", block.line)),
            Some(Ok(Expect::File(name))) => {
                files.insert(name, block.text.clone());
                examples.push((block, Expect::File(String::new())));
            }
            Some(Ok(expect)) => examples.push((block, expect)),
        }
    }
    // A reference has an example for every construct; a README, a few.
    let least = if reference.starts_with("README") {
        1
    } else {
        20
    };
    assert!(
        examples.len() >= least,
        "{reference} has only {} gdr examples",
        examples.len()
    );
    let loader = Files(files);
    for (block, expect) in examples {
        let at = format!("{reference}:{}", block.line);
        let formatted = gdr::format::format(&block.text);
        if formatted != block.text {
            problems.push(format!(
                "{at}: not in `gdr fmt` form; gdr fmt writes:\n{formatted}"
            ));
        }
        if expect == Expect::File(String::new()) {
            continue;
        }
        let fragment = is_fragment(&block.text);
        let text = if fragment {
            format!("{MINIMAL_HEADER}{}", block.text)
        } else {
            block.text.clone()
        };
        let compilation = gdr::compile_with(&SourceFile::new("example.gdr", text), &loader);
        let diagnostics: Vec<&gdr::Diagnostic> = compilation
            .diagnostics
            .iter()
            .filter(|d| !(fragment && d.code == Code::MissingSection))
            .collect();
        let codes: BTreeSet<String> = diagnostics
            .iter()
            .map(|d| d.code.as_str().to_string())
            .collect();
        let shown = || {
            diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "{} {}: {}",
                        d.severity.as_str(),
                        d.code.as_str(),
                        d.message.render(gdr::diagnostics::Lang::En)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        match expect {
            Expect::Clean if !diagnostics.is_empty() => {
                problems.push(format!("{at}: expected no diagnostic, got {}", shown()));
            }
            Expect::Error(None) if diagnostics.is_empty() => {
                problems.push(format!("{at}: expected a diagnostic, got none"));
            }
            Expect::Error(Some(expected)) if codes != expected => {
                problems.push(format!("{at}: expected {expected:?}, got {}", shown()));
            }
            Expect::Waived(expected)
                if codes != expected
                    || diagnostics.iter().any(|d| d.severity != Severity::Note) =>
            {
                problems.push(format!(
                    "{at}: expected only waived {expected:?}, got {}",
                    shown()
                ));
            }
            _ => {}
        }
    }
    problems
}

#[test]
fn the_english_examples_compile() {
    let problems = check_examples(REFERENCES[0]);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_chinese_examples_compile() {
    let problems = check_examples(REFERENCES[1]);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The READMEs' examples too: they compile as they say, in fmt form.
#[test]
fn the_readme_examples_compile() {
    let mut problems = check_examples("README.md");
    problems.extend(check_examples("README.zh-CN.md"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_markers_are_read() {
    let codes = |list: &[&str]| list.iter().map(|code| code.to_string()).collect();
    assert_eq!(expectation("rust"), None);
    assert_eq!(expectation("gdr"), Some(Ok(Expect::Clean)));
    assert_eq!(expectation("gdr,error"), Some(Ok(Expect::Error(None))));
    assert_eq!(
        expectation("gdr,error=E0401+W0105"),
        Some(Ok(Expect::Error(Some(codes(&["E0401", "W0105"])))))
    );
    assert_eq!(
        expectation("gdr,waived=E0401"),
        Some(Ok(Expect::Waived(codes(&["E0401"]))))
    );
    assert!(matches!(expectation("gdr,eror"), Some(Err(_))));
    assert!(is_fragment("section \"一\" {}\n"));
    assert!(!is_fragment("report {\n}\n"));
}

/// The headings of `markdown` outside fenced blocks: level and title.
fn headings(markdown: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut in_block = false;
    markdown.lines().filter_map(move |line| {
        if line.starts_with("```") {
            in_block = !in_block;
        }
        let title = line.trim_start_matches('#');
        (!in_block && title.len() < line.len()).then(|| (line.len() - title.len(), title))
    })
}

/// The two references have the same outline: the same headings, level by
/// level, and the same number of examples.
#[test]
fn the_two_references_have_the_same_structure() {
    let outline = |reference: &str| -> (Vec<usize>, usize) {
        let markdown = read(reference);
        let levels = headings(&markdown).map(|(level, _)| level).collect();
        let examples = fenced_blocks(&markdown)
            .iter()
            .filter(|block| expectation(&block.info).is_some())
            .count();
        (levels, examples)
    };
    assert_eq!(outline(REFERENCES[0]), outline(REFERENCES[1]));
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    headings(markdown).map(|(_, title)| slug(title)).collect()
}

/// The targets of the Markdown links `[text](target)` in `markdown`.
fn link_targets(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_string());
        }
    }
    out
}

/// Checks that every relative link in the file `relative` leads to a file
/// of the repository, and to a heading of it when it names one.
fn check_links(relative: &str, problems: &mut Vec<String>) {
    let text = read(relative);
    let base = Path::new(relative).parent().unwrap_or(Path::new(""));
    for target in link_targets(&text) {
        if target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target.as_str(), None),
        };
        let file: PathBuf = if path.is_empty() {
            PathBuf::from(relative)
        } else {
            base.join(path)
        };
        let Ok(resolved) = root().join(&file).canonicalize() else {
            problems.push(format!("{relative}: the link `{target}` leads nowhere"));
            continue;
        };
        if !resolved.starts_with(root().canonicalize().expect("the root exists")) {
            problems.push(format!(
                "{relative}: the link `{target}` leaves the repository"
            ));
            continue;
        }
        if let Some(anchor) = anchor
            && resolved.extension().is_some_and(|ext| ext == "md")
        {
            let markdown = std::fs::read_to_string(&resolved).expect("readable");
            if !anchors(&markdown).contains(anchor) {
                problems.push(format!(
                    "{relative}: the link `{target}` names no heading of {}",
                    file.display()
                ));
            }
        }
    }
}

/// The texts a user reads: the READMEs, `docs/` and the explanations.
fn user_texts() -> Vec<String> {
    let mut out = Vec::new();
    for dir in [
        "",
        "docs",
        "src/diagnostics/explain",
        "src/diagnostics/explain/zh",
    ] {
        let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
            .expect("the directory exists")
            .filter_map(|entry| entry.expect("readable").file_name().into_string().ok())
            .filter(|name| name.ends_with(".md") && (!dir.is_empty() || name.starts_with("README")))
            .map(|name| Path::new(dir).join(name).to_string_lossy().into_owned())
            .collect();
        names.sort();
        out.extend(names);
    }
    assert!(out.len() > 60, "the texts are not found: {out:?}");
    out
}

#[test]
fn nothing_points_outside_the_repository() {
    let mut problems = Vec::new();
    for relative in user_texts() {
        if read(&relative).contains("../shared") {
            problems.push(format!("{relative} mentions `../shared`"));
        }
        check_links(&relative, &mut problems);
    }
    // The form libraries are printed by `gdr new` and read by users too.
    for library in ["gov_disclosure_2019", "gov_disclosure_2021"] {
        let relative = format!("src/libraries/{library}.gdr");
        if read(&relative).contains("../shared") {
            problems.push(format!("{relative} mentions `../shared`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every explanation that `gdr explain` prints ends by pointing to the
/// section of the reference in its language; `check_links` above holds the
/// section to a heading.
#[test]
fn every_explanation_links_to_the_reference() {
    let mut problems = Vec::new();
    for code in Code::ALL {
        // `gdr import`'s codes are explained with the import.
        let (en, zh) = if code.is_import() {
            ("import.md", "import.zh-CN.md")
        } else {
            ("language.md", "language.zh-CN.md")
        };
        for (text, reference, dir) in [
            (
                code.explanation(),
                format!("../../../docs/{en}#"),
                "src/diagnostics/explain",
            ),
            (
                code.explanation_zh(),
                format!("../../../../docs/{zh}#"),
                "src/diagnostics/explain/zh",
            ),
        ] {
            if !link_targets(text)
                .iter()
                .any(|target| target.starts_with(&reference))
            {
                problems.push(format!(
                    "{dir}/{}.md has no link to a section of {}",
                    code.as_str(),
                    reference.trim_start_matches("../").trim_end_matches('#')
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The reference lists every code, in both languages (the import's, its page).
#[test]
fn the_references_list_every_code() {
    // `gdr import`'s codes are listed with the import.
    let import = ["docs/import.md", "docs/import.zh-CN.md"];
    for (reference, of_import) in REFERENCES
        .iter()
        .zip([false; 2])
        .chain(import.iter().zip([true; 2]))
    {
        let markdown = read(reference);
        for code in Code::ALL
            .iter()
            .filter(|code| code.is_import() == of_import)
        {
            assert!(
                markdown.contains(&format!("| {} |", code.as_str())),
                "{reference} does not list {} in its table of codes",
                code.as_str()
            );
        }
    }
}
