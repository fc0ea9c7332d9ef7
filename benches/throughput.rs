//! Throughput, linearity and peak memory of `gdr` on generated table-heavy
//! reports of about 1 KB, 100 KB, 1 MB and 10 MB.
//!
//! ```sh
//! cargo bench --bench throughput                  # the whole run, about a minute
//! cargo bench --bench throughput -- --emit 100000  # print the ~100 KB input
//! ```
//!
//! For each size it measures, in this process:
//! - `parse`: `SourceFile::new` + `gdr::syntax::parse_on` (scan, pest,
//!   lowering) on as many threads as there are cores, as `gdr check` of one
//!   file does;
//! - `parse+check`: `SourceFile::new` + `gdr::check_with_options` (everything
//!   `gdr check` of one file does except reading it and printing
//!   diagnostics);
//! - each renderer, and `build -f all` = `gdr::compile` (which also builds
//!   the report model) + the four renderers;
//!
//! and, in a child process per size (this binary re-executed with `--child
//! BYTES`), the peak resident memory (`VmHWM` of `/proc/self/status`) of
//! generating the input, compiling it once and rendering all four formats,
//! holding the four outputs at once as `gdr build -f all` does. The peak is
//! reset (`/proc/self/clear_refs`) after the input is generated, so the
//! figure is that of a process holding the input and compiling it.
//!
//! Times are the median of several repetitions (the best is printed too),
//! both wall-clock and the CPU time of this process
//! (`CLOCK_PROCESS_CPUTIME_ID`: all its threads, since a file from 128 KiB
//! up is parsed on several; other processes on the machine do not inflate
//! it). The CPU time is the work one core would do; MB are 10^6 bytes.
//! Finally it times `gdr check examples/pingyuan-2020.gdr` as a whole
//! process (the `gdr` binary that Cargo builds for benchmarks) and the same
//! check in this process.
//! Method and results: docs/performance.md.
//!
//! The inputs cycle through four kinds of top-level section, each valid and
//! each check holding (the run stops if any compilation has an error):
//! - a money table (万元, decimals, a column formula `结余 = 预算 - 执行`, a
//!   `合计` row whose `auto` cells two formulas derive, a `within` check);
//! - lets with a scalar check and a `"""` paragraph interpolating them;
//! - the official application table (7 columns in a group with a derived
//!   `总计`, 10 rows with a derived `（七）总计` row, `auto` cells, the rule
//!   `新收 + 上年结转 == 总计 + 结转下年`) and a paragraph with a share `:%2`;
//! - the review/litigation table (15 columns in three groups, each with a
//!   column formula, a formula-only row, single-cell checks).

use std::fmt::Write as _;
use std::hint::black_box;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gdr::SourceFile;
use gdr::render::{self, Format};

const SIZES: [usize; 4] = [1_000, 100_000, 1_000_000, 10_000_000];
const FORMATS: [Format; 4] = [Format::Markdown, Format::Html, Format::Json, Format::Typst];
const SEED_EXAMPLE: &str = "examples/pingyuan-2020.gdr";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(bytes) = value_after(&args, "--child") {
        child(bytes);
        return;
    }
    if let Some(bytes) = value_after(&args, "--emit") {
        print!("{}", generate(bytes));
        return;
    }
    if args.iter().any(|arg| arg == "--list") {
        // `cargo bench -- --list` and `cargo test --benches` ask for a list.
        println!("throughput: bench");
        return;
    }
    run();
}

fn value_after(args: &[String], flag: &str) -> Option<usize> {
    let index = args.iter().position(|arg| arg == flag)?;
    let value = args.get(index + 1)?;
    Some(value.replace('_', "").parse().expect("a byte count"))
}

// ---------------------------------------------------------------------------
// The whole run.

