//! What an error response's body says: [`ErrorBody`], the runtime's reading (the schema the
//! operation documents for that status, and the JSON), and [`ErrorFormat`], an API-wide
//! error shape an SDK on the runtime can name instead.

use std::any::Any;
use std::sync::Arc;

/// The code and the message of an error body, whatever its shape: what `Display` and
/// `error_code()` show.
pub trait ErrorSummary {
    /// The machine-readable error code, such as `RESOURCE_NOT_FOUND`.
    fn error_code(&self) -> Option<String>;
    /// The explanation, for the developer.
    fn error_message(&self) -> Option<String>;
}

/// One error shape an API uses for every error status, decoded by hand (an SDK's
/// `ApiError`). [`Error<F>`](crate::Error) carries it instead of an [`ErrorBody`].
pub trait ErrorFormat: ErrorSummary + Clone + std::fmt::Debug + Send + Sync + 'static {
    /// Reads an error body already parsed as JSON (envelope, if any, taken off); `None` when
    /// it is not in this format.
    fn from_json(json: &serde_json::Value) -> Option<Self>;

    /// Reads a raw error body; `None` when it is not in this format. By default, as JSON.
    fn from_body(body: &[u8]) -> Option<Self> {
        Self::from_json(&serde_json::from_slice(body).ok()?)
    }
}

/// A decoded value of a generated error type, kept behind `dyn` so that one error type serves
/// every operation.
trait TypedBody: Any + std::fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + std::fmt::Debug + Send + Sync> TypedBody for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The body of an error response: its JSON, and its value as the type of the schema the
/// operation documents for the status, when it documents one.
///
/// Read the typed value with [`get`](Self::get) (or [`Error::body`](crate::Error::body)):
/// `error.body::<models::ValidationError>()`. Every generated type of an operation's error
/// responses is listed in the operation's documentation.
#[derive(Clone, Default)]
pub struct ErrorBody {
    json: Option<serde_json::Value>,
    typed: Option<Arc<dyn TypedBody>>,
}

impl std::fmt::Debug for ErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.typed {
            Some(typed) => typed.fmt(f),
            None => f.debug_tuple("ErrorBody").field(&self.json).finish(),
        }
    }
}

impl ErrorBody {
    /// A body read as JSON only; `None` when it is not JSON.
    pub(crate) fn untyped(body: &[u8]) -> Option<Self> {
        let json = serde_json::from_slice(body).ok()?;
        Some(Self {
            json: Some(json),
            typed: None,
        })
    }

    /// A body whose JSON (possibly absent: an empty body) the operation documents no schema
    /// for.
    pub(crate) fn json_only(json: Option<serde_json::Value>) -> Self {
        Self { json, typed: None }
    }

    /// A body read as a generated type: `json` and its value `typed`.
    pub(crate) fn typed<T: Any + std::fmt::Debug + Send + Sync>(
        json: serde_json::Value,
        typed: T,
    ) -> Self {
        Self {
            json: Some(json),
            typed: Some(Arc::new(typed)),
        }
    }

    /// The body as the generated type `T`; `None` when it was decoded as another type, or
    /// the operation documents no schema for its status.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.typed.as_deref()?.as_any().downcast_ref::<T>()
    }

    /// Whether the body was decoded as the schema the operation documents.
    pub fn is_typed(&self) -> bool {
        self.typed.is_some()
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<&serde_json::Value> {
        self.json.as_ref()
    }
}

impl ErrorSummary for ErrorBody {
    /// `errorCode`, `error_code`, `code`, `error.code`, `type` or a string `error` (OAuth
    /// 2.0), the first present (a number as its text).
    fn error_code(&self) -> Option<String> {
        code_of(self.json.as_ref()?)
    }

    /// `message`, `detail`, `error_description`, `error.message`, `title` or a string
    /// `error`, the first present.
    fn error_message(&self) -> Option<String> {
        first_text(
            self.json.as_ref()?,
            &[
                "/message",
                "/detail",
                "/error_description",
                "/error/message",
                "/title",
                "/error",
            ],
        )
    }
}

/// The error code a JSON error body carries, in any of the common shapes
/// ([`ErrorBody::error_code`]).
pub(crate) fn code_of(json: &serde_json::Value) -> Option<String> {
    first_text(
        json,
        &[
            "/errorCode",
            "/error_code",
            "/code",
            "/error/code",
            "/type",
            "/error",
        ],
    )
}

/// The first of `pointers` that holds a string or a number, as text.
fn first_text(json: &serde_json::Value, pointers: &[&str]) -> Option<String> {
    pointers
        .iter()
        .find_map(|pointer| match json.pointer(pointer)? {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages_are_read_from_the_common_shapes() {
        let read = |json: serde_json::Value| {
            let body = ErrorBody::json_only(Some(json));
            (body.error_code(), body.error_message())
        };
        assert_eq!(
            read(serde_json::json!({"errorCode": "NOT_FOUND", "detail": "gone"})),
            (Some("NOT_FOUND".to_owned()), Some("gone".to_owned()))
        );
        assert_eq!(
            read(serde_json::json!({"error": {"code": "rate_limit", "message": "slow down"}})),
            (Some("rate_limit".to_owned()), Some("slow down".to_owned()))
        );
        assert_eq!(
            read(serde_json::json!({"error": "invalid_client", "error_description": "no"})),
            (Some("invalid_client".to_owned()), Some("no".to_owned()))
        );
        assert_eq!(read(serde_json::json!([1])), (None, None));
    }
}
