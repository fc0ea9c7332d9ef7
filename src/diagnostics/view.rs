//! The source as one diagnostic shows it: a line wider than a terminal that
//! carries a label is cut to a window around its labels, with `…` where
//! text was left out, as rustc does. A paragraph of a report is often one
//! line of several hundred characters; shown whole, the terminal wraps it
//! and the carets stand far from the words they mark.
//!
//! Lines and columns in the header (`file:3:198`) stay those of the file:
//! [`View`] maps every byte of the shown text back to the file.

use std::borrow::Cow;
use std::ops::Range;

use codespan_reporting::files::{Error, Files, Location};
use unicode_width::UnicodeWidthChar;

use crate::source::{SourceFile, Sources};

/// A labelled line wider than this, in terminal columns, is cut.
const WIDEST_LINE: usize = 100;

/// What stands for the text left out.
const ELLIPSIS: &str = "…";

/// The files of a compilation as one diagnostic shows them.
pub(super) struct View<'a> {
    files: Vec<ViewFile<'a>>,
}

struct ViewFile<'a> {
    file: &'a SourceFile,
    /// The text shown: the file's, or with parts of long lines cut.
    text: Cow<'a, str>,
    line_starts: Cow<'a, [usize]>,
    /// Where the shown text comes from, in order: `(shown, file)` starts of
    /// runs of bytes kept as they are; an ellipsis stands between two runs.
    /// Empty when nothing was cut.
    runs: Vec<(usize, usize)>,
}

impl<'a> View<'a> {
    /// The view for labels at `labels` (file index and local byte range).
    pub fn new(sources: &'a Sources, labels: &[(usize, Range<usize>)]) -> View<'a> {
        let files = sources
            .files()
            .iter()
            .enumerate()
            .map(|(index, file)| {
                let ranges: Vec<Range<usize>> = labels
                    .iter()
                    .filter(|(of, _)| *of == index)
                    .map(|(_, range)| range.clone())
                    .collect();
                ViewFile::new(file, &cuts(file, &ranges))
            })
            .collect();
        View { files }
    }

    /// A local byte offset of a file, as an offset of the text shown (a
    /// label never starts or ends in a part that was cut).
    pub fn shown(&self, index: usize, offset: usize) -> usize {
        let (shown, from) = self.files[index].run_of(offset, |(_, from)| from);
        shown + offset.saturating_sub(from)
    }

    /// A byte offset of the text shown, as a local offset of the file.
    fn original(&self, index: usize, offset: usize) -> usize {
        let (shown, from) = self.files[index].run_of(offset, |(shown, _)| shown);
        from + offset.saturating_sub(shown)
    }
}

/// The parts of a file's lines to leave out: for every line wider than
/// [`WIDEST_LINE`] that holds labels (each on that line alone), what lies
/// beyond a window around them.
fn cuts(file: &SourceFile, labels: &[Range<usize>]) -> Vec<Range<usize>> {
    let text: &str = &file.text;
    let starts = file.line_starts();
    let line_of = |offset: usize| starts.partition_point(|&start| start <= offset) - 1;
    let mut lines: Vec<(usize, Range<usize>)> = Vec::new();
    let mut whole: Vec<usize> = Vec::new();
    for label in labels {
        let (first, last) = (line_of(label.start), line_of(label.end));
        if first != last {
            // A label over several lines: those lines are shown whole.
            whole.extend(first..=last);
            continue;
        }
        match lines.iter_mut().find(|(line, _)| *line == first) {
            Some((_, span)) => *span = span.start.min(label.start)..span.end.max(label.end),
            None => lines.push((first, label.clone())),
        }
    }
    let mut cuts = Vec::new();
    for (line, marked) in lines {
        if whole.contains(&line) {
            continue;
        }
        let start = starts[line];
        let end = starts
            .get(line + 1)
            .map_or(text.len(), |&next| next)
            .min(text.len());
        let content = text[start..end].trim_end_matches(['\n', '\r']);
        let end = start + content.len();
        if width(content) <= WIDEST_LINE {
            continue;
        }
        // Context on both sides of the marked part, within the width.
        let room = WIDEST_LINE.saturating_sub(width(&text[marked.clone()]));
        let mut left = marked.start;
        let mut budget = room / 2;
        for (at, c) in text[start..marked.start].char_indices().rev() {
            let w = c.width().unwrap_or(0);
            if w > budget {
                break;
            }
            budget -= w;
            left = start + at;
        }
        let mut right = marked.end;
        let mut budget = room - room / 2 + budget;
        for (at, c) in text[marked.end..end].char_indices() {
            let w = c.width().unwrap_or(0);
            if w > budget {
                break;
            }
            budget -= w;
            right = marked.end + at + c.len_utf8();
        }
        if left > start {
            cuts.push(start..left);
        }
        if right < end {
            cuts.push(right..end);
        }
    }
    cuts.sort_by_key(|cut| cut.start);
    cuts
}

fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

impl<'a> ViewFile<'a> {
    /// The run `(shown, file)` that holds `offset`, counted as `key` counts
    /// (in the text shown or in the file): the last that starts at or
    /// before it.
    fn run_of(&self, offset: usize, key: impl Fn((usize, usize)) -> usize) -> (usize, usize) {
        let at = self.runs.partition_point(|&run| key(run) <= offset);
        self.runs.get(at.wrapping_sub(1)).copied().unwrap_or((0, 0))
    }

