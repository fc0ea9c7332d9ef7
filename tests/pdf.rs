//! `gdr build -f pdf`: the seed's derived example and the hostile report
//! typeset in the process, read back with `pdffonts` (an embedded CJK font)
//! and `pdftotext` (the title, the agency, the numbers); the same bytes on
//! every run; a clear error, and nothing written, without a Chinese font.
//! Without the cargo feature `pdf`, `-f pdf` says how to get it.
//!
//! The poppler tools are skipped, with a message, where they are missing,
//! unless `GDR_REQUIRE_TOOLS=1` (as `.ci/run` sets).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/hostile.rs"]
#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
mod hostile;
#[path = "support/tools.rs"]
#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
mod tools;

/// Runs `gdr` with `args`, the environment cleared of font settings except
/// `env`.
fn gdr(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gdr"));
    command.args(args).env_remove("GDR_FONT_PATH");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("gdr runs")
}

/// A new empty directory for the test `name`.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gdr-pdf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn derived_example() -> String {
    format!(
        "{}/examples/pingyuan-2020-derived.gdr",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[cfg(not(feature = "pdf"))]
#[test]
fn without_the_feature_pdf_says_how_to_get_it() {
    let out = temp_dir("no-feature");
    let output = gdr(
        &[
            "build",
            &derived_example(),
            "-f",
            "pdf",
            "-o",
            &out.to_string_lossy(),
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--features pdf"), "{stderr}");
    assert!(files_in(&out).is_empty(), "nothing is written");
}

#[cfg(feature = "pdf")]
mod typeset {
    use std::path::{Path, PathBuf};

    use super::hostile::{HOSTILE, hostile_report};
    use super::tools::{require_tools, run};
    use super::{derived_example, files_in, gdr, temp_dir};

    /// Builds `input` to a PDF in `out` (with `extra` arguments and `env`)
    /// and returns its path; the build must succeed without a word from
    /// Typst, above all none for each font family the template offers and
    /// this machine lacks.
    fn build_pdf(input: &str, out: &Path, extra: &[&str], env: &[(&str, &Path)]) -> PathBuf {
        let mut args = vec!["build", input, "-f", "pdf", "-o"];
        let out_arg = out.to_string_lossy();
        args.push(&out_arg);
        args.extend_from_slice(extra);
        let output = gdr(&args, env);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert!(!stderr.contains("font family"), "{stderr}");
        assert!(!stderr.contains("Typst"), "{stderr}");
        let stem = Path::new(input)
            .file_stem()
            .expect("stem")
            .to_string_lossy();
        let pdf = out.join(format!("{stem}.pdf"));
        assert_eq!(files_in(out), [format!("{stem}.pdf")], "only the PDF");
        assert!(
            std::fs::read(&pdf).expect("the PDF").starts_with(b"%PDF-"),
            "not a PDF"
        );
        pdf
    }

    /// The lines of `pdffonts` for embedded fonts of Chinese families.
    fn embedded_cjk_fonts(pdf: &Path) -> Option<Vec<String>> {
        let fonts = run("pdffonts", &[&pdf.to_string_lossy()])?;
        let cjk = [
            "CJK",
            "SourceHan",
            "Song",
            "Hei",
            "Kai",
            "Fang",
            "WenQuanYi",
            "Ming",
        ];
        Some(
            fonts
                .lines()
                .skip(2)
                .filter(|line| {
                    let columns: Vec<&str> = line.split_whitespace().collect();
                    // name, type…, encoding, emb, sub, uni, object, id
                    let embedded = columns.len() >= 7 && columns[columns.len() - 5] == "yes";
                    embedded && cjk.iter().any(|name| columns[0].contains(name))
                })
                .map(str::to_string)
                .collect(),
        )
    }

    /// The text of `pdf` without white space (a line may break anywhere).
    fn squeezed_text(pdf: &Path) -> Option<String> {
        let text = run("pdftotext", &[&pdf.to_string_lossy(), "-"])?;
        Some(text.chars().filter(|c| !c.is_whitespace()).collect())
    }

    #[test]
    fn the_derived_example_typesets_with_its_chinese_text_and_numbers() {
        let out = temp_dir("derived");
        let pdf = build_pdf(&derived_example(), &out, &[], &[]);
        let Some(fonts) = embedded_cjk_fonts(&pdf) else {
            return;
        };
        assert!(!fonts.is_empty(), "no embedded CJK font");
        let Some(text) = squeezed_text(&pdf) else {
            return;
        };
        // The row （七）总计 of table 三, every cell derived by gdr (16 for
        // 自然人, where the published table says 17).
        let Some(layout) = run("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"]) else {
            return;
        };
        let rows: Vec<String> = layout
            .lines()
            .map(|line| line.split_whitespace().collect())
            .collect();
        assert!(
            rows.iter().any(|row| row == "（七）总计160000016"),
            "the derived row is missing:\n{layout}"
        );
        for expected in [
            "平原示范区2020年度政府信息公开工作年度报告",
            "新乡市平原城乡一体化示范区管理委员会",
            "三、收到和处理政府信息公开申请情况",
            // Values interpolated into the prose, with their units.
            "共计5345余次，其中市长信箱155次，网民留言329次，12345服务热线4861次",
            "2021年1月10日",
        ] {
            assert!(text.contains(expected), "`{expected}` is missing:\n{text}");
        }
    }

    #[test]
    fn hostile_text_typesets_literally() {
        let dir = temp_dir("hostile");
        let input = dir.join("hostile.gdr");
        std::fs::write(&input, hostile_report()).expect("write");
        let out = dir.join("out");
        let pdf = build_pdf(&input.to_string_lossy(), &out, &[], &[]);
        let Some(fonts) = embedded_cjk_fonts(&pdf) else {
            return;
        };
        assert!(!fonts.is_empty(), "no embedded CJK font");
        let Some(text) = squeezed_text(&pdf) else {
            return;
        };
        let expected: String = HOSTILE.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            text.contains(&expected),
            "the hostile text is not shown literally:\n{text}"
        );
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        let first = build_pdf(&derived_example(), &temp_dir("same-1"), &[], &[]);
        let second = build_pdf(&derived_example(), &temp_dir("same-2"), &[], &[]);
        let first = std::fs::read(first).expect("first");
        assert!(
            first == std::fs::read(second).expect("second"),
            "two runs gave different PDFs"
        );
        let text = String::from_utf8_lossy(&first);
        assert!(!text.contains("/CreationDate"), "a timestamp");
        assert!(!text.contains("/ModDate"), "a timestamp");
    }

    #[test]
    fn standard_output_gets_the_pdf() {
        let output = gdr(&["build", &derived_example(), "-f", "pdf", "-o", "-"], &[]);
        assert_eq!(output.status.code(), Some(0));
        assert!(output.stdout.starts_with(b"%PDF-"));
    }

    #[test]
    fn without_a_chinese_font_nothing_is_written() {
        let dir = temp_dir("no-cjk");
        let (fonts, out) = (dir.join("fonts"), dir.join("out"));
        std::fs::create_dir_all(&fonts).expect("fonts dir");
        std::fs::create_dir_all(&out).expect("out dir");
        let (fonts_arg, out_arg) = (fonts.to_string_lossy(), out.to_string_lossy());
        let example = derived_example();
        let flag = [
            "build",
            &example,
            "-f",
            "pdf",
            "-o",
            &out_arg,
            "--ignore-system-fonts",
            "--font-path",
            &fonts_arg,
        ];
        for (args, env, lang) in [
            (&flag[..], &[][..], "en"),
            (&flag[..7], &[("GDR_FONT_PATH", fonts.as_path())][..], "en"),
            (&flag[..], &[][..], "zh"),
        ] {
            let mut args = args.to_vec();
            args.extend(["--lang", lang]);
            let output = gdr(&args, env);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{stderr}");
            let expected = match lang {
                "en" => "error: no font with Chinese characters was found",
                _ => "错误: 未找到含中文字符的字体",
            };
            assert!(stderr.contains(expected), "{stderr}");
            assert!(stderr.contains("--font-path"), "{stderr}");
            assert!(files_in(&out).is_empty(), "nothing is written");
        }
    }

    /// The files of one Chinese font that fontconfig knows.
    fn a_chinese_font() -> Option<PathBuf> {
        let list = run("fc-list", &[":lang=zh", "file"])?;
        let found = list
            .lines()
            .filter_map(|line| line.trim().strip_suffix(':'))
            .map(PathBuf::from)
            .min();
        if found.is_none() {
            assert!(
                !require_tools(),
                "GDR_REQUIRE_TOOLS=1 but fc-list finds no Chinese font"
            );
            eprintln!("SKIPPED: fc-list finds no Chinese font");
        }
        found
    }

    #[test]
    fn font_path_and_its_variable_name_the_fonts() {
        let Some(font) = a_chinese_font() else {
            return;
        };
        let dir = temp_dir("font-path");
        let fonts = dir.join("fonts");
        std::fs::create_dir_all(&fonts).expect("fonts dir");
        let name = font.file_name().expect("a file name");
        std::fs::copy(&font, fonts.join(name)).expect("copy the font");
        let fonts_arg = fonts.to_string_lossy();
        let only = ["--ignore-system-fonts", "--font-path", &*fonts_arg];
        let from_flag = build_pdf(&derived_example(), &dir.join("flag"), &only, &[]);
        let from_env = build_pdf(
            &derived_example(),
            &dir.join("env"),
            &only[..1],
            &[("GDR_FONT_PATH", &fonts)],
        );
        for pdf in [from_flag, from_env] {
            let Some(fonts) = embedded_cjk_fonts(&pdf) else {
                return;
            };
            assert!(!fonts.is_empty(), "no embedded CJK font");
        }
    }
}