struct Row {
    bytes: usize,
    cold: Sample,
    lines: usize,
    tables: usize,
    checks: usize,
    parse: Stats,
    /// `gdr::check_with`, as `gdr check`.
    compile: Stats,
    /// `gdr::compile`, with the report model, as `gdr build`.
    compile_model: Stats,
    render: Vec<Stats>,
}

fn run() {
    println!("gdr throughput benchmark (benches/throughput.rs)");
    println!(
        "generated table-heavy reports; times are medians (best in brackets); MB = 10^6 bytes\n"
    );
    let mut rows = Vec::new();
    for bytes in SIZES {
        rows.push(measure(bytes));
    }

    println!("\n## Inputs\n");
    println!(
        "| {:>10} | {:>10} | {:>7} | {:>7} | {:>7} |",
        "target", "bytes", "lines", "tables", "checks"
    );
    println!("|-----------:|-----------:|--------:|--------:|--------:|");
    for row in &rows {
        println!(
            "| {:>10} | {:>10} | {:>7} | {:>7} | {:>7} |",
            human_bytes(row.bytes_target()),
            row.bytes,
            row.lines,
            row.tables,
            row.checks
        );
    }

    println!("\n## Parse and parse+check (one core)\n");
    println!(
        "| {:>8} | {:>4} | {:>21} | {:>21} | {:>21} | {:>10} | {:>10} | {:>9} | {:>7} |",
        "input",
        "reps",
        "parse (wall)",
        "parse+check (wall)",
        "parse+check (CPU)",
        "MB/s CPU",
        "MB/s wall",
        "cold",
        "parse %"
    );
    println!(
        "|---------:|-----:|----------------------:|----------------------:|----------------------:|-----------:|-----------:|----------:|--------:|"
    );
    for row in &rows {
        println!(
            "| {:>8} | {:>4} | {:>21} | {:>21} | {:>21} | {:>10.2} | {:>10.2} | {:>9} | {:>6.0}% |",
            human_bytes(row.bytes_target()),
            row.compile.samples.len(),
            row.parse.show(),
            row.compile.show(),
            row.compile.show_cpu(),
            mb_per_s(row.bytes, row.compile.cpu_median()),
            mb_per_s(row.bytes, row.compile.median()),
            human_duration(row.cold.wall),
            100.0 * row.parse.cpu_median().as_secs_f64() / row.compile.cpu_median().as_secs_f64()
        );
    }
    println!("\nTimes: median (best). `parse`: SourceFile::new + gdr::syntax::parse_on.");
    println!(
        "`parse+check`: SourceFile::new + gdr::check_with. CPU: the process's on-CPU time, all threads."
    );
    println!("MB/s: from the median CPU time and from the median wall time.");
    println!(
        "`cold`: wall time of the first parse+check at that size, before the allocator holds the"
    );
    println!("memory it needs. `parse %`: median parse CPU / median parse+check CPU.");

    println!(
        "\n## Rendering and `build -f all` (gdr::compile + all four renderers; median CPU time)\n"
    );
    println!(
        "| {:>8} | {:>10} | {:>10} | {:>10} | {:>10} | {:>12} | {:>8} |",
        "input", "markdown", "html", "json", "typst", "build -f all", "MB/s"
    );
    println!(
        "|---------:|-----------:|-----------:|-----------:|-----------:|-------------:|---------:|"
    );
    let build = |row: &Row| {
        row.compile_model.cpu_median() + row.render.iter().map(Stats::cpu_median).sum::<Duration>()
    };
    for row in &rows {
        println!(
            "| {:>8} | {:>10} | {:>10} | {:>10} | {:>10} | {:>12} | {:>8.2} |",
            human_bytes(row.bytes_target()),
            human_duration(row.render[0].cpu_median()),
            human_duration(row.render[1].cpu_median()),
            human_duration(row.render[2].cpu_median()),
            human_duration(row.render[3].cpu_median()),
            human_duration(build(row)),
            mb_per_s(row.bytes, build(row))
        );
    }

    println!(
        "\n## Linearity: time ratio per 10x bytes (time ratio / byte ratio x 10; target <= 11)\n"
    );
    println!(
        "| {:>16} | {:>10} | {:>17} | {:>18} | {:>16} | {:>16} |",
        "step",
        "byte ratio",
        "parse+check CPU",
        "parse+check wall",
        "build -f all CPU",
        "cold (wall)"
    );
    println!(
        "|-----------------:|-----------:|------------------:|-------------------:|-----------------:|-----------------:|"
    );
    for pair in rows.windows(2) {
        let (small, large) = (&pair[0], &pair[1]);
        let byte_ratio = large.bytes as f64 / small.bytes as f64;
        let normalise = |large_time: Duration, small_time: Duration| {
            large_time.as_secs_f64() / small_time.as_secs_f64() / byte_ratio * 10.0
        };
        println!(
            "| {:>16} | {:>10.2} | {:>17.2} | {:>18.2} | {:>16.2} | {:>16.2} |",
            format!(
                "{} -> {}",
                human_bytes(small.bytes_target()),
                human_bytes(large.bytes_target())
            ),
            byte_ratio,
            normalise(large.compile.cpu_median(), small.compile.cpu_median()),
            normalise(large.compile.median(), small.compile.median()),
            normalise(build(large), build(small)),
            normalise(large.cold.wall, small.cold.wall)
        );
    }
    println!(
        "\n(medians; 1 KB -> 100 KB includes the fixed cost of a compilation in the 1 KB figure)"
    );

    println!("\n## Peak memory (VmHWM, one child process per size)\n");
    println!(
        "| {:>8} | {:>10} | {:>12} | {:>12} | {:>10} | {:>12} | {:>10} |",
        "input", "input MB", "RSS before", "peak check", "check/in", "peak build", "build/in"
    );
    println!(
        "|---------:|-----------:|-------------:|-------------:|-----------:|-------------:|-----------:|"
    );
    for row in &rows {
        let memory = child_memory(row.bytes_target());
        let input = memory.bytes as f64;
        println!(
            "| {:>8} | {:>10.3} | {:>9} MB | {:>9} MB | {:>9.1}x | {:>9} MB | {:>9.1}x |",
            human_bytes(row.bytes_target()),
            input / 1e6,
            kb_to_mb(memory.before),
            kb_to_mb(memory.peak_check),
            memory.peak_check as f64 * 1024.0 / input,
            kb_to_mb(memory.peak_build),
            memory.peak_build as f64 * 1024.0 / input,
        );
        if !memory.reset {
            println!(
                "(note: /proc/self/clear_refs could not reset the peak: it includes generating the input)"
            );
        }
    }
    println!(
        "\n`RSS before`: the child after generating the input (binary, libc, the input text)."
    );
    println!(
        "`peak check`: the peak while checking (SourceFile + gdr::check_with); `/in` = peak / input bytes."
    );
    println!(
        "`peak build`: the peak after also compiling with the model (gdr::compile), rendering all"
    );
    println!("four formats and holding the outputs.");

    println!("\n## `gdr check {SEED_EXAMPLE}` as a whole process\n");
    seed_process();
}

