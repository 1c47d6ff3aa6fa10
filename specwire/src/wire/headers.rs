//! Response headers the specification documents, decoded into a generated struct.

use reqwest::header::HeaderMap;

/// A struct of the headers an operation's responses document (generated as
/// `ResponseHeaders` in the operation's module); `()` for operations that document none.
pub trait FromHeaders: Sized {
    /// Reads the documented headers. Never fails: a header that is absent or not in its
    /// documented form is `None` (the raw value stays in the response's `headers`).
    fn from_headers(headers: &HeaderMap) -> Self;
}

impl FromHeaders for () {
    fn from_headers(_: &HeaderMap) -> Self {}
}

/// A header value's documented type.
pub trait HeaderDecode: Sized {
    /// `None` when `text` is not in this type's form.
    fn decode(text: &str) -> Option<Self>;
}

impl HeaderDecode for String {
    fn decode(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl HeaderDecode for bool {
    fn decode(text: &str) -> Option<Self> {
        match text.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

macro_rules! parsed_header {
    ($($t:ty),*) => {$(
        impl HeaderDecode for $t {
            fn decode(text: &str) -> Option<Self> {
                text.trim().parse().ok()
            }
        }
    )*};
}
parsed_header!(i8, i16, i32, i64, u8, u16, u32, u64, f64);

/// The header `name` (case-insensitive) decoded as `T`; the first value when repeated. A
/// value that is not UTF-8 text is `None` like any other undecodable one.
pub fn header_value<T: HeaderDecode>(headers: &HeaderMap, name: &'static str) -> Option<T> {
    let text = headers.get(name)?.to_str().ok()?;
    T::decode(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn documented_types_decode_and_the_rest_is_none() {
        let mut headers = HeaderMap::new();
        headers.insert("ratelimit-limit", HeaderValue::from_static(" 100 "));
        headers.insert("x-flag", HeaderValue::from_static("true"));
        headers.insert("x-broken", HeaderValue::from_static("ten"));
        headers.insert("x-ratio", HeaderValue::from_static("0.5"));
        assert_eq!(header_value::<i64>(&headers, "RateLimit-Limit"), Some(100));
        assert_eq!(header_value::<i32>(&headers, "ratelimit-limit"), Some(100));
        assert_eq!(header_value::<bool>(&headers, "x-flag"), Some(true));
        assert_eq!(header_value::<f64>(&headers, "x-ratio"), Some(0.5));
        assert_eq!(header_value::<i64>(&headers, "x-broken"), None);
        assert_eq!(
            header_value::<String>(&headers, "x-broken").as_deref(),
            Some("ten")
        );
        assert_eq!(header_value::<i64>(&headers, "absent"), None);
    }
}
