//! Audit scale: `gdr check DIR` over 10,000 generated reports of real size.
//!
//! ```sh
//! cargo bench --bench audit_scale                      # 10,000 reports, about a minute
//! cargo bench --bench audit_scale -- --reports 1000    # fewer
//! cargo bench --bench audit_scale -- --keep /tmp/audit # keep the folder to look at
//! ```
//!
//! Each report is about 30 KB, as a real one is: the `report` header, a
//! `use` of one of the two official form libraries (every other report on
//! each), every table of that format with every row stated — the totals
//! too, as a published report prints them — and six sections of prose
//! with interpolated figures and shares. The numbers are drawn at random
//! (a fixed seed) so that every rule of the form holds; 2 % of the reports
//! carry one of the errors published reports have: a 总计 column left at 0
//! (the seed report's error), a 新收 row that breaks 一 + 二 = 三 + 四, or a
//! review total that is not the sum of its parts.
//!
//! The bench writes the folder, runs the `gdr` binary that Cargo builds for
//! benchmarks on it (`gdr check --message-format short DIR`, every core),
//! and prints the wall time, the CPU time and the peak resident memory of
//! that process (`wait4`'s `ru_maxrss`), then checks that exactly the
//! reports with an error were reported. Method and results:
//! docs/performance.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const REPORTS: usize = 10_000;
/// One report in fifty carries a published-style error.
const ERROR_EVERY: usize = 50;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "--list") {
        println!("audit_scale: bench");
        return;
    }
    let reports = value_after(&args, "--reports")
        .map(|value| value.parse().expect("a number of reports"))
        .unwrap_or(REPORTS);
    let keep = value_after(&args, "--keep").map(PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("gdr-audit-scale-{}", std::process::id()))
    });
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the folder can be made");

    println!("gdr audit-scale benchmark (benches/audit_scale.rs)\n");
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(2026);
    let (mut bytes, mut wrong) = (0, Vec::new());
    for index in 0..reports {
        let library = if index % 2 == 0 {
            Library::V2021
        } else {
            Library::V2019
        };
        let error =
            (index % ERROR_EVERY == ERROR_EVERY - 1).then_some(match index / ERROR_EVERY % 3 {
                0 => Error::TotalLeftZero,
                1 => Error::BrokenBalance,
                _ => Error::ReviewTotal,
            });
        let text = report(index, library, error, &mut rng);
        bytes += text.len();
        // A hundred reports a folder, as an audit's download would be.
        let sub = dir.join(format!("{:03}", index / 100));
        std::fs::create_dir_all(&sub).expect("the folder can be made");
        let path = sub.join(format!("report-{index:05}.gdr"));
        std::fs::write(&path, text).expect("the report can be written");
        if error.is_some() {
            wrong.push(path);
        }
    }
    println!(
        "{reports} reports, {:.1} MB ({:.1} KB each), {} with an error; written in {:.1} s",
        bytes as f64 / 1e6,
        bytes as f64 / reports as f64 / 1e3,
        wrong.len(),
        started.elapsed().as_secs_f64()
    );

    let run = run_check(&dir);
    println!("\n| what | figure |\n|---|---:|");
    println!("| `gdr check DIR` wall time | {:.2} s |", run.wall);
    println!(
        "| CPU time (user + system, all threads) | {:.2} s |",
        run.cpu
    );
    println!(
        "| throughput (wall) | {:.1} MB/s, {:.0} reports/s |",
        bytes as f64 / 1e6 / run.wall,
        reports as f64 / run.wall
    );
    println!(
        "| peak resident memory | {:.1} MB |",
        run.peak_kb as f64 / 1024.0
    );
    println!("| exit status | {} |", run.status);

    // Exactly the reports with an error are reported, each with an error.
    let mut reported: Vec<PathBuf> = run
        .stdout
        .lines()
        .filter(|line| line.contains(": error[E"))
        .filter_map(|line| line.split(".gdr:").next())
        .map(|path| PathBuf::from(format!("{path}.gdr")))
        .collect();
    reported.sort();
    reported.dedup();
    wrong.sort();
    assert_eq!(
        run.status, 1,
        "gdr check must fail on the reports with errors"
    );
    assert_eq!(
        reported, wrong,
        "gdr check must report exactly the reports with an error"
    );
    println!(
        "\nReported as wrong: exactly the {} reports with an error.",
        wrong.len()
    );
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn value_after<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let index = args.iter().position(|arg| arg == flag)?;
    args.get(index + 1).map(String::as_str)
}