impl Row {
    fn bytes_target(&self) -> usize {
        SIZES
            .iter()
            .copied()
            .min_by_key(|target| target.abs_diff(self.bytes))
            .unwrap_or(self.bytes)
    }
}

/// Generates one size and times it.
fn measure(target: usize) -> Row {
    let text = generate(target);
    let lines = text.lines().count();
    let tables = text.matches("\n  table ").count();
    let checks = text.matches(" check ").count();
    let bytes = text.len();
    eprint!("{:>8}: {} bytes ...", human_bytes(target), bytes);

    // One compilation first: it must be clean, and it warms the caches.
    // Its time is the `cold` one: the first compilation in this process at
    // this size, when the allocator still has to get its memory from the
    // kernel, as in a `gdr check` process.
    let copy = text.clone();
    let start = Clock::start();
    let compilation = gdr::compile(&SourceFile::new("bench.gdr", copy));
    let cold = start.stop();
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity != gdr::Severity::Note)
        .collect();
    assert!(
        errors.is_empty(),
        "the generated {target}-byte report must check clean, but gives {} diagnostics; the first: {:#?}",
        errors.len(),
        errors.first()
    );
    let (reps, budget) = repetitions(bytes);

    let parse = time(reps, budget, || {
        let source = SourceFile::new("bench.gdr", text.clone());
        let start = Clock::start();
        let parsed = gdr::syntax::parse_on(black_box(&source), cores());
        let elapsed = start.stop();
        drop(black_box(parsed));
        elapsed
    });
    let compile = time(reps, budget, || {
        let copy = text.clone();
        let start = Clock::start();
        let source = SourceFile::new("bench.gdr", black_box(copy));
        let (diagnostics, sources, _) = gdr::check_with_options(
            &source,
            &gdr::modules::NoFiles,
            gdr::Options {
                parse_threads: cores(),
                ..gdr::Options::default()
            },
        );
        let elapsed = start.stop();
        assert!(diagnostics.iter().all(|d| !d.is_error()));
        drop(black_box((diagnostics, sources)));
        elapsed
    });
    let compile_model = time(reps, budget, || {
        let copy = text.clone();
        let start = Clock::start();
        let compilation = gdr::compile(&SourceFile::new("bench.gdr", black_box(copy)));
        let elapsed = start.stop();
        assert!(!compilation.has_errors());
        drop(black_box(compilation));
        elapsed
    });
    let render = FORMATS
        .iter()
        .map(|&format| {
            time(reps, budget / 2, || {
                let start = Clock::start();
                let out = render::render(black_box(&compilation.report), format);
                let elapsed = start.stop();
                drop(black_box(out));
                elapsed
            })
        })
        .collect();
    eprintln!(" parse+check {}", compile.show());
    Row {
        bytes,
        cold,
        lines,
        tables,
        checks,
        parse,
        compile,
        compile_model,
        render,
    }
}

