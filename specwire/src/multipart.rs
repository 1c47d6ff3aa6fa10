//! `multipart/form-data` request bodies (RFC 7578): text fields, JSON fields and files.

use bytes::{BufMut, Bytes, BytesMut};

/// A `multipart/form-data` body: the parts in the order they are added.
///
/// Operations whose body is multipart take one of these; their documentation lists the parts
/// the specification describes. The body is assembled in memory, so it can be sent again on
/// a retry or an authentication challenge.
///
/// ```
/// let form = specwire::Multipart::new()
///     .text("description", "nightly export")
///     .file("file", "export.csv", "text/csv", "a,b\n1,2\n");
/// assert!(form.content_type().starts_with("multipart/form-data; boundary="));
/// ```
#[derive(Debug, Clone)]
pub struct Multipart {
    boundary: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    body: Bytes,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form with a random boundary.
    pub fn new() -> Self {
        let boundary = format!(
            "specwire-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        Self {
            boundary,
            parts: Vec::new(),
        }
    }

    /// Uses `boundary` instead of a random one (for reproducible bodies). It must not occur
    /// in any part; [`to_bytes`](Self::to_bytes) does not check.
    pub fn with_boundary(mut self, boundary: impl Into<String>) -> Self {
        self.boundary = boundary.into();
        self
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: None,
            body: Bytes::from(value.into()),
        });
        self
    }

    /// Adds a field holding `value` as JSON (`Content-Type: application/json`).
    ///
    /// # Errors
    /// [`Error::Config`](crate::Error::Config) if `value` cannot be serialized.
    pub fn json<T: serde::Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, crate::Error> {
        let body = serde_json::to_vec(value).map_err(|e| {
            crate::Error::Config(format!("multipart field cannot be serialized: {e}"))
        })?;
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: Some("application/json".to_owned()),
            body: Bytes::from(body),
        });
        Ok(self)
    }

    /// Adds a file.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        body: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            body: body.into(),
        });
        self
    }

    /// `multipart/form-data; boundary=…`, the body's `Content-Type`.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The encoded body.
    pub fn to_bytes(&self) -> Bytes {
        let mut out = BytesMut::new();
        for part in &self.parts {
            out.put_slice(b"--");
            out.put_slice(self.boundary.as_bytes());
            out.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.put_slice(quoted(&part.name).as_bytes());
            out.put_slice(b"\"");
            if let Some(filename) = &part.filename {
                out.put_slice(b"; filename=\"");
                out.put_slice(quoted(filename).as_bytes());
                out.put_slice(b"\"");
            }
            out.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                out.put_slice(b"Content-Type: ");
                out.put_slice(single_line(content_type).as_bytes());
                out.put_slice(b"\r\n");
            }
            out.put_slice(b"\r\n");
            out.put_slice(&part.body);
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"--");
        out.put_slice(self.boundary.as_bytes());
        out.put_slice(b"--\r\n");
        out.freeze()
    }
}

/// A name or file name inside `"…"`: quotes, backslashes and line breaks percent-encoded,
/// as browsers do (RFC 7578 §4.2 leaves the escaping to the encoder).
fn quoted(text: &str) -> String {
    text.replace('%', "%25")
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value on one line (a CR or LF would start another header).
fn single_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_encoded_exactly() {
        let form = Multipart::new()
            .with_boundary("XyZ")
            .text("note", "héllo")
            .json("meta", &serde_json::json!({"a": 1}))
            .unwrap()
            .file("up\"load", "a\r\n.txt", "text/plain\r\nX: y", "bytes");
        assert_eq!(form.content_type(), "multipart/form-data; boundary=XyZ");
        assert_eq!(
            String::from_utf8(form.to_bytes().to_vec()).unwrap(),
            "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhéllo\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"up%22load\"; filename=\"a%0D%0A.txt\"\r\nContent-Type: text/plain  X: y\r\n\r\nbytes\r\n\
             --XyZ--\r\n"
        );
    }

    #[test]
    fn boundaries_are_random() {
        assert_ne!(
            Multipart::new().content_type(),
            Multipart::new().content_type()
        );
    }
}
