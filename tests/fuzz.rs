//! Generated input, valid and mutated: a bounded, deterministic fuzz run
//! inside `cargo test`. A grammar-aware generator writes reports (header,
//! sections, lets, tables with column and row groups, formulas, checks,
//! instances of the official forms, interpolations); each is then mutated
//! (bytes and tokens deleted, duplicated, inserted, lines swapped). For
//! every input: no panic, every label inside its file, every diagnostic
//! renders in both languages, a report without errors renders in every
//! format, `fmt` is idempotent and keeps the diagnostics' codes, and the
//! fast parser agrees with pest on every chunk (it accepts exactly what pest
//! accepts, with the same tree and diagnostics). A failure names its seed:
//! set `GDR_FUZZ_SEED` to rerun one case, `GDR_FUZZ_CASES` to run more.

use std::panic::{AssertUnwindSafe, catch_unwind};

use gdr::SourceFile;

#[path = "support/properties.rs"]
mod properties;

const NAMES: [&str; 12] = [
    "新收",
    "上年结转",
    "总计",
    "予以公开",
    "结转下年",
    "自然人",
    "法人",
    "其他",
    "回应",
    "资金",
    "办理",
    "不掌握",
];
const UNITS: [&str; 8] = ["件", "次", "人次", "元", "万元", "%", "条", ""];

struct Gen {
    rng: fastrand::Rng,
    out: String,
}

impl Gen {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn name(&mut self) -> String {
        let base = self.pick(&NAMES);
        if self.rng.bool() {
            base.to_string()
        } else {
            format!("{base}{}", self.rng.u8(..10))
        }
    }

    fn number(&mut self) -> String {
        match self.rng.u8(..6) {
            0 => format!("{}.{}", self.rng.u32(..1000), self.rng.u32(..100)),
            1 => format!("-{}", self.rng.u32(..50)),
            2 => "79228162514264337593543950335".to_string(),
            _ => self.rng.u32(..200).to_string(),
        }
    }

    fn expr(&mut self, names: &[String], depth: u32) -> String {
        if depth > 3 || self.rng.u8(..3) == 0 {
            return match self.rng.u8(..3) {
                0 if !names.is_empty() => names[self.rng.usize(..names.len())].clone(),
                _ => {
                    let unit = self.pick(&UNITS);
                    format!("{} {unit}", self.number())
                }
            };
        }
        let op = self.pick(&["+", "-", "*", "/"]);
        match self.rng.u8(..4) {
            0 => format!(
                "({} {op} {})",
                self.expr(names, depth + 1),
                self.expr(names, depth + 1)
            ),
            1 => format!(
                "sum({}, {})",
                self.expr(names, depth + 1),
                self.expr(names, depth + 1)
            ),
            _ => format!(
                "{} {op} {}",
                self.expr(names, depth + 1),
                self.expr(names, depth + 1)
            ),
        }
    }

    fn cell(&mut self) -> String {
        let cell = match self.rng.u8(..8) {
            0 => "-".to_string(),
            1 => "?".to_string(),
            2 => "auto".to_string(),
            _ => self.rng.u32(..30).to_string(),
        };
        if self.rng.u8(..10) == 0 {
            format!("{cell} \"注\"")
        } else {
            cell
        }
    }

    fn table(&mut self, lets: &[String]) {
        let width = self.rng.usize(1..5);
        let name = self.name();
        let unit = self.pick(&["件", "元", "人次"]);
        self.out.push_str(&format!(
            "  table 表{name} \"标题\" {{\n    unit {unit}\n    columns {{ "
        ));
        let mut columns = Vec::new();
        for index in 0..width {
            let column = format!("列{index}");
            if index == width - 1 && self.rng.bool() {
                self.out
                    .push_str(&format!("{column} = sum({}) ", columns.join(", ")));
            } else if self.rng.u8(..4) == 0 {
                self.out.push_str(&format!("组{index} {{ {column} }} "));
            } else {
                self.out.push_str(&format!("{column} "));
            }
            columns.push(column);
        }
        self.out.push_str("}\n    rows {\n");
        let mut rows = Vec::new();
        for index in 0..self.rng.usize(1..6) {
            let row = format!("行{index}");
            let cells: Vec<String> = (0..width).map(|_| self.cell()).collect();
            if self.rng.u8(..5) == 0 && !rows.is_empty() {
                self.out.push_str(&format!(
                    "      {row} [{}] = sum({})\n",
                    cells.join(", "),
                    rows.join(", ")
                ));
            } else if self.rng.u8(..6) == 0 {
                self.out.push_str(&format!(
                    "      组{index} {{ {row} [{}] }}\n",
                    cells.join(", ")
                ));
            } else {
                self.out
                    .push_str(&format!("      {row} \"{row}\" [{}]\n", cells.join(", ")));
            }
            rows.push(row);
        }
        self.out.push_str("    }\n");
        let mut names = rows.clone();
        names.extend(lets.iter().cloned());
        let (lhs, rhs) = (self.expr(&names, 1), self.expr(&names, 1));
        let keyword = self.pick(&["check", "expect"]);
        self.out
            .push_str(&format!("    {keyword} {lhs} == {rhs}\n  }}\n"));
    }

