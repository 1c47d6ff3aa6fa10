//! Walking every page of a list operation as one stream of items.

use std::collections::VecDeque;
use std::future::Future;

use futures_core::Stream;

use crate::Error;

/// One page of a list response.
#[derive(Debug)]
pub struct Page<T> {
    /// The page's items (`results`).
    pub items: Vec<T>,
    /// `totalCount`, when the response has it (Atlas omits it with `includeCount=false`).
    pub total_count: Option<i64>,
}

struct State<R, T, F> {
    request: R,
    fetch: F,
    next_page: i32,
    page_size: i64,
    seen: i64,
    buffer: VecDeque<T>,
    done: bool,
}

/// Yields every item of every page, fetching page `first_page`, then the next, … on demand.
///
/// Stops after a page that brings the items seen (counting the pages skipped before
/// `first_page`) to `totalCount`; without a count, after a page shorter than `page_size`; and
/// always at an empty page. After an error is yielded the stream ends.
pub fn paginate<R, T, F, Fut>(
    request: R,
    first_page: i32,
    page_size: i64,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    R: Clone + Send + 'static,
    T: Send + 'static,
    F: FnMut(R, i32) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send,
{
    let first_page = first_page.max(1);
    let state = State {
        request,
        fetch,
        next_page: first_page,
        page_size: page_size.max(1),
        seen: i64::from(first_page - 1).saturating_mul(page_size.max(1)),
        buffer: VecDeque::new(),
        done: false,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            if state.done {
                return None;
            }
            let page = state.next_page;
            match (state.fetch)(state.request.clone(), page).await {
                Err(error) => {
                    state.done = true;
                    return Some((Err(error), state));
                }
                Ok(Page { items, total_count }) => {
                    let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    state.seen = state.seen.saturating_add(count);
                    state.done = count == 0
                        || match total_count {
                            Some(total) => state.seen >= total,
                            None => count < state.page_size,
                        }
                        || page == i32::MAX;
                    state.next_page = page.saturating_add(1);
                    state.buffer.extend(items);
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use futures_util::StreamExt;

    use super::*;

    /// Serves `total` numbered items in pages of `size`; records the pages asked for.
    fn pages(
        total: i64,
        size: i64,
        with_count: bool,
        asked: Arc<Mutex<Vec<i32>>>,
    ) -> impl FnMut((), i32) -> std::future::Ready<Result<Page<i64>, Error>> + Send + 'static {
        move |(), page| {
            asked.lock().expect("not poisoned").push(page);
            let start = (i64::from(page) - 1) * size;
            let items = (start..(start + size).min(total)).collect();
            std::future::ready(Ok(Page {
                items,
                total_count: with_count.then_some(total),
            }))
        }
    }

    async fn walk(total: i64, size: i64, with_count: bool, first: i32) -> (Vec<i64>, Vec<i32>) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<i64> = paginate(
            (),
            first,
            size,
            pages(total, size, with_count, asked.clone()),
        )
        .map(|r| r.expect("no error"))
        .collect()
        .await;
        let asked = asked.lock().expect("not poisoned").clone();
        (items, asked)
    }

    #[tokio::test]
    async fn with_total_count_stops_at_the_count() {
        let (items, asked) = walk(250, 100, true, 1).await;
        assert_eq!(items, (0..250).collect::<Vec<_>>());
        assert_eq!(asked, vec![1, 2, 3]);
        // An exact multiple needs no extra empty page either.
        let (items, asked) = walk(200, 100, true, 1).await;
        assert_eq!(items.len(), 200);
        assert_eq!(asked, vec![1, 2]);
    }

    #[tokio::test]
    async fn without_count_stops_after_a_short_page() {
        let (items, asked) = walk(250, 100, false, 1).await;
        assert_eq!(items.len(), 250);
        assert_eq!(asked, vec![1, 2, 3]);
        // A full last page is followed by one empty page.
        let (items, asked) = walk(200, 100, false, 1).await;
        assert_eq!(items.len(), 200);
        assert_eq!(asked, vec![1, 2, 3]);
    }

    #[tokio::test]
    async fn empty_list_asks_once() {
        let (items, asked) = walk(0, 100, true, 1).await;
        assert!(items.is_empty());
        assert_eq!(asked, vec![1]);
    }

    #[tokio::test]
    async fn starts_at_the_given_page() {
        let (items, asked) = walk(250, 100, true, 2).await;
        assert_eq!(items, (100..250).collect::<Vec<_>>());
        assert_eq!(asked, vec![2, 3]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let mut calls = 0;
        let stream = paginate((), 1, 2, move |(), _page| {
            calls += 1;
            std::future::ready(if calls == 1 {
                Ok(Page {
                    items: vec![1, 2],
                    total_count: Some(10),
                })
            } else {
                Err(Error::Config("boom".to_owned()))
            })
        });
        let results: Vec<Result<i32, Error>> = stream.collect().await;
        assert_eq!(results.len(), 3);
        assert!(results[0].is_ok() && results[1].is_ok());
        assert!(matches!(results[2], Err(Error::Config(_))));
    }
}
