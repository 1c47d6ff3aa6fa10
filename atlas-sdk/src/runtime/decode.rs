//! Decoding helpers generated models call.

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Decodes a whole JSON object as the variant a discriminator selected. The object keeps its
/// discriminator property, which the variant's own type declares.
pub fn decode_variant<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// `deserialize_with` for optional nullable fields: a present field (even `null`) is
/// `Some(…)`, so `null` and absent stay apart ([`crate::Nullable`]).
pub fn nullable_field<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_variant_reports_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only decoding is tested")]
        struct Aws {
            region: String,
        }
        let err =
            decode_variant::<Aws, serde_json::Error>(serde_json::json!({"region": 1})).unwrap_err();
        assert!(
            err.to_string().contains("invalid type: integer `1`"),
            "{err}"
        );
    }
}
