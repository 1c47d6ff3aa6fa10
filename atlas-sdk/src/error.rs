//! Atlas's error format: the body every Atlas error status carries (also Google's
//! `google.rpc.Status`, which Atlas-fronting gateways send), and the SDK's error type.

/// Everything that can go wrong when calling Atlas through this SDK: the runtime's error,
/// whose [`Error::Api`](specwire::Error::Api) carries an [`ApiError`].
///
/// The common checks are one call away: `error.status()`, `error.error_code()` and
/// `error.api_error()`.
pub type Error = specwire::Error<ApiError>;

/// A documented error status with its decoded [`ApiError`].
pub type ApiErrorResponse = specwire::ApiErrorResponse<ApiError>;

/// Error body Atlas sends with every error status; also Google's `google.rpc.Status`
/// (`code`, `message`, `details`), which gRPC gateways (grpc-gateway, Envoy's transcoder) and
/// Google-style APIs send.
///
/// Written by hand rather than generated: the specification types `parameters` as objects,
/// but Atlas sends strings and numbers there, and later API versions add `badRequestDetail`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code of the response.
    pub error: Option<i32>,
    /// Machine-readable error code, for example `RESOURCE_NOT_FOUND`.
    pub error_code: Option<String>,
    /// Explanation of the error.
    pub detail: Option<String>,
    /// Reason phrase of the HTTP status.
    pub reason: Option<String>,
    /// Values that give more information about the error (strings and numbers in practice).
    pub parameters: Vec<serde_json::Value>,
    /// Details about a malformed request, in API versions that send them.
    pub bad_request_detail: Option<serde_json::Value>,
    /// `google.rpc.Status`'s `code`: the gRPC status code (5 is `NOT_FOUND`). Read only when
    /// it is an integer (other APIs send a string `code`; that is not this).
    pub code: Option<i32>,
    /// `google.rpc.Status`'s `message`: the explanation, for the developer.
    pub message: Option<String>,
    /// `google.rpc.Status`'s `details`: typed messages (`@type` names each) with more.
    pub details: Vec<serde_json::Value>,
}

// Serde by hand, so that the SDK needs no `serde_derive` (every user would compile it, and
// serde would wait for it): absent and `null` fields are `None` (or empty), unknown ones are
// ignored, as the derive with `default` did.
impl serde::Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        if let Some(error) = &self.error {
            map.serialize_entry("error", error)?;
        }
        if let Some(code) = &self.error_code {
            map.serialize_entry("errorCode", code)?;
        }
        if let Some(detail) = &self.detail {
            map.serialize_entry("detail", detail)?;
        }
        if let Some(reason) = &self.reason {
            map.serialize_entry("reason", reason)?;
        }
        if !self.parameters.is_empty() {
            map.serialize_entry("parameters", &self.parameters)?;
        }
        if let Some(detail) = &self.bad_request_detail {
            map.serialize_entry("badRequestDetail", detail)?;
        }
        if let Some(code) = &self.code {
            map.serialize_entry("code", code)?;
        }
        if let Some(message) = &self.message {
            map.serialize_entry("message", message)?;
        }
        if !self.details.is_empty() {
            map.serialize_entry("details", &self.details)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for ApiError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        fn typed<T: serde::de::DeserializeOwned, E: serde::de::Error>(
            key: &str,
            value: Option<serde_json::Value>,
        ) -> Result<Option<T>, E> {
            value
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| E::custom(format!("`{key}`: {e}")))
        }
        let serde_json::Value::Object(mut map) = serde::Deserialize::deserialize(deserializer)?
        else {
            return Err(D::Error::custom("an Atlas error body is a JSON object"));
        };
        let mut take = |key: &str| map.remove(key).filter(|v| !v.is_null());
        Ok(ApiError {
            // grpc-gateway v1 sends its message as a string `error` beside `code` and
            // `message`; only Atlas's integer status is this field.
            error: take("error")
                .filter(serde_json::Value::is_number)
                .map(|v| typed::<i32, D::Error>("error", Some(v)))
                .transpose()?
                .flatten(),
            error_code: typed("errorCode", take("errorCode"))?,
            detail: typed("detail", take("detail"))?,
            reason: typed("reason", take("reason"))?,
            parameters: typed("parameters", take("parameters"))?.unwrap_or_default(),
            bad_request_detail: take("badRequestDetail"),
            // Lenient: `code` and `message` of other shapes belong to other error formats.
            code: take("code")
                .and_then(|v| v.as_i64())
                .and_then(|n| i32::try_from(n).ok()),
            message: take("message").and_then(|v| v.as_str().map(str::to_owned)),
            details: match take("details") {
                Some(serde_json::Value::Array(details)) => details,
                _ => Vec::new(),
            },
        })
    }
}