/// How many repetitions, at most, and the time after which to stop (at
/// least three repetitions are always made).
fn repetitions(bytes: usize) -> (usize, Duration) {
    match bytes {
        0..=10_000 => (2_000, Duration::from_secs(2)),
        10_001..=500_000 => (50, Duration::from_secs(3)),
        500_001..=5_000_000 => (15, Duration::from_secs(5)),
        _ => (5, Duration::from_secs(10)),
    }
}

/// One timed run: wall-clock time, and the CPU time of this process (all
/// its threads), which other processes competing for the cores do not
/// inflate.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

struct Clock {
    wall: Instant,
    cpu: Duration,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            cpu: process_cpu(),
            wall: Instant::now(),
        }
    }
    fn stop(&self) -> Sample {
        let wall = self.wall.elapsed();
        Sample {
            wall,
            cpu: process_cpu().saturating_sub(self.cpu),
        }
    }
}

/// This process's CPU time, all threads: `clock_gettime(
/// CLOCK_PROCESS_CPUTIME_ID)` from the C library that std already links (no
/// dependency added).
fn process_cpu() -> Duration {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: `time` is a valid, writable timespec (64-bit Linux layout).
    if unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut time) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(time.seconds as u64, time.nanoseconds as u32)
}

struct Stats {
    /// Wall-clock times, sorted.
    samples: Vec<Duration>,
    /// CPU times, sorted.
    cpu: Vec<Duration>,
}

