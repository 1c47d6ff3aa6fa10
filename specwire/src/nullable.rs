//! A value that may be explicitly `null`, for fields where `null` means something.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field value that may be `null` on purpose.
///
/// Optional nullable fields of request and response bodies are `Option<Nullable<T>>`, so
/// the three states stay apart: `None` leaves the field out (in a PATCH: unchanged),
/// `Some(Nullable::Null)` sends `null` (clears it), `Some(Nullable::Value(v))` sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// JSON `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if not `null`.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(value) => Some(value),
        }
    }

    /// The value, if not `null`, taking ownership.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(value) => Some(value),
        }
    }

    /// Whether it is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::runtime::nullable_field"
        )]
        name: Option<Nullable<String>>,
    }

    #[test]
    fn absent_null_and_value_stay_apart() {
        let cases = [
            (Patch { name: None }, "{}"),
            (
                Patch {
                    name: Some(Nullable::Null),
                },
                r#"{"name":null}"#,
            ),
            (
                Patch {
                    name: Some(Nullable::Value("a".into())),
                },
                r#"{"name":"a"}"#,
            ),
        ];
        for (patch, json) in cases {
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
        }
    }
}
