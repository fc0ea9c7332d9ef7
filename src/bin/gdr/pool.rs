//! The worker pool of `gdr check`: one scoped thread per core, each taking
//! the next item until none is left.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` done on every item, in parallel; the results in the order of
/// `items`, `None` where the work did not finish (its thread panicked).
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    if let [item] = items {
        // One item: no thread to start (a measurable part of checking a
        // real report, docs/performance.md).
        return vec![Some(work(item))];
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else {
                        break;
                    };
                    let result = work(item);
                    if let Ok(mut slot) = results[index].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<usize> = (0..100).collect();
        let squares = super::map(&items, |n| n * n);
        assert_eq!(
            squares,
            items.iter().map(|n| Some(n * n)).collect::<Vec<_>>()
        );
        assert_eq!(super::map(&[7], |n| n + 1), [Some(8)]);
        assert!(super::map(&[] as &[usize], |n| *n).is_empty());
    }
}