impl ApiError {
    /// Decodes an error body, taking off an `{"status", "content"}` envelope if there is one.
    /// `None` unless it is an Atlas error or a `google.rpc.Status`: every field is optional
    /// for leniency, so a body must carry `error` or `errorCode`, or both `code` and
    /// `message`, to count (any JSON object would decode otherwise).
    pub(crate) fn from_body(body: &[u8]) -> Option<Self> {
        match crate::envelope::unwrap_envelope(body) {
            Some((_, content)) => Self::from_value(content),
            None => Self::from_value(serde_json::from_slice(body).ok()?),
        }
    }

    /// Decodes an already-parsed error body; `None` unless it carries `error` or `errorCode`
    /// (Atlas), or both `code` and `message` (`google.rpc.Status`).
    pub(crate) fn from_value(value: serde_json::Value) -> Option<Self> {
        serde_json::from_value::<Self>(value).ok().filter(|e| {
            e.error.is_some() || e.error_code.is_some() || (e.code.is_some() && e.message.is_some())
        })
    }
}

impl specwire::ErrorSummary for ApiError {
    fn error_code(&self) -> Option<String> {
        self.error_code.clone()
    }

    fn error_message(&self) -> Option<String> {
        self.detail.clone().or_else(|| self.message.clone())
    }
}

impl specwire::ErrorFormat for ApiError {
    fn from_json(json: &serde_json::Value) -> Option<Self> {
        Self::from_value(json.clone())
    }

    fn from_body(body: &[u8]) -> Option<Self> {
        ApiError::from_body(body)
    }
}

#[cfg(test)]
mod tests {
    use super::ApiError;

    #[test]
    fn api_errors_read_leniently_and_write_only_what_is_set() {
        let error: ApiError = serde_json::from_value(serde_json::json!({
            "error": 404, "errorCode": "NOT_FOUND", "detail": "d", "reason": "Not Found",
            "parameters": ["AWS", 3], "badRequestDetail": {"fields": []}, "future": true
        }))
        .unwrap();
        assert_eq!(error.error, Some(404));
        assert_eq!(error.error_code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(
            error.parameters,
            [serde_json::json!("AWS"), serde_json::json!(3)]
        );
        assert_eq!(
            error.bad_request_detail,
            Some(serde_json::json!({"fields": []}))
        );
        let empty: ApiError = serde_json::from_value(serde_json::json!({"detail": null})).unwrap();
        assert_eq!(empty, ApiError::default());
        assert_eq!(serde_json::to_value(&empty).unwrap(), serde_json::json!({}));
        assert_eq!(
            serde_json::to_value(ApiError {
                error_code: Some("X".to_owned()),
                ..ApiError::default()
            })
            .unwrap(),
            serde_json::json!({"errorCode": "X"})
        );
        // google.rpc.Status, as grpc-gateway sends it; a string `code` is another format's.
        let status = ApiError::from_value(serde_json::json!({
            "code": 5, "message": "no such channel",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "X"}]
        }))
        .unwrap();
        assert_eq!(status.code, Some(5));
        assert_eq!(status.message.as_deref(), Some("no such channel"));
        assert_eq!(status.details.len(), 1);
        assert_eq!(
            serde_json::to_value(&status).unwrap()["message"],
            "no such channel"
        );
        assert_eq!(
            ApiError::from_value(serde_json::json!({"code": "invalid", "message": "m"})),
            None
        );
        assert_eq!(ApiError::from_value(serde_json::json!({"code": 5})), None);
        // grpc-gateway v1: a string `error` beside the Status fields.
        let v1 = ApiError::from_value(
            serde_json::json!({"error": "not found", "code": 5, "message": "not found"}),
        )
        .unwrap();
        assert_eq!((v1.error, v1.code), (None, Some(5)));
        assert_eq!(
            ApiError::from_value(serde_json::json!({"error": "four"})),
            None
        );
        let wrong = serde_json::from_value::<ApiError>(serde_json::json!({"error": 1e12}));
        assert!(wrong.unwrap_err().to_string().contains("`error`"));
        assert!(serde_json::from_value::<ApiError>(serde_json::json!([1])).is_err());
    }
}
