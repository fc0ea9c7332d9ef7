//! Outside tools the tests run (`pdftotext`, `pdffonts`, Python's
//! `typst`): a test that needs a missing one says plainly that it skipped,
//! unless `GDR_REQUIRE_TOOLS=1` is set (as `.ci/run` does), when it fails.

use std::process::Command;

/// Whether a missing tool fails the test (`GDR_REQUIRE_TOOLS=1`).
pub fn require_tools() -> bool {
    std::env::var("GDR_REQUIRE_TOOLS").is_ok_and(|value| value == "1")
}

/// `Some(stdout)` when `program` ran; `None` (after saying so) when it is
/// missing and tools are not required.
pub fn run(program: &str, args: &[&str]) -> Option<String> {
    match Command::new(program).args(args).output() {
        Ok(output) if output.status.success() => {
            Some(String::from_utf8_lossy(&output.stdout).into_owned())
        }
        Ok(output) => panic!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => {
            assert!(
                !require_tools(),
                "GDR_REQUIRE_TOOLS=1 but `{program}` cannot run: {error}"
            );
            eprintln!(
                "SKIPPED: `{program}` is not installed ({error}); set GDR_REQUIRE_TOOLS=1 to require it"
            );
            None
        }
    }
}
