//! Responses that are streams of items: server-sent events (`text/event-stream`, parsed by
//! the WHATWG rules) and JSON lines (`application/jsonl`, `application/x-ndjson`,
//! `application/json-seq`), decoded one item at a time as the bytes arrive.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::{FromHeaders, Prepared, RawResponse, Response};
use crate::error::{DecodeError, Error};

/// One server-sent event: its `data` (the `data:` lines joined by newlines) decoded, and the
/// `event`, `id` and `retry` fields it carried.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServerEvent<T> {
    /// The event type (`event:`); `None` for the default, `message`.
    pub event: Option<String>,
    /// The event id (`id:`), if the event set one.
    pub id: Option<String>,
    /// The reconnection time the server asked for (`retry:`), in milliseconds.
    pub retry: Option<u64>,
    /// The data, decoded.
    pub data: T,
}

impl<T> ServerEvent<T> {
    /// An event of the default type with `data` (for tests and mocks).
    pub fn new(data: T) -> Self {
        Self {
            event: None,
            id: None,
            retry: None,
            data,
        }
    }
}

/// How the items of a streamed response are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One JSON value per line (`application/jsonl`, `application/x-ndjson`).
    Newline,
    /// RFC 7464 (`application/json-seq`): each value after a record separator (0x1E).
    RecordSeparator,
}

/// The items of a streamed response, decoded as they arrive (what `send()` returns for an
/// operation whose success response is a stream).
///
/// Use it as a [`Stream`], or without any stream trait in scope through [`next`](Self::next)
/// and [`try_collect`](Self::try_collect). After an error is yielded the stream ends.
#[must_use = "a stream does nothing until it is polled"]
pub struct ResponseStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> std::fmt::Debug for ResponseStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseStream").finish_non_exhaustive()
    }
}

impl<T: Send + 'static> ResponseStream<T> {
    /// A stream of the given items (for tests and mocks).
    pub fn from_items(items: Vec<T>) -> Self {
        Self {
            inner: Box::pin(futures_util::stream::iter(items.into_iter().map(Ok))),
        }
    }

    /// The next item; `None` after the last one (or after an error was returned).
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Every remaining item, or the first error.
    ///
    /// # Errors
    /// The first error: reading the body, or an item that does not decode.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T> Unpin for ResponseStream<T> {}

impl<T> Stream for ResponseStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// An event as the parser reads it, before its data is decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEvent {
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    data: String,
}

/// The WHATWG event-stream parser: bytes in, dispatched events out. Lines end at CRLF, LF
/// or CR; `data:` lines are joined by newlines; a line starting with `:` is a comment; one
/// space after the colon is dropped; an event is dispatched at a blank line when it has
/// data; the last event id persists across events.
#[derive(Debug, Default)]
pub struct EventParser {
    pending: Vec<u8>,
    /// The last byte fed was a CR: an LF right after it ends no new line.
    after_cr: bool,
    /// Whether the stream's first bytes were seen (a byte-order mark there is dropped).
    started: bool,
    last_id: Option<String>,
    event: Option<String>,
    retry: Option<u64>,
    data: String,
    has_data: bool,
}