impl Stats {
    fn median(&self) -> Duration {
        self.samples[self.samples.len() / 2]
    }
    fn best(&self) -> Duration {
        self.samples[0]
    }
    fn cpu_median(&self) -> Duration {
        self.cpu[self.cpu.len() / 2]
    }
    fn cpu_best(&self) -> Duration {
        self.cpu[0]
    }
    fn show(&self) -> String {
        format!(
            "{} ({})",
            human_duration(self.median()),
            human_duration(self.best())
        )
    }
    fn show_cpu(&self) -> String {
        format!(
            "{} ({})",
            human_duration(self.cpu_median()),
            human_duration(self.cpu_best())
        )
    }
}

fn time(max_reps: usize, budget: Duration, mut once: impl FnMut() -> Sample) -> Stats {
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut cpu = Vec::new();
    while samples.len() < max_reps && (samples.len() < 3 || started.elapsed() < budget) {
        let sample = once();
        samples.push(sample.wall);
        cpu.push(sample.cpu);
    }
    samples.sort();
    cpu.sort();
    Stats { samples, cpu }
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / 1e6 / time.as_secs_f64()
}

fn human_bytes(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} KB", bytes / 1_000),
        _ => format!("{} MB", bytes / 1_000_000),
    }
}

fn human_duration(time: Duration) -> String {
    let secs = time.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else {
        format!("{:.1} µs", secs * 1e6)
    }
}

fn kb_to_mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 * 1024.0 / 1e6)
}

// ---------------------------------------------------------------------------
// Peak memory, in a child process per size.

struct Memory {
    bytes: usize,
    before: u64,
    peak_check: u64,
    peak_build: u64,
    reset: bool,
}

fn child_memory(target: usize) -> Memory {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let output = Command::new(exe)
        .args(["--child", &target.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .expect("re-executing the bench binary");
    assert!(
        output.status.success(),
        "the child for {target} bytes failed"
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| -> u64 {
        text.split_whitespace()
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("the child printed no {name}: {text}"))
    };
    Memory {
        bytes: field("bytes") as usize,
        before: field("before"),
        peak_check: field("peak_check"),
        peak_build: field("peak_build"),
        reset: field("reset") == 1,
    }
}

/// `--child BYTES`: generate, compile once, render all formats; print the
/// memory figures (in kB, as /proc reports them) on one line.
fn child(target: usize) {
    let text = generate(target);
    let bytes = text.len();
    let reset = reset_peak();
    let before = status_kb("VmRSS");
    let checked = gdr::check_with(&SourceFile::new("bench.gdr", text), &gdr::modules::NoFiles);
    black_box(&checked);
    let peak_check = status_kb("VmHWM");
    drop(checked);
    // The same input again (generation is deterministic), for `gdr build`.
    let text = generate(target);
    let compilation = gdr::compile(&SourceFile::new("bench.gdr", text));
    black_box(&compilation);
    let outputs: Vec<String> = FORMATS
        .iter()
        .map(|&format| render::render(&compilation.report, format))
        .collect();
    black_box(&outputs);
    let peak_build = status_kb("VmHWM");
    println!(
        "bytes={bytes} before={before} peak_check={peak_check} peak_build={peak_build} reset={}",
        u8::from(reset)
    );
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {key} in /proc/self/status"))
}

// ---------------------------------------------------------------------------
// The seed example as a whole process.

fn seed_process() {
    let gdr = env!("CARGO_BIN_EXE_gdr");
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/pingyuan-2020.gdr");
    let run = || {
        let start = Clock::start();
        let status = Command::new(gdr)
            .args(["check", example])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("running gdr");
        let elapsed = start.stop();
        // The seed example is transcribed as published: it has errors.
        assert_eq!(status.code(), Some(1), "gdr check {example}");
        elapsed
    };
    for _ in 0..5 {
        run();
    }
    let stats = time(200, Duration::from_secs(5), run);
    let text = std::fs::read_to_string(example).expect("the seed example");
    println!(
        "{} runs of `{gdr} check {SEED_EXAMPLE}` ({} bytes, exit 1): median {}, best {}, worst {} (target < 5 ms)",
        stats.samples.len(),
        text.len(),
        human_duration(stats.median()),
        human_duration(stats.best()),
        human_duration(*stats.samples.last().unwrap()),
    );
    // The same compilation in this process: what is left is the process
    // (exec, dynamic loading, argument parsing, reading the file) and
    // printing the diagnostics.
    let in_process = time(1_000, Duration::from_secs(2), || {
        let copy = text.clone();
        let start = Clock::start();
        let source = SourceFile::new(SEED_EXAMPLE, black_box(copy));
        let checked = gdr::check_with_options(
            &source,
            &gdr::modules::NoFiles,
            gdr::Options {
                parse_threads: cores(),
                ..gdr::Options::default()
            },
        );
        let elapsed = start.stop();
        drop(black_box(checked));
        elapsed
    });
    let parse = time(1_000, Duration::from_secs(1), || {
        let source = SourceFile::new(SEED_EXAMPLE, text.clone());
        let start = Clock::start();
        let parsed = gdr::syntax::parse_on(black_box(&source), cores());
        let elapsed = start.stop();
        drop(black_box(parsed));
        elapsed
    });
    println!(
        "the same file checked in this process ({} runs): parse {} CPU, parse+check {} CPU, {} wall; {:.2} MB/s (CPU)",
        in_process.samples.len(),
        human_duration(parse.cpu_median()),
        human_duration(in_process.cpu_median()),
        human_duration(in_process.median()),
        mb_per_s(text.len(), in_process.cpu_median())
    );
    println!(
        "(medians; the difference from the whole process is exec, loading, arguments, reading"
    );
    println!("the file, printing the diagnostics and a cold heap)");
}

// ---------------------------------------------------------------------------
// The inputs.

/// A deterministic xorshift generator: no dependency, same input every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number in `low..high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low)
    }
}

