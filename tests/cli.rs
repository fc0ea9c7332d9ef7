//! The `gdr` binary: exit statuses, output formats, positions in
//! characters, `explain`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn gdr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("gdr runs")
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gdr-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

const HEADER: &str = "report { title \"t\" agency \"a\" year 2020 }\n";

#[test]
fn exit_status_follows_the_worst_diagnostic() {
    assert_eq!(
        gdr(&["check", &example("pingyuan-2020-derived.gdr")])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        gdr(&[
            "check",
            "--deny-warnings",
            &example("pingyuan-2020-derived.gdr")
        ])
        .status
        .code(),
        Some(1)
    );
    assert_eq!(
        gdr(&["check", &example("pingyuan-2020.gdr")]).status.code(),
        Some(1)
    );
    assert_eq!(
        gdr(&["check", "/nonexistent/report.gdr"]).status.code(),
        Some(2)
    );
    assert_eq!(gdr(&["check"]).status.code(), Some(2));
    assert_eq!(gdr(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        gdr(&[
            "check",
            "--message-format",
            "xml",
            &example("pingyuan-2020.gdr")
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn human_output_has_no_colour_when_not_a_terminal() {
    let output = gdr(&["check", &example("pingyuan-2020.gdr")]);
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(stderr.contains("error[E0401]: check failed in column 自然人"));
    assert!(!stderr.contains('\u{1b}'));
    assert!(stderr.trim_end().ends_with("pingyuan-2020.gdr: 10 errors"));
    let coloured = gdr(&["check", "--color", "always", &example("pingyuan-2020.gdr")]);
    assert!(String::from_utf8_lossy(&coloured.stderr).contains('\u{1b}'));
}

#[test]
fn json_positions_count_characters_across_bom_and_crlf() {
    let text = format!(
        "\u{feff}{}let 甲乙 = 1 件\r\ncheck 甲乙 == 2 件\r\n",
        HEADER.replace('\n', "\r\n")
    );
    let path = temp_file("crlf.gdr", text.as_bytes());
    let output = gdr(&[
        "check",
        "--message-format",
        "json",
        path.to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let diagnostic = &lines[0];
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["code"], "E0401");
    assert_eq!(diagnostic["line"], 3);
    assert_eq!(
        diagnostic["column"], 7,
        "`甲乙` starts at the 7th character"
    );
    assert_eq!(diagnostic["end_line"], 3);
    assert_eq!(
        diagnostic["end_column"], 9,
        "two CJK characters are two columns"
    );
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.contains("check failed"))
    );
    assert!(
        diagnostic["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("crlf.gdr"))
    );
    let label = &diagnostic["labels"][0];
    for field in ["line", "column", "end_line", "end_column", "message"] {
        assert!(!label[field].is_null(), "label lacks {field}");
    }
    assert!(diagnostic["notes"].is_array());
}

#[test]
fn invalid_utf8_is_a_diagnostic() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"section \"\xff\xfe\" { }\n");
    let path = temp_file("latin1.gdr", &bytes);
    let output = gdr(&[
        "check",
        "--message-format",
        "short",
        path.to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(
        stderr.contains(":2:10: error[E0101]: the file is not valid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn short_and_github_formats() {
    let short = gdr(&[
        "check",
        "--message-format",
        "short",
        &example("pingyuan-2020-derived.gdr"),
    ]);
    let stderr = String::from_utf8(short.stderr).expect("UTF-8");
    assert!(
        stderr.contains("pingyuan-2020-derived.gdr:135:12: warning[W0105]: expectation failed"),
        "{stderr}"
    );
    let github = gdr(&[
        "check",
        "--message-format",
        "github",
        &example("pingyuan-2020.gdr"),
    ]);
    let stdout = String::from_utf8(github.stdout).expect("UTF-8");
    assert!(
        stdout.lines().all(|line| line.starts_with("::error file=")),
        "{stdout}"
    );
    assert!(stdout.contains(",line=317,col=11,"));
    assert!(stdout.contains("title=E0401::check failed in column 自然人"));
}

#[test]
fn explain_prints_every_code() {
    for code in gdr::Code::ALL {
        let output = gdr(&["explain", &code.as_str().to_lowercase()]);
        assert_eq!(output.status.code(), Some(0));
        let stdout = String::from_utf8(output.stdout).expect("UTF-8");
        assert!(stdout.starts_with(code.as_str()), "{stdout}");
        // The reference is named as a reader finds it from the repository.
        assert!(
            (stdout.contains("docs/language.md, “") || stdout.contains("docs/import.md, “"))
                && !stdout.contains("](../"),
            "{stdout}"
        );
    }
    assert_eq!(gdr(&["explain", "E9999"]).status.code(), Some(2));
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args([
            "check",
            "--message-format",
            "json",
            &example("pingyuan-2020.gdr"),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gdr runs");
    drop(child.stdout.take());
    let status = child.wait().expect("gdr ends");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn build_writes_the_four_formats_atomically() {
    let dir = std::env::temp_dir().join(format!("gdr-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let output = gdr(&[
        "build",
        &example("pingyuan-2020-derived.gdr"),
        "-o",
        dir.to_str().expect("path"),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "pingyuan-2020-derived.html",
            "pingyuan-2020-derived.json",
            "pingyuan-2020-derived.md",
            "pingyuan-2020-derived.typ"
        ],
        "exactly the four outputs, no temporary files left"
    );
    let json = std::fs::read_to_string(dir.join("pingyuan-2020-derived.json")).expect("json");
    assert!(json.contains("\"format\": \"gdr-report/1\""));
}

#[test]
fn a_report_with_errors_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("gdr-build-errors-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let earlier = dir.join("pingyuan-2020.html");
    std::fs::write(&earlier, "earlier output").expect("write");
    let output = gdr(&[
        "build",
        &example("pingyuan-2020.gdr"),
        "-o",
        dir.to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&earlier).expect("read"),
        "earlier output"
    );
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        1,
        "nothing else was written"
    );
}

#[test]
fn build_to_standard_output() {
    let output = gdr(&[
        "build",
        &example("pingyuan-2020-derived.gdr"),
        "-f",
        "json",
        "-o",
        "-",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(json["format"], "gdr-report/1");
    let output = gdr(&[
        "build",
        &example("pingyuan-2020-derived.gdr"),
        "-f",
        "md",
        "-o",
        "-",
    ]);
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .starts_with("# 平原示范区2020年度政府信息公开工作年度报告")
    );
    // All four formats cannot share standard output.
    let output = gdr(&["build", &example("pingyuan-2020-derived.gdr"), "-o", "-"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn build_draft_marks_derived_cells_and_the_default_does_not() {
    let html = |extra: &[&str]| {
        let mut args = vec!["build", "-f", "html", "-o", "-"];
        args.extend_from_slice(extra);
        let report = example("pingyuan-2020-derived.gdr");
        args.push(&report);
        let output = gdr(&args);
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(html(&["--draft"]).contains("title=\"由 gdr 按公式计算\""));
    assert!(!html(&[]).contains("由 gdr"));
    let help = gdr(&["build", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("--draft"));
}

#[test]
fn build_of_a_missing_file_or_into_a_missing_directory_is_an_io_error() {
    assert_eq!(
        gdr(&["build", "/nonexistent/report.gdr"]).status.code(),
        Some(2)
    );
    // A directory that cannot be made: under a file.
    let file = std::env::temp_dir().join(format!("gdr-not-a-dir-{}", std::process::id()));
    std::fs::write(&file, "").expect("a file");
    let output = gdr(&[
        "build",
        &example("pingyuan-2020-derived.gdr"),
        "-o",
        file.join("out").to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot create the directory"), "{stderr}");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn build_makes_the_output_directory() {
    let dir = std::env::temp_dir().join(format!("gdr-new-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("a").join("out");
    let output = gdr(&[
        "build",
        &example("pingyuan-2020-derived.gdr"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(out.join("pingyuan-2020-derived.html").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn use_paths_stay_inside_the_project_root_that_gdr_toml_marks() {
    let root = std::env::temp_dir().join(format!("gdr-project-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let reports = root.join("reports").join("2021");
    std::fs::create_dir_all(&reports).expect("dirs");
    std::fs::write(root.join("gdr.toml"), "").expect("gdr.toml");
    std::fs::write(root.join("units.gdr"), "unit 篇\n").expect("library");
    let report =
        |uses: &str| format!("{HEADER}use {uses}\nsection \"一\" {{ let x = 3 篇\n \"{{x}}\" }}\n");
    // Two levels up is still inside the project: gdr.toml is there.
    let inside = reports.join("inside.gdr");
    std::fs::write(&inside, report("\"../../units.gdr\"")).expect("write");
    let output = gdr(&["check", inside.to_str().expect("path")]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Three levels up leaves it.
    let outside = reports.join("outside.gdr");
    std::fs::write(&outside, report("\"../../../units.gdr\"")).expect("write");
    let output = gdr(&[
        "check",
        "--message-format",
        "short",
        outside.to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[E0208]"));
}

#[test]
fn sarif_is_one_log_for_every_file() {
    let examples = format!("{}/examples", env!("CARGO_MANIFEST_DIR"));
    let output = gdr(&["check", "--message-format", "sarif", &examples]);
    assert_eq!(output.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "gdr");
    let results = run["results"].as_array().expect("results");
    // pingyuan-2020 (10 errors), pingyuan-2020-forms (10 errors, 1
    // warning) and pingyuan-2020-derived (1 warning); the county reports are clean.
    assert_eq!(results.len(), 22);
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|rule| rule["id"].as_str())
        .collect();
    for result in results {
        let id = result["ruleId"].as_str().expect("ruleId");
        assert!(rules.contains(&id), "{id} has no rule");
        assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
        assert!(result["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());
    }
    let rule = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|rule| rule["id"] == "E0401")
        .expect("E0401");
    assert!(
        rule["help"]["text"]
            .as_str()
            .is_some_and(|text| text.contains("```gdr"))
    );
}

#[test]
fn a_directory_is_checked_file_by_file_with_a_summary() {
    let examples = format!("{}/examples", env!("CARGO_MANIFEST_DIR"));
    let output = gdr(&["check", &examples]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the worst status of the files"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .trim_end()
            .ends_with("checked 5 files: 20 errors, 2 warnings"),
        "{stderr}"
    );
    let clean = gdr(&[
        "check",
        &example("county-2020.gdr"),
        &example("county-2021.gdr"),
    ]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&clean.stderr),
        "finished: 2 files, 13 tables, 7 checks, no warnings\n",
        "one line on success, for all the files"
    );
}

/// A folder that keeps a library of its own beside the reports: the
/// library has no header and is checked through the reports that use it,
/// not on its own (no E0501); a file without a header that nothing uses is
/// still E0501.
#[test]
fn a_library_in_the_folder_is_checked_through_its_users() {
    let dir = std::env::temp_dir().join(format!("gdr-cli-library-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("2020")).expect("temp dir");
    std::fs::write(dir.join("gdr.toml"), "").expect("write");
    std::fs::write(dir.join("units.gdr"), "unit 篇\n").expect("write");
    std::fs::write(
        dir.join("2020/report.gdr"),
        "report { title \"t\" agency \"a\" year 2020 }\nuse \"../units.gdr\"\nlet 稿件 = 3 篇\ncheck 稿件 == 3 篇\n",
    )
    .expect("write");
    let folder = dir.display().to_string();
    let output = gdr(&["check", "--lang", "en", &folder]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("E0501"), "{stderr}");
    assert!(
        stderr.contains("checked as libraries, through the reports that use them")
            && stderr.contains("units.gdr")
            && stderr.ends_with("finished: 1 file, 0 tables, 1 check, no warnings\n"),
        "{stderr}"
    );
    // A headerless file that no report uses is a report missing its header.
    std::fs::write(dir.join("notes.gdr"), "let 甲 = 1\n").expect("write");
    let output = gdr(&["check", "--lang", "en", &folder]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("error[E0501]").count(), 1, "{stderr}");
    assert!(stderr.contains("notes.gdr"), "{stderr}");
    // Named alone, a library is checked as the input file: a report.
    let alone = gdr(&[
        "check",
        "--lang",
        "en",
        &dir.join("units.gdr").display().to_string(),
    ]);
    assert_eq!(alone.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_check_that_passes_prints_one_line_in_the_human_format_only() {
    let derived = example("pingyuan-2020-derived.gdr");
    let output = gdr(&["check", "--lang", "en", &example("county-2021.gdr")]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "finished: 1 file, 6 tables, 2 checks, no warnings\n"
    );
    assert!(output.stdout.is_empty());
    let warned = gdr(&["check", "--lang", "en", &derived]);
    let stderr = String::from_utf8_lossy(&warned.stderr);
    assert!(
        stderr.ends_with("finished: 1 file, 7 tables, 7 checks, 1 warning\n"),
        "{stderr}"
    );
    let chinese = gdr(&["check", "--lang", "zh", &example("county-2021.gdr")]);
    assert_eq!(
        String::from_utf8_lossy(&chinese.stderr),
        "检查完成：1 个文件，6 张表格，2 项勾稽关系，无警告\n"
    );
    for format in ["short", "json", "github"] {
        let quiet = gdr(&[
            "check",
            "--message-format",
            format,
            &example("county-2021.gdr"),
        ]);
        assert!(
            quiet.stderr.is_empty() && quiet.stdout.is_empty(),
            "{format}"
        );
    }
    let failed = gdr(&["check", "--lang", "en", &example("pingyuan-2020.gdr")]);
    assert!(!String::from_utf8_lossy(&failed.stderr).contains("finished"));
    let denied = gdr(&["check", "--lang", "en", "--deny-warnings", &derived]);
    assert!(!String::from_utf8_lossy(&denied.stderr).contains("finished"));
}

#[test]
fn build_watch_rebuilds_after_a_change() {
    let dir = std::env::temp_dir().join(format!("gdr-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("r.gdr");
    let report =
        |number: u32| format!("{HEADER}section \"一\" {{ let x = {number} 件\n \"共{{x}}。\" }}\n");
    std::fs::write(&path, report(1)).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args(["build", "--watch", "-f", "md"])
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("gdr runs");
    let output = dir.join("r.md");
    let wait_for = |needle: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            if std::fs::read_to_string(&output).is_ok_and(|text| text.contains(needle)) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    };
    let first = wait_for("共1件。");
    // The watcher is running once the first build is written.
    std::thread::sleep(std::time::Duration::from_millis(300));
    std::fs::write(&path, report(2)).expect("write");
    let second = wait_for("共2件。");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first build was not written");
    assert!(second, "the change was not rebuilt");
}

#[cfg(unix)]
#[test]
fn an_endless_file_is_read_only_up_to_the_limit() {
    // `/dev/zero` never ends: gdr reads one byte past its limit and says so.
    let output = gdr(&["check", "--message-format", "short", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E0104"), "{stderr}");
    let output = gdr(&["fmt", "--check", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(2));
}

/// The diagnostic each README quotes is what `gdr check` prints for the
/// seed report, in its language (line ends aside).
#[test]
fn the_readmes_quote_what_gdr_prints() {
    for (readme, lang) in [("README.md", "en"), ("README.zh-CN.md", "zh")] {
        let text = std::fs::read_to_string(format!("{}/{readme}", env!("CARGO_MANIFEST_DIR")))
            .expect("the README");
        let start = text.find("error[E0401]").expect("a quoted E0401");
        let quoted = &text[start..start + text[start..].find("```").expect("the block ends")];
        let output = Command::new(env!("CARGO_BIN_EXE_gdr"))
            .args([
                "check",
                "--color",
                "never",
                "--lang",
                lang,
                "examples/pingyuan-2020.gdr",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("gdr runs");
        let printed: String = String::from_utf8_lossy(&output.stderr)
            .lines()
            .map(|line| format!("{}\n", line.trim_end()))
            .collect();
        let quoted: String = quoted
            .lines()
            .map(|line| format!("{}\n", line.trim_end()))
            .collect();
        assert!(
            printed.contains(&quoted),
            "{readme} quotes:\n{quoted}\ngdr prints:\n{printed}"
        );
    }
}