impl EventParser {
    /// Feeds the next chunk; complete events are pushed to `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<RawEvent>) {
        if !self.started && !chunk.is_empty() {
            self.pending.extend_from_slice(chunk);
            if self.pending.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.pending) {
                return;
            }
            self.started = true;
            let buffered = std::mem::take(&mut self.pending);
            let rest = buffered.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buffered);
            return self.feed_lines(rest, out);
        }
        if self.after_cr && chunk.first() == Some(&b'\n') {
            chunk = &chunk[1..];
        }
        self.after_cr = false;
        self.feed_lines(chunk, out);
    }

    fn feed_lines(&mut self, chunk: &[u8], out: &mut VecDeque<RawEvent>) {
        let mut start = 0;
        let mut i = 0;
        while i < chunk.len() {
            match chunk[i] {
                b'\n' | b'\r' => {
                    let mut line = std::mem::take(&mut self.pending);
                    line.extend_from_slice(&chunk[start..i]);
                    self.line(&line, out);
                    if chunk[i] == b'\r' {
                        if chunk.get(i + 1) == Some(&b'\n') {
                            i += 1;
                        } else if i + 1 == chunk.len() {
                            self.after_cr = true;
                        }
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        self.pending.extend_from_slice(&chunk[start..]);
    }

    fn line(&mut self, line: &[u8], out: &mut VecDeque<RawEvent>) {
        let line = String::from_utf8_lossy(line);
        if line.is_empty() {
            if self.has_data {
                let mut data = std::mem::take(&mut self.data);
                if data.ends_with('\n') {
                    data.pop();
                }
                out.push_back(RawEvent {
                    event: self.event.take(),
                    id: self.last_id.clone(),
                    retry: self.retry.take(),
                    data,
                });
            }
            self.has_data = false;
            self.data.clear();
            self.event = None;
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_owned()),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
    }
}

/// Splits a byte stream into JSON texts, one per line or per record.
#[derive(Debug)]
pub struct LineParser {
    framing: Lines,
    pending: Vec<u8>,
}

impl LineParser {
    /// A parser for `framing`.
    pub fn new(framing: Lines) -> Self {
        Self {
            framing,
            pending: Vec::new(),
        }
    }

    /// Feeds the next chunk; complete items (trimmed, never empty) are pushed to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<Vec<u8>>) {
        let separator = match self.framing {
            Lines::Newline => b'\n',
            Lines::RecordSeparator => 0x1E,
        };
        for &byte in chunk {
            if byte == separator {
                self.flush(out);
            } else {
                self.pending.push(byte);
            }
        }
    }

    /// The last item, at the end of the body (a final line need not end in a newline).
    pub fn finish(&mut self, out: &mut VecDeque<Vec<u8>>) {
        self.flush(out);
    }

    fn flush(&mut self, out: &mut VecDeque<Vec<u8>>) {
        let item = std::mem::take(&mut self.pending);
        let trimmed = item.trim_ascii();
        if !trimmed.is_empty() {
            out.push_back(trimmed.to_vec());
        }
    }
}

/// What a response stream needs to report a bad item.
struct Origin {
    operation_id: &'static str,
    status: StatusCode,
    headers: HeaderMap,
}

impl Origin {
    fn error(&self, body: Bytes, (path, message): (String, String)) -> Error {
        Error::Decode(Box::new(DecodeError {
            operation_id: self.operation_id,
            status: self.status,
            headers: self.headers.clone(),
            body,
            path,
            message,
        }))
    }
}

/// The body of a response, parsed into frames by `P` (`None` at the end of the body) and
/// each frame decoded into an item by `D`.
struct Framed<F, T, P, D> {
    chunks: Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>,
    ready: VecDeque<F>,
    /// The body has ended.
    done: bool,
    /// An error was yielded: the stream ends.
    failed: bool,
    parse: P,
    decode: D,
    origin: Origin,
    item: std::marker::PhantomData<fn() -> T>,
}

impl<F, T, P, D> Stream for Framed<F, T, P, D>
where
    P: FnMut(Option<&[u8]>, &mut VecDeque<F>) + Unpin,
    D: Fn(F) -> Result<T, (Bytes, (String, String))> + Unpin,
    F: Unpin,
{
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.failed {
            return Poll::Ready(None);
        }
        loop {
            if let Some(frame) = this.ready.pop_front() {
                let item = (this.decode)(frame).map_err(|(body, why)| this.origin.error(body, why));
                this.failed = item.is_err();
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.chunks.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => (this.parse)(Some(&chunk), &mut this.ready),
                Poll::Ready(Some(Err(error))) => {
                    this.failed = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    (this.parse)(None, &mut this.ready);
                }
            }
        }
    }
}

fn framed<F, T, P, D>(
    response: RawResponse,
    operation_id: &'static str,
    parse: P,
    decode: D,
) -> ResponseStream<T>
where
    P: FnMut(Option<&[u8]>, &mut VecDeque<F>) + Unpin + Send + 'static,
    D: Fn(F) -> Result<T, (Bytes, (String, String))> + Unpin + Send + 'static,
    F: Unpin + Send + 'static,
    T: Send + 'static,
{
    let origin = Origin {
        operation_id,
        status: response.status(),
        headers: response.headers().clone(),
    };
    ResponseStream {
        inner: Box::pin(Framed {
            chunks: Box::pin(response.bytes_stream()),
            ready: VecDeque::new(),
            done: false,
            failed: false,
            parse,
            decode,
            origin,
            item: std::marker::PhantomData,
        }),
    }
}

fn operation_id(prepared: &Prepared) -> &'static str {
    match prepared {
        Ok((_, request)) => request.operation.operation_id,
        Err(_) => "",
    }
}

/// The data of the last event of an OpenAI-style stream, which is no JSON.
const DONE: &str = "[DONE]";

/// Decodes an event's data as JSON (for generated code).
pub fn event_json<T: DeserializeOwned>(data: &str) -> Result<T, (String, String)> {
    super::decode_json(data.as_bytes())
}

/// An event's data as text (for generated code).
pub fn event_text(data: &str) -> Result<String, (String, String)> {
    Ok(data.to_owned())
}

