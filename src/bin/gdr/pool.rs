//! The worker pool of `gdr check`: one scoped thread per core, each taking
//! the next item until none is left; the results are used in order on the
//! calling thread.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` done on every item, in parallel, each result handed to `sink` on
/// the calling thread in the order of `items` as soon as it and every
/// result before it are done (`None` where the work did not finish), so
/// that a result is dropped once used: `gdr check` of ten thousand files
/// holds only the files that finished out of order, not every file.
pub fn for_each_in_order<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(usize, Option<R>),
) {
    if let [item] = items {
        sink(0, Some(work(item)));
        return;
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let (sender, receiver) = std::sync::mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else {
                        break;
                    };
                    if sender.send((index, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        for (index, result) in receiver {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&due) {
                sink(due, Some(result));
                due += 1;
            }
        }
        // Every worker has stopped: what is missing did not finish.
        for index in due..items.len() {
            sink(index, waiting.remove(&index));
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sink_gets_every_result_in_order() {
        let items: Vec<usize> = (0..1000).collect();
        let mut seen = Vec::new();
        // Later items finish first: the sink must still see them in order.
        super::for_each_in_order(
            &items,
            |n| {
                if n % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                n * n
            },
            |index, result| seen.push((index, result)),
        );
        assert_eq!(
            seen,
            items.iter().map(|&n| (n, Some(n * n))).collect::<Vec<_>>()
        );
        let mut one = Vec::new();
        super::for_each_in_order(&[3], |n| n + 1, |index, result| one.push((index, result)));
        assert_eq!(one, [(0, Some(4))]);
        super::for_each_in_order(&[] as &[usize], |n| *n, |_, _| panic!("no item"));
    }
}