/// A valid report of about `target` bytes: the header, then sections of the
/// four kinds in turn, as many as fit (at least one).
fn generate(target: usize) -> String {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut out = String::with_capacity(target + 4096);
    out.push_str(
        "// Generated by benches/throughput.rs: a table-heavy report whose every check holds.\n\
         report {\n  title     \"基准测试2021年度政府信息公开工作年度报告\"\n  agency    \"基准测试局\"\n  \
         year      2021\n  published 2022-01-20\n}\n\n",
    );
    let mut section = String::new();
    for index in 0.. {
        section.clear();
        match index % 4 {
            0 => money_table(&mut section, index, &mut rng),
            1 => lets_and_prose(&mut section, index, &mut rng),
            2 => applications(&mut section, index, &mut rng),
            _ => reviews(&mut section, index, &mut rng),
        }
        if index > 0 && out.len() + section.len() > target {
            break;
        }
        out.push_str(&section);
    }
    out
}

/// A money table: decimals in 万元, a column formula, a 合计 row derived
/// both by its row formula and the column formula, a `within` check.
fn money_table(out: &mut String, index: usize, rng: &mut Rng) {
    let items = ["人员经费", "平台建设", "培训宣传", "印刷出版"];
    let _ = writeln!(out, "section \"经费保障情况（{index}）\" {{");
    let _ = writeln!(out, "  table 经费{index} \"政府信息公开工作经费\" {{");
    let _ = writeln!(out, "    unit 万元");
    let _ = writeln!(
        out,
        "    columns {{ 预算 执行 \"实际支出\" 结余 = 预算 - 执行 }}"
    );
    let _ = writeln!(out, "    rows {{");
    for (row, item) in items.iter().enumerate() {
        // Hundredths of 万元: execution never exceeds the budget.
        let budget = rng.range(1_000, 90_000);
        let spent = rng.range(0, budget + 1);
        let _ = writeln!(
            out,
            "      项目{row} \"{item}\" [{}, {}, auto]",
            hundredths(budget),
            hundredths(spent)
        );
    }
    let _ = writeln!(
        out,
        "      合计 \"合计\" [auto, auto, auto] = sum(项目0, 项目1, 项目2, 项目3)"
    );
    let _ = writeln!(out, "    }}");
    let _ = writeln!(out, "    check 合计[结余] >= 0 万元");
    let _ = writeln!(
        out,
        "    check 合计[执行] == 项目0[执行] + 项目1[执行] + 项目2[执行] + 项目3[执行] within 0.01 万元"
    );
    let _ = writeln!(out, "  }}");
    let _ = writeln!(out, "}}\n");
}