    fn new(file: &'a SourceFile, cuts: &[Range<usize>]) -> ViewFile<'a> {
        if cuts.is_empty() {
            return ViewFile {
                file,
                text: Cow::Borrowed(&file.text),
                line_starts: Cow::Borrowed(file.line_starts()),
                runs: Vec::new(),
            };
        }
        let mut text = String::with_capacity(file.text.len());
        let mut runs = vec![(0, 0)];
        let mut from = 0;
        for cut in cuts {
            text.push_str(&file.text[from..cut.start]);
            text.push_str(ELLIPSIS);
            from = cut.end;
            runs.push((text.len(), from));
        }
        text.push_str(&file.text[from..]);
        let line_starts = crate::source::line_starts(text.as_bytes());
        ViewFile {
            file,
            text: Cow::Owned(text),
            line_starts: Cow::Owned(line_starts),
            runs,
        }
    }
}

impl<'a> Files<'a> for View<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        self.files
            .get(id)
            .map(|file| file.file.name.as_str())
            .ok_or(Error::FileMissing)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        self.files
            .get(id)
            .map(|file| &*file.text)
            .ok_or(Error::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        let file = self.files.get(id).ok_or(Error::FileMissing)?;
        Ok(file
            .line_starts
            .partition_point(|&start| start <= byte_index)
            - 1)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        let file = self.files.get(id).ok_or(Error::FileMissing)?;
        let start = |line: usize| match line.cmp(&file.line_starts.len()) {
            std::cmp::Ordering::Less => Ok(file.line_starts[line]),
            std::cmp::Ordering::Equal => Ok(file.text.len()),
            std::cmp::Ordering::Greater => Err(Error::LineTooLarge {
                given: line,
                max: file.line_starts.len() - 1,
            }),
        };
        Ok(start(line_index)?..start(line_index + 1)?)
    }

    /// The line and column in the file, not in the text shown.
    fn location(&'a self, id: usize, byte_index: usize) -> Result<Location, Error> {
        let file = self.files.get(id).ok_or(Error::FileMissing)?;
        let at = file
            .file
            .line_col(file.file.start() + self.original(id, byte_index));
        Ok(Location {
            line_number: at.line,
            column_number: at.column,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(text: &str) -> Sources {
        Sources::new(SourceFile::new("r.gdr", text))
    }

    #[test]
    fn a_short_line_is_shown_as_it_is() {
        let sources = sources("let a = 1\n\"共{b}件。\"\n");
        let view = View::new(&sources, &[(0, 14..15)]);
        assert_eq!(view.source(0).unwrap(), &*sources.get(0).text);
        assert_eq!(view.shown(0, 14), 14);
    }

    #[test]
    fn a_long_line_is_cut_around_its_label_and_keeps_its_columns() {
        let long = "我们认真贯彻落实条例。".repeat(20);
        let text = format!("let a = 1\n\"{long}共{{未定义}}件。{long}\"\nlet b = 2\n");
        let sources = sources(&text);
        let start = text.find("未定义").unwrap();
        let label = start..start + "未定义".len();
        let view = View::new(&sources, &[(0, label.clone())]);
        let shown = view.source(0).unwrap();
        let line = shown.lines().nth(1).unwrap();
        assert!(line.starts_with('…') && line.ends_with('…'), "{line}");
        assert!(width(line) <= WIDEST_LINE + 2, "{}", width(line));
        // The label covers the same words, and the lines around are kept.
        let at = view.shown(0, label.start)..view.shown(0, label.end);
        assert_eq!(&shown[at.clone()], "未定义");
        assert_eq!(shown.lines().nth(2), Some("let b = 2"));
        // The header's line and column are the file's.
        let location = view.location(0, at.start).unwrap();
        let expected = sources.get(0).line_col(label.start);
        assert_eq!(
            (location.line_number, location.column_number),
            (expected.line, expected.column)
        );
        assert_eq!(
            view.location(0, view.shown(0, text.len() - 2))
                .unwrap()
                .line_number,
            3
        );
    }
}
