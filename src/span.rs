//! Source positions.
//!
//! A [`Span`] is a half-open byte range of global offsets. Each file of a
//! compilation has a [`FileId`], and its offsets are the range that starts
//! at [`FileId::base`]: so a span names its file by itself
//! ([`Span::file`]), and a file's spans do not depend on which other files
//! were loaded before it (a built-in library is parsed once per process, at
//! its own id). Spans are converted to lines and columns (counted in
//! characters) only when they are shown.

/// How many low bits of an offset are the offset inside its file: files
/// are smaller than 2^26 bytes (64 MiB, `gdr::limits::MAX_FILE_BYTES`),
/// and a compilation has at most 64 files.
pub(crate) const FILE_BITS: u32 = 26;

/// The identity of a file in a compilation: 0 is the report compiled, the
/// built-in libraries have their own fixed ids, and the files a report
/// uses take the next free ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub(crate) u32);

impl FileId {
    /// The report being compiled.
    pub const MAIN: FileId = FileId(0);
    /// The most files one compilation may have.
    pub const LIMIT: usize = 1 << (32 - FILE_BITS);

    /// The global offset of the file's first byte.
    pub fn base(self) -> usize {
        (self.0 as usize) << FILE_BITS
    }

    /// The id as a number, from 0.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A half-open byte range `start..end` in the source text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The empty span at `offset`.
    pub fn at(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    /// The smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The file the span is in.
    pub fn file(self) -> FileId {
        FileId(self.start >> FILE_BITS)
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.start as usize + by, self.end as usize + by)
    }
}

/// `start..end`: compact, for syntax-tree snapshots.
impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

fn clamp(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// A value together with where it was written, e.g. an identifier.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// `value @ start..end`: compact, for syntax-tree snapshots.
impl<T: std::fmt::Debug> std::fmt::Debug for Spanned<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} @ {:?}", self.value, self.span)
    }
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}