fn hundredths(value: u64) -> String {
    format!("{}.{:02}", value / 100, value % 100)
}

/// Lets, a scalar check over them, and a `"""` paragraph interpolating them.
fn lets_and_prose(out: &mut String, index: usize, rng: &mut Rng) {
    let letters = rng.range(50, 500);
    let messages = rng.range(100, 900);
    let calls = rng.range(1_000, 9_000);
    let _ = writeln!(out, "section \"回应社会关切（{index}）\" {{");
    let _ = writeln!(out, "  let 信箱{index} = {letters} 次");
    let _ = writeln!(out, "  let 留言{index} = {messages} 次");
    let _ = writeln!(out, "  let 热线{index} = {calls} 次");
    let _ = writeln!(out, "  let 回应{index} = {} 次", letters + messages + calls);
    let _ = writeln!(
        out,
        "  check 回应{index} == 信箱{index} + 留言{index} + 热线{index}"
    );
    let _ = writeln!(out, "  \"\"\"");
    let _ = writeln!(
        out,
        "  聚焦群众、企业最关注的政务信息，着力构建解读、回应、互动公开体系，\n  \
         共回应社会关切{{回应{index}:num}}次，其中市长信箱{{信箱{index}}}，\n  \
         网民留言{{留言{index}}}，12345服务热线{{热线{index}}}，热线占{{热线{index} / 回应{index}:%2}}。"
    );
    let _ = writeln!(out, "  \"\"\"");
    let _ = writeln!(out, "}}\n");
}

