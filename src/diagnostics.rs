//! Diagnostics: what the compiler tells the user.
//!
//! Every phase builds [`Diagnostic`]s of this module's own types; only
//! `diagnostics/emit.rs` turns them into text (through codespan-reporting)
//! or JSON. A diagnostic always carries a stable [`Code`].

pub mod code;
pub mod emit;
pub(crate) mod suggest;
pub mod text;
mod view;

pub use code::Code;
pub use text::{Arg, Lang, Text};

use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A labelled span. The first primary label is where the diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Text,
    pub primary: bool,
}

/// One problem in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: Text,
    pub labels: Vec<Label>,
    /// Why it happened, with the numbers.
    pub notes: Vec<Text>,
    /// How to fix it.
    pub help: Vec<Text>,
    /// Fixes an editor can apply, each written out in `help` too (the
    /// human and JSON output show only the help).
    pub suggestions: Vec<Suggestion>,
    /// The diagnostics that say the same thing as this one about other
    /// places, which the human output shows as one block.
    pub family: Option<Box<Family>>,
}

/// What several diagnostics share when they say one thing about several
/// places: the seven rows of a `总计` column stated as 0. Each stays a
/// diagnostic of its own (JSON, SARIF, short, github and editors list
/// each, and each counts); the human output shows the members of a family
/// as one block: its `message`, each member's primary span with the
/// member's `label`, the `shared` labels once, its notes and help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// Members have equal keys (and the same code and severity).
    pub key: String,
    /// How many members the family has; the human output shows a family
    /// as one block only when it holds every member.
    pub size: usize,
    pub message: Text,
    /// This member's label in the block.
    pub label: Text,
    /// Labels the block shows once, such as the formula they contradict.
    pub shared: Vec<Label>,
    pub notes: Vec<Text>,
    pub help: Vec<Text>,
}

/// A fix an editor can apply: `span` replaced by `replacement`, described
/// by `message` (`write \`auto\``).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub span: Span,
    pub replacement: String,
    pub message: Text,
}

impl Diagnostic {
    /// A diagnostic with the severity that `code` implies.
    pub fn new(code: Code, message: Text) -> Diagnostic {
        Diagnostic {
            severity: code.severity(),
            code,
            message,
            labels: Vec::new(),
            notes: Vec::new(),
            help: Vec::new(),
            suggestions: Vec::new(),
            family: None,
        }
    }

    pub fn primary(mut self, span: Span, message: Text) -> Diagnostic {
        self.labels.push(Label {
            span,
            message,
            primary: true,
        });
        self
    }

    pub fn secondary(mut self, span: Span, message: Text) -> Diagnostic {
        self.labels.push(Label {
            span,
            message,
            primary: false,
        });
        self
    }

    pub fn note(mut self, note: Text) -> Diagnostic {
        self.notes.push(note);
        self
    }

    pub fn help(mut self, help: Text) -> Diagnostic {
        self.help.push(help);
        self
    }

    /// A fix an editor can apply (see [`Suggestion`]).
    pub fn suggest(mut self, span: Span, replacement: &str, message: Text) -> Diagnostic {
        self.suggestions.push(Suggestion {
            span,
            replacement: replacement.to_string(),
            message,
        });
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// Where the diagnostic points: its first primary label, else its first label.
    pub fn span(&self) -> Option<Span> {
        self.labels
            .iter()
            .find(|label| label.primary)
            .or(self.labels.first())
            .map(|label| label.span)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position (then code) and drops exact duplicates.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by_key(|d| (d.span().map(|s| (s.start, s.end)), d.code));
    diagnostics.dedup();
}