struct Run {
    wall: f64,
    cpu: f64,
    peak_kb: i64,
    status: i32,
    stdout: String,
}

/// Runs `gdr check` on the folder and measures the process.
fn run_check(dir: &Path) -> Run {
    let out = std::env::temp_dir().join(format!("gdr-audit-scale-{}.out", std::process::id()));
    let file = std::fs::File::create(&out).expect("the output file can be made");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_gdr"))
        .args(["check", "--message-format", "short", "--lang", "en"])
        .arg(dir)
        .stdout(Stdio::from(file.try_clone().expect("a second handle")))
        .stderr(Stdio::from(file))
        .spawn()
        .expect("gdr runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; both pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(waited, pid, "wait4 failed");
    std::mem::forget(child); // already reaped by wait4
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    let stdout = std::fs::read_to_string(&out).expect("the output can be read");
    let _ = std::fs::remove_file(&out);
    Run {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        peak_kb: usage.ru_maxrss,
        status: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
        stdout,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Library {
    V2019,
    V2021,
}

#[derive(Clone, Copy, PartialEq)]
enum Error {
    /// The 申请 table's 总计 column printed as 0 in every row.
    TotalLeftZero,
    /// 新收 one more than 一 + 二 = 三 + 四 allows, in one column.
    BrokenBalance,
    /// A review total that is not the sum of its four parts.
    ReviewTotal,
}

/// The 申请 table's processing rows (三、本年度办理结果) of each format.
fn processing_rows(library: Library) -> &'static [&'static str] {
    const COMMON: [&str; 18] = [
        "予以公开",
        "部分公开",
        "国家秘密",
        "法规禁止",
        "三安全一稳定",
        "第三方权益",
        "内部事务",
        "过程性信息",
        "执法案卷",
        "行政查询",
        "不掌握",
        "需另行制作",
        "仍不明确",
        "信访举报",
        "重复申请",
        "公开出版物",
        "大量反复",
        "确认已获取",
    ];
    const V2021: [&str; 21] = {
        let mut rows = [""; 21];
        let mut i = 0;
        while i < 18 {
            rows[i] = COMMON[i];
            i += 1;
        }
        rows[18] = "逾期不补正";
        rows[19] = "逾期未缴费";
        rows[20] = "其他";
        rows
    };
    const V2019: [&str; 19] = {
        let mut rows = [""; 19];
        let mut i = 0;
        while i < 18 {
            rows[i] = COMMON[i];
            i += 1;
        }
        rows[18] = "其他处理";
        rows
    };
    match library {
        Library::V2021 => &V2021,
        Library::V2019 => &V2019,
    }
}

const PLACES: [&str; 8] = [
    "东城", "西山", "南湖", "北塘", "青石", "白河", "金沙", "云岭",
];
const BUREAUS: [&str; 8] = [
    "交通运输局",
    "自然资源局",
    "生态环境局",
    "市场监督管理局",
    "住房和城乡建设局",
    "教育局",
    "卫生健康委员会",
    "人民政府办公室",
];

/// One report.
fn report(index: usize, library: Library, error: Option<Error>, rng: &mut fastrand::Rng) -> String {
    let year = match library {
        Library::V2021 => 2021 + (index / 2 % 4) as i32,
        Library::V2019 => 2019 + (index / 2 % 2) as i32,
    };
    let agency = format!(
        "{}县{}",
        PLACES[index % PLACES.len()],
        BUREAUS[index / PLACES.len() % BUREAUS.len()]
    );
    let government = agency.ends_with("人民政府办公室");
    let mut out = String::with_capacity(32 * 1024);
    let _ = writeln!(
        out,
        "// Generated by benches/audit_scale.rs (report {index}).\n"
    );
    let _ = writeln!(out, "report {{");
    let _ = writeln!(
        out,
        "  title     \"{agency}{year}年度政府信息公开工作年度报告\""
    );
    let _ = writeln!(out, "  agency    \"{agency}\"");
    let _ = writeln!(out, "  year      {year}");
    let (month, day) = if government { (3, 20) } else { (1, 25) };
    let _ = writeln!(out, "  published {}-{month:02}-{day:02}", year + 1);
    if government {
        let _ = writeln!(out, "  issuer    government");
    }
    let _ = writeln!(out, "}}\n");
    let name = match library {
        Library::V2021 => "gov_disclosure_2021",
        Library::V2019 => "gov_disclosure_2019",
    };
    let _ = writeln!(out, "use {name}\n");

    let who = (agency.as_str(), year);
    prose_section(&mut out, "一、总体情况", library, who, 14, rng);
    out.push_str("section \"二、主动公开政府信息情况\" {\n");
    prose(&mut out, library, who, 6, rng);
    active_tables(&mut out, library, rng);
    out.push_str("}\n\n");

    out.push_str("section \"三、收到和处理政府信息公开申请情况\" {\n");
    prose(&mut out, library, who, 6, rng);
    applications(&mut out, library, error, rng);
    out.push_str("}\n\n");

    out.push_str("section \"四、政府信息公开行政复议、行政诉讼情况\" {\n");
    prose(&mut out, library, who, 3, rng);
    reviews(&mut out, error, rng);
    out.push_str("}\n\n");

    prose_section(
        &mut out,
        "五、存在的主要问题及改进情况",
        library,
        who,
        8,
        rng,
    );
    prose_section(&mut out, "六、其他需要报告的事项", library, who, 5, rng);
    out
}

fn prose_section(
    out: &mut String,
    title: &str,
    library: Library,
    who: (&str, i32),
    paragraphs: usize,
    rng: &mut fastrand::Rng,
) {
    let _ = writeln!(out, "section \"{title}\" {{");
    prose(out, library, who, paragraphs, rng);
    out.push_str("}\n\n");
}

/// Paragraphs of about 400 bytes, one in three quoting the tables.
fn prose(
    out: &mut String,
    library: Library,
    (agency, year): (&str, i32),
    paragraphs: usize,
    rng: &mut fastrand::Rng,
) {
    const SENTENCES: [&str; 8] = [
        "坚持以公开为常态、不公开为例外，围绕中心工作，及时准确公开政府信息",
        "进一步健全政府信息公开工作机制，明确分管领导和专职工作人员，落实公开属性源头认定",
        "依托政府门户网站、政务新媒体和政务服务大厅等平台，拓宽信息发布渠道",
        "加强政策解读和回应关切，通过图解、视频和在线访谈等形式解读重要政策",
        "严格执行政府信息公开保密审查制度，做到先审查、后公开，一事一审、全面审查",
        "做好依申请公开工作，规范受理、交办、答复等环节，确保在法定期限内答复",
        "加强业务培训，全年组织政务公开专题培训，提升工作人员的业务能力",
        "主动接受社会监督，畅通意见建议渠道，及时回应群众关切",
    ];
    const QUOTES: [&str; 4] = [
        "全年共收到政府信息公开申请{申请.新收[总计]}，上年结转{申请.上年结转[总计]}",
        "予以公开的占本年办理总数的{申请.予以公开[总计] / 申请.办理.总计[总计]:%1}",
        "结转下年度继续办理{申请.结转下年[总计]}",
        "本年行政许可处理决定{第五项.行政许可[DECISIONS]}",
    ];
    let decisions = match library {
        Library::V2021 => "本年处理决定数量",
        Library::V2019 => "处理决定数量",
    };
    for _ in 0..paragraphs {
        out.push_str("  \"");
        let _ = write!(out, "{year}年，{agency}");
        for _ in 0..4 {
            out.push_str(SENTENCES[rng.usize(..SENTENCES.len())]);
            out.push('，');
        }
        if rng.usize(..3) == 0 {
            out.push_str(&QUOTES[rng.usize(..QUOTES.len())].replace("DECISIONS", decisions));
            out.push('，');
        }
        out.push_str(SENTENCES[rng.usize(..SENTENCES.len())]);
        out.push_str("。\"\n\n");
    }
}

fn row(out: &mut String, name: &str, cells: &[String]) {
    let _ = writeln!(out, "    {name} [{}]", cells.join(", "));
}

fn counts(rng: &mut fastrand::Rng, n: usize, max: u32) -> Vec<String> {
    (0..n).map(|_| rng.u32(0..=max).to_string()).collect()
}

/// The tables of 第二十条: counts, and a fee in 万元.
fn active_tables(out: &mut String, library: Library, rng: &mut fastrand::Rng) {
    match library {
        Library::V2021 => {
            out.push_str("  table 第一项 = 第二十条第一项 {\n");
            row(out, "规章", &counts(rng, 3, 3));
            row(out, "行政规范性文件", &counts(rng, 3, 40));
            out.push_str("  }\n  table 第五项 = 第二十条第五项 {\n");
            row(out, "行政许可", &counts(rng, 1, 900));
            out.push_str("  }\n  table 第六项 = 第二十条第六项 {\n");
            row(out, "行政处罚", &counts(rng, 1, 300));
            row(out, "行政强制", &counts(rng, 1, 30));
            out.push_str("  }\n  table 第八项 = 第二十条第八项 {\n");
            let fee = format!("{}.{:02}", rng.u32(0..40), rng.u32(0..100));
            row(out, "行政事业性收费", &[fee]);
        }
        Library::V2019 => {
            out.push_str("  table 第一项 = 第二十条第一项 {\n");
            // 本年新公开数量 is at most 本年新制作数量 and 对外公开总数量.
            let mut made = |max: u32| {
                let made = rng.u32(0..=max);
                let published = rng.u32(0..=made);
                [made, published, made + rng.u32(0..=max)].map(|n| n.to_string())
            };
            row(out, "规章", &made(3));
            row(out, "规范性文件", &made(40));
            out.push_str("  }\n  table 第五项 = 第二十条第五项 {\n");
            row(out, "行政许可", &counts(rng, 3, 900));
            row(out, "其他对外管理服务事项", &counts(rng, 3, 90));
            out.push_str("  }\n  table 第六项 = 第二十条第六项 {\n");
            row(out, "行政处罚", &counts(rng, 3, 300));
            row(out, "行政强制", &counts(rng, 3, 30));
            out.push_str("  }\n  table 第八项 = 第二十条第八项 {\n");
            // 上一年项目数量, 本年增减: the 2019 第八项 counts items.
            row(out, "行政事业性收费", &counts(rng, 2, 20));
            out.push_str("  }\n  table 第九项 = 第二十条第九项 {\n");
            let amount = format!("{}.{:02}", rng.u32(0..900), rng.u32(0..100));
            row(out, "政府集中采购", &[rng.u32(0..30).to_string(), amount]);
        }
    }
    out.push_str("  }\n");
}

/// 申请处理情况, every row stated with its 总计, so that 一 + 二 = 三 + 四
/// holds in every column.
fn applications(out: &mut String, library: Library, error: Option<Error>, rng: &mut fastrand::Rng) {
    const COLUMNS: usize = 6;
    let processing = processing_rows(library);
    let mut rows: Vec<(&str, [i64; COLUMNS])> = Vec::new();
    let mut handled = [0i64; COLUMNS];
    for name in processing {
        // Most processing rows are empty; 予以公开 is the largest.
        let mut cells = [0i64; COLUMNS];
        for (column, cell) in cells.iter_mut().enumerate() {
            let weight = if *name == "予以公开" { 30 } else { 2 };
            if *name == "予以公开" && column == 0 {
                *cell = rng.i64(1..=weight); // so that shares of the total exist
            } else if rng.u8(..4) == 0 {
                *cell = rng.i64(0..=weight);
            }
        }
        for (sum, cell) in handled.iter_mut().zip(cells) {
            *sum += cell;
        }
        rows.push((name, cells));
    }
    let carried_over: [i64; COLUMNS] =
        std::array::from_fn(|column| rng.i64(0..=handled[column].min(3)));
    let carried_on: [i64; COLUMNS] = std::array::from_fn(|_| rng.i64(0..=2));
    let mut new: [i64; COLUMNS] =
        std::array::from_fn(|column| handled[column] + carried_on[column] - carried_over[column]);
    if error == Some(Error::BrokenBalance) {
        new[0] += 1;
    }
    out.push_str("  table 申请 = 申请处理情况 {\n");
    let total_left_zero = error == Some(Error::TotalLeftZero);
    let mut write = |name: &str, cells: &[i64; COLUMNS]| {
        let total: i64 = if total_left_zero {
            0
        } else {
            cells.iter().sum()
        };
        let mut printed: Vec<String> = cells.iter().map(i64::to_string).collect();
        printed.push(total.to_string());
        row(out, name, &printed);
    };
    write("新收", &new);
    write("上年结转", &carried_over);
    for (name, cells) in &rows {
        write(name, cells);
    }
    write("结转下年", &carried_on);
    out.push_str("  }\n");
}

/// 复议诉讼情况: three groups of four counts and their 总计.
fn reviews(out: &mut String, error: Option<Error>, rng: &mut fastrand::Rng) {
    let mut cells = Vec::new();
    for group in 0..3 {
        let parts: Vec<u32> = (0..4).map(|_| rng.u32(0..=2)).collect();
        let mut total: u32 = parts.iter().sum();
        if group == 0 && error == Some(Error::ReviewTotal) {
            total += 1;
        }
        cells.extend(parts.iter().map(u32::to_string));
        cells.push(total.to_string());
    }
    out.push_str("  table 复议诉讼 = 复议诉讼情况 {\n");
    row(out, "件数", &cells);
    out.push_str("  }\n");
}
