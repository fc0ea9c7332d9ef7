//! The options that `gdr check` and `gdr build` share: how diagnostics are
//! printed and what makes the exit status 1; and where `gdr build -f pdf`
//! finds fonts.

use std::path::PathBuf;

use clap::ValueEnum;
use gdr::diagnostics::Lang;

#[derive(clap::Args)]
pub struct OutputOptions {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// When to colour human output (`NO_COLOR` is honoured).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Exit with status 1 when there are warnings.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The language of messages, from `--lang`.
    #[arg(skip)]
    pub lang: Lang,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Short,
    Json,
    Github,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Where PDF output (`gdr build -f pdf`, the studio's PDF download) looks
/// for fonts.
#[derive(clap::Args, Clone, Default)]
pub struct FontOptions {
    /// A directory of fonts for PDF output, searched with its subdirectories
    /// besides the system's fonts (repeatable; `GDR_FONT_PATH` adds a list
    /// of directories, separated as in `PATH`).
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
    /// For PDF output: use only the fonts of `--font-path` and
    /// `GDR_FONT_PATH`, not the system's.
    #[arg(long)]
    pub ignore_system_fonts: bool,
}

impl FontOptions {
    /// The directories to search: `--font-path`, then `GDR_FONT_PATH`.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub fn directories(&self) -> Vec<PathBuf> {
        let from_env = std::env::var_os("GDR_FONT_PATH")
            .map(|list| std::env::split_paths(&list).collect::<Vec<_>>())
            .unwrap_or_default();
        self.font_paths
            .iter()
            .cloned()
            .chain(from_env)
            .filter(|path| !path.as_os_str().is_empty())
            .collect()
    }
}
