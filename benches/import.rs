//! `gdr import` of a real portal page: tests/import/shuyang-fagaiju-2023.html
//! (111 KB, UTF-8) and its GBK copy (103 KB), each imported end to end
//! (`gdr::import::import`: decoding, parsing, finding the article, mapping
//! onto the form library, printing), and each stage of the UTF-8 page alone.
//!
//! ```sh
//! cargo bench --bench import
//! ```
//!
//! Prints the median and the best of 50 runs, wall-clock. The target: a
//! 100 KB page in well under 50 ms. Results: docs/performance.md.

use std::time::{Duration, Instant};

const PAGE: &[u8] = include_bytes!("../tests/import/shuyang-fagaiju-2023.html");
const GBK: &[u8] = include_bytes!("../tests/import/shuyang-fagaiju-2023.gbk.html");
const RUNS: usize = 50;

fn time(label: &str, bytes: usize, mut run: impl FnMut()) {
    run(); // warm up: the form libraries are parsed once
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{label:<28} {:>6} KB  median {:>8.3} ms  best {:>8.3} ms",
        bytes / 1000,
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
}

fn main() {
    time("import (UTF-8 page)", PAGE.len(), || {
        let imported = gdr::import::import(PAGE, "page.html", None).expect("imports");
        std::hint::black_box(imported);
    });
    time("import (GBK page)", GBK.len(), || {
        let imported = gdr::import::import(GBK, "page.html", None).expect("imports");
        std::hint::black_box(imported);
    });
    time("  read the page only", PAGE.len(), || {
        std::hint::black_box(gdr::import::html::read_page(PAGE).expect("reads"));
    });
    let page = gdr::import::html::read_page(PAGE).expect("reads");
    time("  map and print only", PAGE.len(), || {
        let hints = gdr::import::map::Hints {
            published: page.published.clone(),
            agency: page.agency.clone(),
            warnings: Vec::new(),
        };
        std::hint::black_box(
            gdr::import::map::to_gdr_with(&page.document, None, hints).expect("maps"),
        );
    });
}
