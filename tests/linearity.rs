//! The cost of `compile` grows linearly with its input: no shape of input,
//! valid or broken, makes the parser backtrack exponentially or the checker
//! go quadratic. Each shape is compiled at two sizes, ten times apart, in
//! one run, and the ratio of the times is bounded — a ratio, not a
//! wall-clock threshold, so a slow machine passes and a quadratic
//! algorithm (a ratio near 100) does not. The times are the thread's CPU
//! time, not the wall clock, so that other processes competing for the
//! cores (a loaded CI machine) do not stretch one size and not the other.
//! The benchmarks
//! (`cargo bench`, docs/performance.md) measure the same in release.

use std::time::Duration;

use gdr::SourceFile;

const HEADER: &str = "report { title \"t\" agency \"a\" year 2020 }\n";

/// Builds an input with about `n` repetitions of a shape's unit.
type Shape = fn(usize) -> String;

/// The shapes, by name.
const SHAPES: [(&str, Shape); 10] = [
    ("table rows", |n| {
        let mut text = format!(
            "{HEADER}table t {{\n  unit 件\n  columns {{ a b 总计 = sum(a, b) }}\n  rows {{\n"
        );
        for index in 0..n {
            text.push_str(&format!("    r{index} [{index}, 1, auto]\n"));
        }
        text.push_str("    合计 = r0 + r1\n  }\n  check 合计 >= r0\n}\n");
        text
    }),
    ("lets and checks", |n| {
        let mut text = format!("{HEADER}section \"s\" {{\n  let x0 = 1 件\n");
        for index in 1..n {
            text.push_str(&format!(
                "  let x{index} = x{} + 1 件\n  check x{index} > x{} within 0 件\n",
                index - 1,
                index - 1
            ));
        }
        text.push_str("}\n");
        text
    }),
    ("prose with interpolations", |n| {
        let mut text = format!("{HEADER}let 数 = 5 件\n");
        for index in 0..n {
            text.push_str(&format!(
                "section \"第{index}节\" {{ \"共{{数}}，即{{数 as 件}}，\\{{字面\\}}。\" }}\n"
            ));
        }
        text
    }),
    ("one long sum", |n| {
        format!(
            "{HEADER}let x = 0 件{}\ncheck x >= 0 件\n",
            " + (1 件 - 0 件)".repeat(n)
        )
    }),
    ("garbage", |n| {
        format!("{HEADER}{}", "@# ]) \"x\n".repeat(n))
    }),
    ("an error in every table", |n| {
        let mut text = HEADER.to_string();
        for index in 0..n {
            text.push_str(&format!(
                "table t{index} {{ unit 件 columns {{ a }} rows {{ x [1 2] }} }}\n"
            ));
        }
        text
    }),
    ("unknown names everywhere", |n| {
        let mut text = format!("{HEADER}section \"s\" {{\n");
        for index in 0..n {
            text.push_str(&format!("  check 未知{index} == 未知量{index}\n"));
        }
        text.push_str("}\n");
        text
    }),
    ("broken items and unknown names", |n| {
        let mut text = HEADER.to_string();
        for index in 0..n {
            text.push_str(&format!(
                "let 甲{index} = 未知{index} + 1 件\nlet 乙{index} = (1 件 1)\n"
            ));
        }
        text
    }),
    ("unclosed brackets", |n| {
        format!("{HEADER}{}", "section \"s\" { let x = (1 件\n".repeat(n))
    }),
    ("strings left open", |n| {
        format!("{HEADER}{}", "section \"s\" { \"开\n}\n".repeat(n))
    }),
];

/// The fastest of a few runs, to shed the noise of a shared machine.
fn fastest(text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let source = SourceFile::new("input.gdr", text);
            let start = thread_cpu_time();
            let compilation = gdr::compile(&source);
            let elapsed = thread_cpu_time().saturating_sub(start);
            drop(compilation);
            elapsed
        })
        .min()
        .expect("three runs")
}

/// The CPU time this thread has used (`gdr::compile` parses on the
/// calling thread unless told otherwise).
fn thread_cpu_time() -> Duration {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid, writable timespec.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime");
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

#[test]
fn compile_time_grows_linearly_with_the_input() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (name, shape) in SHAPES {
        // Grow the small size until it takes long enough to time well.
        let mut n = 200;
        let mut small = fastest(&shape(n));
        while small < Duration::from_millis(4) && n < 200_000 {
            n *= 2;
            small = fastest(&shape(n));
        }
        let large_text = shape(n * 10);
        let bytes = (shape(n).len(), large_text.len());
        let large = fastest(&large_text);
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        report.push(format!(
            "{name}: {} B in {small:?}, {} B in {large:?}: ×{ratio:.1}",
            bytes.0, bytes.1
        ));
        // Ten times the input: a linear cost gives about 10, a quadratic
        // one about 100. The bound leaves room for caches and allocators:
        // 1 MB of garbage makes 128,000 diagnostics, which outgrow the
        // caches that hold the small run's, and has been timed at ×37 while
        // its instruction count (callgrind) grows ×10.0.
        if ratio > 50.0 {
            failures.push(name);
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "not linear: {failures:?}\n{}",
        report.join("\n")
    );
}
