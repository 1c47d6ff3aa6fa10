//! Walking every page of a list operation: a stream of pages, and a stream of items.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use serde::de::DeserializeOwned;

use crate::Error;

/// One page of a list response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items (`results`).
    pub items: Vec<T>,
    /// `totalCount`, when the response has it (some APIs omit it on request, as with `includeCount=false`; it
    /// is an estimate).
    pub total_count: Option<i64>,
    /// The page's number (`pageNum`, from 1).
    pub number: i32,
}

impl<T> Page<T> {
    /// A page of `items` (generated code builds one per response; the walk numbers it).
    pub fn new(items: Vec<T>, total_count: Option<i64>) -> Self {
        Self {
            items,
            total_count,
            number: 0,
        }
    }
}

type BoxedPages<T> = Pin<Box<dyn Stream<Item = Result<Page<T>, Error>> + Send + 'static>>;

/// Every page of a list operation, fetched one at a time as it is asked for (what a list
/// builder's `into_stream().into_pages()` returns).
///
/// Use it as a [`Stream`], or without any stream trait in scope through [`next`](Self::next)
/// and [`try_collect`](Self::try_collect).
#[must_use = "a stream does nothing until it is polled"]
pub struct PageStream<T> {
    inner: BoxedPages<T>,
}

impl<T> std::fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageStream")
    }
}

impl<T: Send + 'static> PageStream<T> {
    /// The next page; `None` after the last one (or after an error was returned).
    pub async fn next(&mut self) -> Option<Result<Page<T>, Error>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Every remaining page, or the first error.
    ///
    /// # Errors
    /// The first error a page fetch ends in.
    pub async fn try_collect(mut self) -> Result<Vec<Page<T>>, Error> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Every item of every page of a list operation, pages fetched as the items run out (what a
/// list builder's `into_stream()` returns).
///
/// Use it as a [`Stream`], or without any stream trait in scope through [`next`](Self::next)
/// and [`try_collect`](Self::try_collect); [`into_pages`](Self::into_pages) walks page by
/// page instead, with each page's `totalCount` and number.
#[must_use = "a stream does nothing until it is polled"]
pub struct ItemStream<T> {
    pages: PageStream<T>,
    buffer: VecDeque<T>,
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> ItemStream<T> {
    /// The next item; `None` after the last one (or after an error was returned).
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining item, or the first error.
    ///
    /// # Errors
    /// The first error a page fetch ends in.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    /// The walk page by page, from the page the next item would have come from (items of a
    /// page already being read are not repeated: call it before reading items).
    pub fn into_pages(self) -> PageStream<T> {
        self.pages
    }
}

impl<T> Unpin for ItemStream<T> {}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => self.buffer.extend(page.items),
            }
        }
    }
}

/// Walks every page of a list operation (see [`paginate`]): `prepared` is its request with
/// query parameter `page_param` set to `first_page`; page `n` is the same request with it
/// set to `n`, sent as the builder's `send()` sends (JSON body, same checks and errors), and
/// `read` takes its items and count from the body.
///
/// What a generated `into_stream` calls. The request is prepared once and only its page
/// changes, so the stream holds the runtime's own types: holding the builder, the compiler
/// proved each builder `Send` for its stream, about 2 ms of `cargo check` per list operation,
/// and a closure around each builder's `send()` had it look through that opaque future
/// too.
pub fn paginate_prepared<B, T>(
    prepared: super::Prepared,
    page_param: &'static str,
    first_page: i32,
    page_size: i64,
    read: fn(B) -> Page<T>,
) -> ItemStream<T>
where
    B: DeserializeOwned + 'static,
    T: Send + 'static,
{
    let prepared = match prepared {
        Ok(prepared) => prepared,
        // A parameter that breaks a rule: the first page's error, as its `send()` gives it.
        Err(error) => return failed(error),
    };
    paginate(
        prepared,
        first_page,
        page_size,
        move |(client, mut request), number| {
            request.replace_query(page_param, &i64::from(number));
            fetch_page(Ok((client, request)), read)
        },
    )
}

/// A walk that yields `error` and ends.
fn failed<T: Send + 'static>(error: Error) -> ItemStream<T> {
    ItemStream {
        pages: PageStream {
            inner: Box::pin(futures_util::stream::once(std::future::ready(Err(error)))),
        },
        buffer: VecDeque::new(),
    }
}

/// Sends one page's request and reads its items and count.
async fn fetch_page<B: DeserializeOwned, T>(
    prepared: super::Prepared,
    read: fn(B) -> Page<T>,
) -> Result<Page<T>, Error> {
    super::send_json::<B, (), Error>(prepared)
        .await
        .map(|response| read(response.into_body()))
}

