//! Which schema an operation's error response is read as: the cases generated code lists,
//! and the decoder of each, which reads a body as the schema's generated type only when it
//! is that schema's (an error body of another format stays untyped).

use crate::error_body::ErrorBody;

/// Which error responses a schema of an operation covers, as the specification keys them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCase {
    /// One status (`404`).
    Status(u16),
    /// A class of statuses (`4` for `4XX`).
    Class(u16),
    /// Every other error status (`default`).
    Default,
}

impl ErrorCase {
    /// Whether `status` falls in this case.
    fn covers(self, status: u16) -> bool {
        match self {
            ErrorCase::Status(code) => code == status,
            ErrorCase::Class(class) => status / 100 == class,
            ErrorCase::Default => true,
        }
    }

    /// Exact statuses first, then classes, then `default`.
    fn rank(self) -> u8 {
        match self {
            ErrorCase::Status(_) => 0,
            ErrorCase::Class(_) => 1,
            ErrorCase::Default => 2,
        }
    }
}

/// The schema an operation documents for some of its error responses: generated code lists
/// one per documented error response with a JSON schema.
#[derive(Debug, Clone, Copy)]
pub struct ErrorSchema {
    /// The statuses it covers.
    pub case: ErrorCase,
    /// Decodes a body as the schema's generated type ([`error_schema`]).
    pub decode: fn(&serde_json::Value) -> Option<ErrorBody>,
}

/// The decoder of an [`ErrorSchema`] whose generated type is `T`.
///
/// Generated models read leniently (an absent required string is `""`, as servers that omit
/// zero values send it), so any object would decode as any model. An error body is only read
/// as `T` when it shares a property with it: an object that has none of the schema's is
/// another error format, and stays untyped.
pub fn error_schema<T>(json: &serde_json::Value) -> Option<ErrorBody>
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug + Send + Sync + 'static,
{
    let typed = T::deserialize(json).ok()?;
    if !shares_a_property(json, &typed) {
        return None;
    }
    Some(ErrorBody::typed(json.clone(), typed))
}

/// Whether `typed`, written back as a server would send it, has a property `json` has (or
/// either is not an object with properties, where there is nothing to compare).
fn shares_a_property<T: serde::Serialize>(json: &serde_json::Value, typed: &T) -> bool {
    let serde_json::Value::Object(sent) = json else {
        return true;
    };
    let written = super::object::as_response(|| serde_json::to_value(typed));
    match written {
        Ok(serde_json::Value::Object(read)) if !sent.is_empty() && !read.is_empty() => {
            read.keys().any(|key| sent.contains_key(key))
        }
        _ => true,
    }
}

/// Reads the body of a documented error `status`: as the schema the operation documents for
/// it (the most specific case), else as plain JSON when no schema covers the status. `None`
/// when a schema covers it and the body does not decode as that schema.
pub(crate) fn read_documented(
    schemas: &[ErrorSchema],
    status: u16,
    json: Option<serde_json::Value>,
) -> Option<ErrorBody> {
    let schema = schemas
        .iter()
        .filter(|schema| schema.case.covers(status))
        .min_by_key(|schema| schema.case.rank());
    match schema {
        Some(schema) => (schema.decode)(json.as_ref()?),
        None => Some(ErrorBody::json_only(json)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorSummary as _;

    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Invalid {
        fields: Vec<String>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Problem {
        #[serde(default)]
        title: String,
    }

    const SCHEMAS: &[ErrorSchema] = &[
        ErrorSchema {
            case: ErrorCase::Default,
            decode: error_schema::<Problem>,
        },
        ErrorSchema {
            case: ErrorCase::Status(422),
            decode: error_schema::<Invalid>,
        },
    ];

    #[test]
    fn the_most_specific_documented_schema_decodes_the_body() {
        let body = read_documented(
            SCHEMAS,
            422,
            Some(serde_json::json!({"fields": ["name"], "title": "t"})),
        )
        .unwrap();
        assert_eq!(
            body.get::<Invalid>(),
            Some(&Invalid {
                fields: vec!["name".to_owned()]
            })
        );
        assert_eq!(body.get::<Problem>(), None);
        let other =
            read_documented(SCHEMAS, 500, Some(serde_json::json!({"title": "down"}))).unwrap();
        assert_eq!(other.get::<Problem>().unwrap().title, "down");
        assert_eq!(other.error_message().as_deref(), Some("down"));
        // A body that is not the documented schema is not read as it, even where the type
        // would read it leniently (`title` has a default).
        assert!(read_documented(SCHEMAS, 422, Some(serde_json::json!({"x": 1}))).is_none());
        assert!(read_documented(SCHEMAS, 500, Some(serde_json::json!({"x": 1}))).is_none());
        assert!(read_documented(SCHEMAS, 422, None).is_none());
        // No schema documented: the JSON, untyped.
        let plain = read_documented(&[], 404, Some(serde_json::json!({"code": 5}))).unwrap();
        assert!(!plain.is_typed());
        assert_eq!(plain.error_code().as_deref(), Some("5"));
    }
}
