//! "Did you mean": the closest known name to an unknown one, and a budget
//! of such searches for one report.

use std::cell::Cell;

/// The closest of `candidates` to `name` by edit distance, if close enough:
/// a candidate with no character in common with `name` is never close
/// (`场` is not `%`, though one edit apart).
pub(crate) fn suggest<'n>(
    name: &str,
    candidates: impl Iterator<Item = &'n str>,
) -> Option<&'n str> {
    let length = name.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .filter(|candidate| *candidate != name)
        .filter(|candidate| candidate.chars().any(|c| name.contains(c)))
        .map(|candidate| (strsim::levenshtein(name, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// How many unknown names of one report get a "did you mean": each search
/// compares with every name in scope, so an unbounded number of searches
/// would make a file of many unknown names quadratic.
pub(crate) const MAX_SUGGESTIONS: usize = 100;

/// [`suggest`] for the first [`MAX_SUGGESTIONS`] unknown names of a report;
/// `None` after them, without looking at the candidates.
#[derive(Debug)]
pub(crate) struct Suggestions {
    left: Cell<usize>,
}

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions {
            left: Cell::new(MAX_SUGGESTIONS),
        }
    }
}

impl Suggestions {
    pub(crate) fn suggest<'n>(
        &self,
        name: &str,
        candidates: impl Iterator<Item = &'n str>,
    ) -> Option<&'n str> {
        let left = self.left.get();
        if left == 0 {
            return None;
        }
        self.left.set(left - 1);
        suggest(name, candidates)
    }
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn a_suggestion_shares_a_character_with_the_name() {
        let units = ["件", "人次", "%", "万元"];
        assert_eq!(suggest("场", units.into_iter()), None);
        assert_eq!(suggest("期", units.into_iter()), None);
        assert_eq!(suggest("万圆", units.into_iter()), Some("万元"));
        assert_eq!(suggest("人欠", units.into_iter()), Some("人次"));
    }
}
