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
