//! Response envelopes: some APIs wrap a response in an object with its real status and
//! content when a request asks for it (for clients that cannot read HTTP statuses). The client
//! takes such an envelope off, so that callers get the same types either way.

use reqwest::StatusCode;

/// How an API wraps a response when asked to: the SDK built on this runtime describes it,
/// and [`ClientBuilder::envelope`](crate::ClientBuilder::envelope) installs it.
#[derive(Debug, Clone, Copy)]
pub struct Envelope {
    /// The query parameter that asks for the envelope, when sent as `true`.
    pub query_parameter: &'static str,
    /// Takes a body apart: the status and the content it wraps; `None` when the body is not
    /// an envelope (it is then decoded as it is).
    pub unwrap: fn(&[u8]) -> Option<(StatusCode, serde_json::Value)>,
}

impl Envelope {
    /// Whether a request with these encoded query pairs asked for the envelope.
    pub(crate) fn requested(&self, query: &[String]) -> bool {
        query.iter().any(|pair| {
            pair.strip_prefix(self.query_parameter)
                .is_some_and(|rest| rest == "=true")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: &[u8]) -> Option<(StatusCode, serde_json::Value)> {
        None
    }

    #[test]
    fn only_the_parameter_set_to_true_asks_for_the_envelope() {
        let envelope = Envelope {
            query_parameter: "envelope",
            unwrap: never,
        };
        let pairs = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(envelope.requested(&pairs(&["pretty=true", "envelope=true"])));
        assert!(!envelope.requested(&pairs(&["envelope=false"])));
        assert!(!envelope.requested(&pairs(&["envelopes=true"])));
        assert!(!envelope.requested(&[]));
    }
}
