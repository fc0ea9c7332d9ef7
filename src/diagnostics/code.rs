//! The registry of stable diagnostic codes.
//!
//! A code is never renumbered or reused. Each has a long explanation in
//! `src/diagnostics/explain/CODE.md`, printed by `gdr explain CODE`.

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal, $doc:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// `"E0401"`
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The long explanation printed by `gdr explain`.
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("explain/", $code, ".md")),)*
                }
            }

            /// The long explanation in Chinese.
            pub fn explanation_zh(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("explain/zh/", $code, ".md")),)*
                }
            }

            /// The one-line meaning, as in the table of LANGUAGE.md §6.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $doc,)*
                }
            }
        }
    };
}

codes! {
    SyntaxError = "E0101", "syntax error";
    Unterminated = "E0102", "unterminated string or block";
    MalformedLiteral = "E0103", "malformed number or date";
    TooLarge = "E0104", "input beyond a limit of gdr";
    UnknownName = "E0201", "unknown name";
    DuplicateName = "E0202", "duplicate name";
    UnknownColumn = "E0203", "unknown column";
    UnknownUnit = "E0204", "unknown unit";
    Cycle = "E0205", "cycle among definitions";
    UnknownModule = "E0206", "unknown form or module";
    UseCycle = "E0207", "cycle among `use`s";
    UseOutsideProject = "E0208", "`use` path outside the project";
    MismatchedUnits = "E0301", "units do not match in arithmetic or comparison";
    FractionalCount = "E0302", "a count that is not a whole number";
    WrongCellCount = "E0303", "wrong number of cells in a row";
    AutoWithoutFormula = "E0304", "`auto` where no formula derives the cell";
    OutOfRange = "E0305", "number out of range / arithmetic overflow";
    CheckFailed = "E0401", "a `check` failed";
    ContradictedCell = "E0402", "a stated cell contradicts the formula that derives it";
    Header = "E0501", "missing or repeated `report` header";
    HeaderField = "E0502", "missing or unknown header field";
    UnfilledRow = "E0503", "a form's data row was not filled";
    ImportUnreadable = "E0601", "an input `gdr import` cannot read";
    ImportNoReport = "E0602", "no report found in the input";
    UnknownCell = "W0101", "check not evaluated because a cell is unknown (`?`)";
    LatePublication = "W0102", "`published` is after the statutory deadline";
    UnusedLet = "W0103", "a `let` that nothing uses";
    MissingSection = "W0104", "a section that the form library requires is missing";
    ExpectFailed = "W0105", "an `expect` failed";
    BlankDerivedCell = "W0106", "a derived cell is stated blank while its parts are not zero";
    UselessWaiver = "W0107", "a waiver that waives nothing";
    ImportMissing = "W0601", "the imported page lacks a part of the form";
    ImportExtra = "W0602", "the imported page has a part the form lacks";
    ImportGuess = "W0603", "a part of the imported page was read with a guess";
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// The long explanation in `lang`.
    pub fn explain(self, lang: super::Lang) -> &'static str {
        match lang {
            super::Lang::En => self.explanation(),
            super::Lang::Zh => self.explanation_zh(),
        }
    }

    /// Whether the code is one of `gdr import`'s (`E06xx`, `W06xx`),
    /// about an input page rather than a `.gdr` source.
    pub fn is_import(self) -> bool {
        self.as_str()[1..].starts_with("06")
    }

    /// Looks a code up by its name, case-insensitively (`e0401` works).
    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str().eq_ignore_ascii_case(name.trim()))
    }
}
