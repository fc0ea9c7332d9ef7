//! The options that `gdr check` and `gdr build` share: how diagnostics are
//! printed and what makes the exit status 1.

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