struct State<R, F> {
    request: R,
    fetch: F,
    next_page: i32,
    page_size: i64,
    seen: i64,
    done: bool,
}

/// Walks every page of a list operation, fetching page `first_page`, then the next, … on
/// demand, and yields its items (see [`ItemStream`]; [`ItemStream::into_pages`] yields the
/// pages).
///
/// Stops after a page that brings the items seen (counting the pages skipped before
/// `first_page`) to `totalCount`; without a count, after a page shorter than `page_size` (the
/// request's `itemsPerPage`); and always at an empty page. After an error is yielded the
/// stream ends.
pub fn paginate<R, T, F, Fut>(
    request: R,
    first_page: i32,
    page_size: i64,
    fetch: F,
) -> ItemStream<T>
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
        done: false,
    };
    let pages = futures_util::stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let number = state.next_page;
        match (state.fetch)(state.request.clone(), number).await {
            Err(error) => {
                state.done = true;
                Some((Err(error), state))
            }
            Ok(mut page) => {
                page.number = number;
                let count = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
                state.seen = state.seen.saturating_add(count);
                state.done = count == 0
                    || match page.total_count {
                        Some(total) => state.seen >= total,
                        None => count < state.page_size,
                    }
                    || number == i32::MAX;
                state.next_page = number.saturating_add(1);
                Some((Ok(page), state))
            }
        }
    });
    ItemStream {
        pages: PageStream {
            inner: Box::pin(pages),
        },
        buffer: VecDeque::new(),
    }
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
            std::future::ready(Ok(Page::new(items, with_count.then_some(total))))
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
    async fn pages_carry_their_number_and_count_and_items_collect_without_stream_ext() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let mut pages = paginate((), 2, 100, pages(250, 100, true, asked.clone())).into_pages();
        let first = pages.next().await.unwrap().unwrap();
        assert_eq!(
            (first.number, first.total_count, first.items.len()),
            (2, Some(250), 100)
        );
        let rest = pages.try_collect().await.unwrap();
        assert_eq!(rest.iter().map(|p| p.number).collect::<Vec<_>>(), [3]);
        let mut items = paginate((), 1, 100, pages_fn(30, 100));
        assert_eq!(items.next().await.unwrap().unwrap(), 0);
        assert_eq!(
            items.try_collect().await.unwrap(),
            (1..30).collect::<Vec<_>>()
        );
    }

    fn pages_fn(
        total: i64,
        size: i64,
    ) -> impl FnMut((), i32) -> std::future::Ready<Result<Page<i64>, Error>> + Send + 'static {
        pages(total, size, true, Arc::new(Mutex::new(Vec::new())))
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let mut calls = 0;
        let stream = paginate((), 1, 2, move |(), _page| {
            calls += 1;
            std::future::ready(if calls == 1 {
                Ok(Page::new(vec![1, 2], Some(10)))
            } else {
                Err(Error::Config("boom".to_owned()))
            })
        });
        let results: Vec<Result<i32, Error>> = stream.collect().await;
        assert_eq!(results.len(), 3);
        assert!(results[0].is_ok() && results[1].is_ok());
        assert!(matches!(results[2], Err(Error::Config(_))));
    }

    #[test]
    fn a_page_replaces_its_parameter_where_it_stood() {
        static OPERATION: super::super::Operation = super::super::Operation::DEFAULT;
        let mut request =
            super::super::PreparedRequest::new(&OPERATION, super::super::RequestOptions::default());
        request.replace_query("itemsPerPage", &5i64);
        request.replace_query("pageNum", &1i64);
        request.replace_query("pretty", &true);
        request.replace_query("pageNum", &7i64);
        assert_eq!(
            request.query,
            ["itemsPerPage=5", "pageNum=7", "pretty=true"]
        );
        request.replace_query("other", &2i64);
        assert_eq!(
            request.query,
            ["itemsPerPage=5", "pageNum=7", "pretty=true", "other=2"],
            "a parameter not there yet goes last"
        );
    }

    #[tokio::test]
    async fn a_request_that_breaks_a_rule_is_one_error() {
        let stream: ItemStream<i64> = paginate_prepared::<(), i64>(
            Err(Error::Config("refused".to_owned())),
            "pageNum",
            1,
            100,
            |()| Page::new(Vec::new(), None),
        );
        let results: Vec<Result<i64, Error>> = stream.collect().await;
        assert_eq!(results.len(), 1);
        assert!(matches!(&results[0], Err(Error::Config(text)) if text == "refused"));
    }
}