/// Sends `request` and returns its server-sent events as they arrive, each event's data
/// decoded by `data` ([`event_json`] or [`event_text`]). Error statuses become [`Error`]s as
/// for any request.
///
/// An event whose data is `[DONE]`, where the data is JSON, is the end marker OpenAI's API
/// and the many compatible with it send last; it is not an event, and is skipped.
///
/// # Errors
/// As [`send_raw`](super::send_raw); items that do not decode end the stream with [`Error::Decode`].
pub async fn send_events<T: Send + 'static, H: FromHeaders, E: From<Error>>(
    prepared: Prepared,
    data: fn(&str) -> Result<T, (String, String)>,
) -> Result<Response<ResponseStream<ServerEvent<T>>, H>, E> {
    let operation_id = operation_id(&prepared);
    let response = super::raw(prepared).await?;
    let (status, headers) = (response.status(), response.headers().clone());
    let mut parser = EventParser::default();
    let parse = move |chunk: Option<&[u8]>, out: &mut VecDeque<RawEvent>| {
        // At the end of the body an event without its blank line is discarded (WHATWG).
        if let Some(chunk) = chunk {
            parser.feed(chunk, out);
        }
        out.retain(|event| !(event.data == DONE && data(DONE).is_err()));
    };
    let decode = move |raw: RawEvent| {
        let data = data(&raw.data).map_err(|why| (Bytes::from(raw.data.clone()), why))?;
        Ok(ServerEvent {
            event: raw.event,
            id: raw.id,
            retry: raw.retry,
            data,
        })
    };
    let stream = framed(response, operation_id, parse, decode);
    Ok(Response::new(status, headers, stream))
}

/// Sends `request` and returns the JSON items of its body as they arrive, framed as
/// `framing` says.
///
/// # Errors
/// As [`send_raw`](super::send_raw); items that do not decode end the stream with [`Error::Decode`].
pub async fn send_lines<T: DeserializeOwned + Send + 'static, H: FromHeaders, E: From<Error>>(
    prepared: Prepared,
    framing: Lines,
) -> Result<Response<ResponseStream<T>, H>, E> {
    let operation_id = operation_id(&prepared);
    let response = super::raw(prepared).await?;
    let (status, headers) = (response.status(), response.headers().clone());
    let mut parser = LineParser::new(framing);
    let parse = move |chunk: Option<&[u8]>, out: &mut VecDeque<Vec<u8>>| match chunk {
        Some(chunk) => parser.feed(chunk, out),
        None => parser.finish(out),
    };
    let decode = |item: Vec<u8>| super::decode_json(&item).map_err(|why| (Bytes::from(item), why));
    let stream = framed(response, operation_id, parse, decode);
    Ok(Response::new(status, headers, stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> Vec<RawEvent> {
        let mut parser = EventParser::default();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out);
        }
        out.into()
    }

    fn event(event: Option<&str>, id: Option<&str>, retry: Option<u64>, data: &str) -> RawEvent {
        RawEvent {
            event: event.map(str::to_owned),
            id: id.map(str::to_owned),
            retry,
            data: data.to_owned(),
        }
    }

    #[test]
    fn events_follow_the_whatwg_rules() {
        // Data lines joined, one leading space dropped, comments skipped, the id kept for
        // later events, retry read only when all digits, CR, LF and CRLF all end lines.
        let text: &[u8] = b"\xEF\xBB\xBF: comment\r\nevent: add\ndata: one\ndata:two\nid: 7\nretry: 1500\n\ndata\rretry: soon\r\r\n\ndata: {\"a\": 1}\n\nevent: ping\n\ndata: last without a blank line";
        let expected = vec![
            event(Some("add"), Some("7"), Some(1500), "one\ntwo"),
            event(None, Some("7"), None, ""),
            event(None, Some("7"), None, "{\"a\": 1}"),
        ];
        assert_eq!(events(&[text]), expected);
        // The same bytes cut at every position parse the same.
        for cut in 0..text.len() {
            assert_eq!(
                events(&[&text[..cut], &text[cut..]]),
                expected,
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn json_lines_and_records_are_split_and_trimmed() {
        let mut out = VecDeque::new();
        let mut lines = LineParser::new(Lines::Newline);
        lines.feed(b"{\"a\":1}\r\n\n  [2]", &mut out);
        lines.feed(b"\n3", &mut out);
        lines.finish(&mut out);
        assert_eq!(
            Vec::from(out),
            [b"{\"a\":1}".to_vec(), b"[2]".to_vec(), b"3".to_vec()]
        );
        let mut out = VecDeque::new();
        let mut records = LineParser::new(Lines::RecordSeparator);
        records.feed(b"\x1e{\"a\":1}\n\x1e\"x\"\n", &mut out);
        records.finish(&mut out);
        assert_eq!(Vec::from(out), [b"{\"a\":1}".to_vec(), b"\"x\"".to_vec()]);
    }
}
