//! `gdr build --watch`: builds again whenever a `.gdr` file beside the
//! input changes (notify), until interrupted.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gdr::tr;

use crate::build::{Wanted, build};
use crate::options::OutputOptions;
use crate::output::fail;

/// `gdr build --watch`: builds, then builds again after every change to a
/// `.gdr` file in the input's directory (its libraries and last year's
/// report usually live there), until interrupted.
pub fn watch_and_build(
    path: &Path,
    format: &Wanted,
    output: Option<&Path>,
    options: &OutputOptions,
) -> ExitCode {
    use notify::Watcher;
    if output.is_some_and(|output| output == Path::new("-")) {
        return fail(
            &tr!("`--watch` writes files; give an output directory, not `-o -`"),
            options.lang,
        );
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(sender) {
        Ok(watcher) => watcher,
        Err(error) => {
            return fail(
                &tr!("cannot watch files: {error}", error = error.to_string()),
                options.lang,
            );
        }
    };
    let directory = match path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        Some(directory) => directory.to_path_buf(),
        None => PathBuf::from("."),
    };
    if let Err(error) = watcher.watch(&directory, notify::RecursiveMode::NonRecursive) {
        let message = tr!(
            "cannot watch `{path}`: {error}",
            path = directory.display().to_string(),
            error = error.to_string()
        );
        return fail(&message, options.lang);
    }
    build(path, format, output, options);
    let message = tr!(
        "watching `{path}` for changes; press Ctrl-C to stop",
        path = directory.display().to_string()
    );
    eprintln!("{}", message.render(options.lang));
    let relevant = |event: &notify::Event| {
        matches!(
            event.kind,
            notify::EventKind::Create(_)
                | notify::EventKind::Modify(_)
                | notify::EventKind::Remove(_)
        ) && event
            .paths
            .iter()
            .any(|changed| changed.extension().is_some_and(|ext| ext == "gdr"))
    };
    let settle = std::time::Duration::from_millis(150);
    while let Ok(event) = receiver.recv() {
        if !event.is_ok_and(|event| relevant(&event)) {
            continue;
        }
        // Editors write in several steps: wait until the changes to `.gdr`
        // files settle (other events, such as reads, do not count).
        let mut deadline = std::time::Instant::now() + settle;
        loop {
            let remaining = deadline.saturating_duration_since(std::time::Instant::now());
            match receiver.recv_timeout(remaining) {
                Ok(Ok(event)) if relevant(&event) => deadline = std::time::Instant::now() + settle,
                Ok(_) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return ExitCode::SUCCESS,
            }
        }
        build(path, format, output, options);
    }
    ExitCode::SUCCESS
}