/// The official application table (2019 layout, shortened): 7 columns with a
/// group and a derived 总计, 11 rows with a group and a derived 总计 row.
fn applications(out: &mut String, index: usize, rng: &mut Rng) {
    const HANDLED: [(&str, &str); 6] = [
        ("予以公开", "（一）予以公开"),
        (
            "部分公开",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        ("不予公开", "（三）不予公开"),
        ("无法提供", "（四）无法提供"),
        ("不予处理", "（五）不予处理"),
        ("其他处理", "（六）其他处理"),
    ];
    let leaves = 6;
    let handled: Vec<Vec<u64>> = HANDLED
        .iter()
        .map(|_| (0..leaves).map(|_| rng.range(1, 30)).collect())
        .collect();
    let carried: Vec<u64> = (0..leaves).map(|_| rng.range(0, 5)).collect();
    let total: Vec<u64> = (0..leaves)
        .map(|c| handled.iter().map(|row| row[c]).sum::<u64>() + carried[c])
        .collect();
    let previous: Vec<u64> = total.iter().map(|&t| rng.range(0, t / 4 + 1)).collect();
    let new: Vec<u64> = total.iter().zip(&previous).map(|(t, p)| t - p).collect();
    let cells = |values: &[u64]| {
        let mut s = String::from("[");
        for value in values {
            let _ = write!(s, "{value:>3}, ");
        }
        s.push_str("auto]");
        s
    };
    let t = format!("申请{index}");
    let _ = writeln!(
        out,
        "section \"三、收到和处理政府信息公开申请情况（{index}）\" {{"
    );
    let _ = writeln!(
        out,
        "  \"本年度新收政府信息公开申请{{{t}.新收[总计]}}，办结{{{t}.办理.总计[总计]}}，\
         予以公开率{{{t}.办理.予以公开[总计] / {t}.办理.总计[总计]:%2}}。\""
    );
    let _ = writeln!(out, "  table {t} \"三、收到和处理政府信息公开申请情况\" {{");
    let _ = writeln!(out, "    unit 件");
    let _ = writeln!(
        out,
        "    note \"本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和\""
    );
    let _ = writeln!(out, "    columns {{");
    let _ = writeln!(out, "      自然人");
    let _ = writeln!(
        out,
        "      法人或其他组织 {{ 商业企业 科研机构 社会公益组织 法律服务机构 其他 }}"
    );
    let _ = writeln!(out, "      总计 = sum(自然人, 法人或其他组织)");
    let _ = writeln!(out, "    }}");
    let _ = writeln!(out, "    rows {{");
    let _ = writeln!(
        out,
        "      新收     \"一、本年新收政府信息公开申请数量\" {}",
        cells(&new)
    );
    let _ = writeln!(
        out,
        "      上年结转 \"二、上年结转政府信息公开申请数量\" {}",
        cells(&previous)
    );
    let _ = writeln!(out, "      办理 \"三、本年度办理结果\" {{");
    for ((name, label), values) in HANDLED.iter().zip(&handled) {
        let _ = writeln!(out, "        {name} \"{label}\" {}", cells(values));
    }
    let _ = writeln!(
        out,
        "        总计 \"（七）总计\" [auto, auto, auto, auto, auto, auto, auto] = sum(办理)"
    );
    let _ = writeln!(out, "      }}");
    let _ = writeln!(
        out,
        "      结转下年 \"四、结转下年度继续办理\" {}",
        cells(&carried)
    );
    let _ = writeln!(out, "    }}");
    let _ = writeln!(out, "    check 新收 + 上年结转 == 总计 + 结转下年");
    let _ = writeln!(out, "  }}");
    let _ = writeln!(out, "}}\n");
}

/// The review and litigation table: three column groups, each with a
/// derived 总计, two data rows and a formula-only row, single-cell checks.
fn reviews(out: &mut String, index: usize, rng: &mut Rng) {
    let t = format!("复议诉讼{index}");
    let _ = writeln!(
        out,
        "section \"四、政府信息公开行政复议、行政诉讼情况（{index}）\" {{"
    );
    let _ = writeln!(
        out,
        "  table {t} \"四、政府信息公开行政复议、行政诉讼情况\" {{"
    );
    let _ = writeln!(out, "    unit 件");
    let _ = writeln!(out, "    columns {{");
    for (group, label) in [
        ("行政复议", "行政复议"),
        ("直接起诉", "未经复议直接起诉"),
        ("复议后起诉", "复议后起诉"),
    ] {
        let _ = writeln!(
            out,
            "      {group} \"{label}\" {{ 维持 \"结果维持\" 纠正 \"结果纠正\" 其他 \"其他结果\" 未审结 \"尚未审结\" 总计 = 维持 + 纠正 + 其他 + 未审结 }}"
        );
    }
    let _ = writeln!(out, "    }}");
    let _ = writeln!(out, "    rows {{");
    for (name, label) in [("本年", "本年度"), ("上年", "上年度")] {
        let mut cells = String::new();
        for group in 0..3 {
            for _ in 0..4 {
                let _ = write!(cells, "{}, ", rng.range(0, 12));
            }
            cells.push_str(if group < 2 { "auto, " } else { "auto" });
        }
        let _ = writeln!(out, "      {name} \"{label}\" [{cells}]");
    }
    let _ = writeln!(out, "      两年 \"两年合计\" = 本年 + 上年");
    let _ = writeln!(out, "    }}");
    let _ = writeln!(out, "    check 两年[行政复议.总计] >= 本年[行政复议.总计]");
    let _ = writeln!(out, "    check 两年 == 本年 + 上年");
    let _ = writeln!(out, "  }}");
    let _ = writeln!(out, "}}\n");
}

/// The cores `gdr check` parses one large file on.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
