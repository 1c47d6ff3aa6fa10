//! A server's word that an operation is deprecated or will be withdrawn: the `Deprecation`
//! header (RFC 9745), the `Sunset` header (RFC 8594), and the `Link`s they come with.
//! Every response is read for them; the first one an operation gets in a process is logged
//! as a `tracing` warning, and [`Response::deprecation`](crate::Response::deprecation) reads
//! them on any response.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use reqwest::header::{HeaderMap, LINK};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

/// What a response says about the operation's future.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deprecation {
    /// `Deprecation` as sent, when it was: `@1688169599` (RFC 9745: deprecated since then,
    /// or from then on) or, from servers that follow the earlier drafts, `true` or a date.
    pub deprecation: Option<String>,
    /// When the operation was or will be deprecated, if `Deprecation` carries a date.
    pub deprecated_at: Option<OffsetDateTime>,
    /// `Sunset` as sent, when it was: the HTTP date after which the operation may stop
    /// answering.
    pub sunset: Option<String>,
    /// That date, when it parses.
    pub sunset_at: Option<OffsetDateTime>,
    /// Targets of `Link` headers with `rel="deprecation"` or `rel="sunset"`: where the server
    /// explains what to do.
    pub links: Vec<String>,
}

impl Deprecation {
    /// Reads the headers; `None` when neither `Deprecation` nor `Sunset` is there.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
        };
        let deprecation = text("deprecation");
        let sunset = text("sunset");
        if deprecation.is_none() && sunset.is_none() {
            return None;
        }
        Some(Self {
            deprecated_at: deprecation.as_deref().and_then(date),
            sunset_at: sunset.as_deref().and_then(date),
            deprecation,
            sunset,
            links: links(headers),
        })
    }
}

/// `@<seconds since the epoch>` (a structured-field date, RFC 9745) or an HTTP date.
fn date(value: &str) -> Option<OffsetDateTime> {
    match value.strip_prefix('@') {
        Some(seconds) => OffsetDateTime::from_unix_timestamp(seconds.parse().ok()?).ok(),
        None => OffsetDateTime::parse(value, &Rfc2822).ok(),
    }
}

/// The targets of `Link: <target>; rel="deprecation"` (or `sunset`), in order.
fn links(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|link| {
            let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
            let relation = params.split(';').find_map(|p| {
                let (name, value) = p.trim().split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("rel")
                    .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
            })?;
            relation
                .split_whitespace()
                .any(|r| r == "deprecation" || r == "sunset")
                .then(|| target.to_owned())
        })
        .collect()
}

/// Logs the first deprecation notice each operation gets in this process, as a `tracing`
/// warning (target `specwire`); later ones are silent, so a loop does not flood the log.
pub(crate) fn warn_once(operation_id: &'static str, headers: &HeaderMap) {
    static WARNED: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let Some(notice) = Deprecation::from_headers(headers) else {
        return;
    };
    let warned = WARNED.get_or_init(Mutex::default);
    // A poisoned lock only means another thread panicked while inserting: the set is whole.
    let first = warned
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(operation_id);
    if first {
        tracing::warn!(
            target: "specwire",
            operation_id,
            deprecation = notice.deprecation.as_deref(),
            sunset = notice.sunset.as_deref(),
            link = notice.links.first().map(String::as_str),
            "the server says this operation is deprecated",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn reads_rfc_9745_and_rfc_8594_headers_and_their_links() {
        let notice = Deprecation::from_headers(&headers(&[
            ("deprecation", "@1688169599"),
            ("sunset", "Sat, 31 Jan 2026 23:59:59 GMT"),
            (
                "link",
                "<https://x.io/next>; rel=\"next\", <https://x.io/d>; rel=\"deprecation\"",
            ),
            ("link", "<https://x.io/s>; rel=sunset"),
        ]))
        .unwrap();
        assert_eq!(notice.deprecation.as_deref(), Some("@1688169599"));
        assert_eq!(
            notice.deprecated_at.unwrap().unix_timestamp(),
            1_688_169_599
        );
        assert_eq!(notice.sunset_at.unwrap().unix_timestamp(), 1_769_903_999);
        assert_eq!(notice.links, ["https://x.io/d", "https://x.io/s"]);
    }

    #[test]
    fn draft_values_are_kept_and_absent_headers_are_none() {
        let notice = Deprecation::from_headers(&headers(&[("deprecation", "true")])).unwrap();
        assert_eq!(notice.deprecation.as_deref(), Some("true"));
        assert_eq!(notice.deprecated_at, None);
        assert_eq!(notice.sunset, None);
        assert_eq!(
            Deprecation::from_headers(&headers(&[("link", "<a>; rel=sunset")])),
            None
        );
    }
}