    fn report(&mut self) -> String {
        let library = self.pick(&["", "use gov_disclosure_2019", "use gov_disclosure_2021"]);
        let (year, month, day) = (
            2019 + self.rng.u32(..3),
            self.rng.u8(1..5),
            self.rng.u8(..9),
        );
        self.out.push_str(&format!(
            "report {{ title \"报告\" agency \"某局\" year {year} published 2021-0{month}-1{day} }}\n{library}\n"
        ));
        let mut lets: Vec<String> = Vec::new();
        for section in 0..self.rng.usize(1..5) {
            self.out
                .push_str(&format!("section \"{section}、节\" {{\n"));
            for _ in 0..self.rng.usize(0..4) {
                let name = self.name();
                let expr = self.expr(&lets, 0);
                self.out.push_str(&format!("  let {name} = {expr}\n"));
                lets.push(name);
            }
            if !lets.is_empty() {
                let name = lets[self.rng.usize(..lets.len())].clone();
                let format = self.pick(&["", ":num", ":%2", " as 元", ":2", ":num0", " as 万元:2"]);
                self.out
                    .push_str(&format!("  \"共{{{name}{format}}}，\\{{字面\\}}。\"\n"));
            }
            if self.rng.bool() {
                self.table(&lets);
            }
            if !library.is_empty() && self.rng.u8(..3) == 0 {
                let form = self.pick(&["申请处理情况", "复议诉讼情况", "第二十条第一项"]);
                self.out.push_str(&format!(
                    "  table 实例{section} = {form} {{ 新收 [1, 0, 0, 0, 0, 0, auto] rest 0 }}\n"
                ));
            }
            if self.rng.u8(..4) == 0 && !lets.is_empty() {
                let (lhs, rhs) = (self.expr(&lets, 1), self.expr(&lets, 1));
                self.out
                    .push_str(&format!("  check {lhs} <= {rhs} within 1 件\n"));
            }
            self.out.push_str("}\n");
        }
        std::mem::take(&mut self.out)
    }
}

const TOKENS: [&str; 16] = [
    "{", "}", "[", "]", "(", ")", "\"", "\"\"\"", ",", "=", "==", "auto", "-", "\n", "新收", "1__0",
];

fn mutate(rng: &mut fastrand::Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.usize(1..4) {
        if chars.is_empty() {
            break;
        }
        let at = rng.usize(..chars.len());
        match rng.u8(..4) {
            0 => {
                let end = (at + rng.usize(1..20)).min(chars.len());
                chars.drain(at..end);
            }
            1 => {
                let end = (at + rng.usize(1..40)).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                chars.splice(at..at, copy);
            }
            2 => {
                let token = TOKENS[rng.usize(..TOKENS.len())];
                chars.splice(at..at, token.chars());
            }
            _ => chars[at] = char::from_u32(rng.u32(0x20..0x3000)).unwrap_or('?'),
        }
    }
    chars.into_iter().collect()
}

/// Checks the properties of `text`; `Err` describes a broken one.
fn exercise(text: &str) -> Result<(), String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| properties::check(text)));
    match outcome {
        Ok(result) => result,
        Err(panic) => Err(format!(
            "panic: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

#[test]
fn generated_and_mutated_reports_never_break_gdr() {
    let cases: u64 = std::env::var("GDR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let seeds: Vec<u64> = match std::env::var("GDR_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(seed) => vec![seed],
        None => (0..cases).collect(),
    };
    let mut failures = Vec::new();
    let mut clean = 0;
    for seed in seeds {
        let mut generator = Gen {
            rng: fastrand::Rng::with_seed(seed),
            out: String::new(),
        };
        let report = generator.report();
        let mut inputs = vec![report.clone()];
        for _ in 0..4 {
            let mutated = mutate(&mut generator.rng, &report);
            inputs.push(mutated);
        }
        for (index, input) in inputs.iter().enumerate() {
            if let Err(problem) = exercise(input) {
                failures.push(format!("seed {seed}, input {index}: {problem}\n{input}"));
            }
        }
        if !gdr::compile(&SourceFile::new("fuzz.gdr", report.as_str())).has_errors() {
            clean += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // The generator must reach past the parser: some reports check clean.
    assert!(
        clean > 0 || std::env::var("GDR_FUZZ_SEED").is_ok(),
        "no generated report checked clean"
    );
}
