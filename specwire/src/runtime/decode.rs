//! Decoding helpers generated models call.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde::de::IntoDeserializer;
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer};

/// Decodes a whole JSON object as the variant a discriminator selected. The object keeps its
/// discriminator property, which the variant's own type declares.
pub fn decode_variant<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Whether `value` is an object with every one of `properties` (untagged unions check this
/// before trying a variant whose required struct fields would otherwise decode as defaults).
pub fn has_properties(value: &serde_json::Value, properties: &[&str]) -> bool {
    value
        .as_object()
        .is_some_and(|object| properties.iter().all(|p| object.contains_key(*p)))
}

/// What an object must be for a variant of an untagged union to fit it (the generator
/// writes one per variant): decoding alone would accept a missing required property as its
/// zero value and any string in an enum, and would drop properties the variant does not
/// declare.
#[derive(Debug, Clone, Copy)]
pub struct VariantFit {
    /// Properties it must have.
    pub required: &'static [&'static str],
    /// Properties whose value, when it is a string, must be one of these.
    pub values: &'static [(&'static str, &'static [&'static str])],
    /// The properties its type declares, when it keeps no others (a struct without a map of
    /// additional properties); `None` when it keeps every property, or is no object.
    pub known: Option<&'static [&'static str]>,
    /// `additionalProperties: false`: a property outside `known` rules the variant out.
    pub closed: bool,
}

impl VariantFit {
    /// A variant that asks nothing of a value (a string, a list, a map): decoding alone
    /// decides.
    pub const ANY: VariantFit = VariantFit {
        required: &[],
        values: &[],
        known: None,
        closed: false,
    };

    fn asks_nothing(&self) -> bool {
        self.required.is_empty() && self.values.is_empty() && self.known.is_none()
    }

    /// Whether decoding `object` as this variant keeps every one of its properties.
    fn keeps_all(&self, object: &serde_json::Map<String, serde_json::Value>) -> bool {
        self.known
            .is_none_or(|known| object.keys().all(|k| known.contains(&k.as_str())))
    }
}

/// Whether `fit` admits `value` (see [`VariantFit`]). A property of the wrong JSON type is
/// left to decoding to refuse.
pub fn fits(value: &serde_json::Value, fit: &VariantFit) -> bool {
    if fit.asks_nothing() {
        return true;
    }
    let Some(object) = value.as_object() else {
        return false;
    };
    fit.required.iter().all(|p| object.contains_key(*p))
        && fit.values.iter().all(|(property, allowed)| {
            match object.get(*property).and_then(serde_json::Value::as_str) {
                Some(found) => allowed.contains(&found),
                None => true,
            }
        })
        && (!fit.closed || fit.keeps_all(object))
}

/// The variants of an untagged union to try on `value`, as indices into `variants`: first
/// those that fit it and keep every property it has, then those that fit but would drop
/// some, each group in the document's order. So `{"state": …, "quoted_status_id": …}` is
/// read as the variant that declares `quoted_status_id`, not as an earlier one that would
/// lose it.
pub fn candidates<'a>(
    value: &'a serde_json::Value,
    variants: &'a [VariantFit],
) -> impl Iterator<Item = usize> + 'a {
    let keeps_all = move |fit: &VariantFit| value.as_object().is_none_or(|o| fit.keeps_all(o));
    let fitting = move || {
        variants
            .iter()
            .enumerate()
            .filter(move |(_, fit)| fits(value, fit))
    };
    fitting()
        .filter(move |(_, fit)| keeps_all(fit))
        .chain(fitting().filter(move |(_, fit)| !keeps_all(fit)))
        .map(|(index, _)| index)
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

/// `deserialize_with` for list fields whose schema puts an `enum` on the array: a single
/// value where the list belongs decodes as a one-element list (no list can equal one of the
/// enum's values, so the specification, and servers built from it, may send one alone).
pub fn single_as_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    SingleAsList::deserialize(deserializer).map(|list| list.0)
}

/// [`single_as_list`] for optional fields (`Option<Vec<T>>`; use with `#[serde(default)]`):
/// `null` is `None`.
pub fn single_as_list_option<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<SingleAsList<T>>::deserialize(deserializer).map(|list| list.map(|l| l.0))
}

/// [`single_as_list`] for optional nullable fields (`Option<Nullable<Vec<T>>>`; use with
/// `#[serde(default)]`): a present field is `Some`, `null` is `Some(Nullable::Null)`, as with
/// [`nullable_field`].
pub fn single_as_list_nullable<'de, D, T>(
    deserializer: D,
) -> Result<Option<crate::Nullable<Vec<T>>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<SingleAsList<T>>::deserialize(deserializer)
        .map(|list| Some(crate::Nullable::from(list.map(|l| l.0))))
}

/// A list, or one item alone. Decoded by the value's own kind, without buffering: a
/// sequence is the list, anything else is handed to the item's decoder.
struct SingleAsList<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for SingleAsList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SingleAsListVisitor(std::marker::PhantomData))
    }
}

struct SingleAsListVisitor<T>(std::marker::PhantomData<T>);

impl<T> SingleAsListVisitor<T> {
    fn one<'de, D: serde::Deserializer<'de>>(item: D) -> Result<SingleAsList<T>, D::Error>
    where
        T: Deserialize<'de>,
    {
        T::deserialize(item).map(|item| SingleAsList(vec![item]))
    }
}

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for SingleAsListVisitor<T> {
    type Value = SingleAsList<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list or a single item")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq)).map(SingleAsList)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Self::one(MapAccessDeserializer::new(map))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Self::one(value.into_deserializer())
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Self::one(BorrowedStrDeserializer::new(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Self::Value, E> {
        Self::one(value.into_deserializer())
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Self::one(value.into_deserializer())
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Self::one(value.into_deserializer())
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Self::one(value.into_deserializer())
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Self::one(value.into_deserializer())
    }
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

    /// Mastodon's quote: `Quote {state, quoted_status}` before `ShallowQuote {state,
    /// quoted_status_id}`, both open, both fitting any object with a `state`.
    const QUOTES: &[VariantFit] = &[
        VariantFit {
            required: &["state"],
            values: &[("state", &["accepted", "pending"])],
            known: Some(&["state", "quoted_status"]),
            closed: false,
        },
        VariantFit {
            required: &["state"],
            values: &[("state", &["accepted", "pending"])],
            known: Some(&["state", "quoted_status_id"]),
            closed: false,
        },
        VariantFit::ANY,
    ];

    fn order(value: serde_json::Value) -> Vec<usize> {
        candidates(&value, QUOTES).collect()
    }

    #[test]
    fn variants_that_keep_every_property_go_first() {
        use serde_json::json;
        // Only the second declares `quoted_status_id`: the first would drop it, the third
        // (a map, say) would keep it.
        assert_eq!(
            order(json!({"state": "accepted", "quoted_status_id": "1"})),
            [1, 2, 0]
        );
        assert_eq!(
            order(json!({"state": "accepted", "quoted_status": {}})),
            [0, 2, 1]
        );
        // Both keep everything: the document's order.
        assert_eq!(order(json!({"state": "pending"})), [0, 1, 2]);
        // Declared by neither: both fit, in order, after nothing better.
        assert_eq!(order(json!({"state": "pending", "extra": 1})), [2, 0, 1]);
        // A value outside the enum, a missing required property, no object at all.
        assert_eq!(order(json!({"state": "revoked"})), [2]);
        assert_eq!(order(json!({"quoted_status_id": "1"})), [2]);
        assert_eq!(order(json!("text")), [2]);
    }

    #[test]
    fn a_closed_variant_refuses_a_property_it_does_not_declare() {
        let closed = VariantFit {
            required: &[],
            values: &[],
            known: Some(&["text"]),
            closed: true,
        };
        assert!(fits(&serde_json::json!({"text": "a"}), &closed));
        assert!(!fits(
            &serde_json::json!({"text": "a", "image": 1}),
            &closed
        ));
        assert!(!fits(&serde_json::json!([]), &closed));
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Roles {
        #[serde(default, deserialize_with = "single_as_list")]
        required: Vec<String>,
        #[serde(default, deserialize_with = "single_as_list_option")]
        optional: Option<Vec<u8>>,
        #[serde(default, deserialize_with = "single_as_list_nullable")]
        nullable: Option<crate::Nullable<Vec<Point>>>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Point {
        x: i32,
    }

    fn roles(value: serde_json::Value) -> Result<Roles, serde_json::Error> {
        serde_json::from_value(value)
    }

    #[test]
    fn a_single_value_is_a_one_element_list() {
        let decoded = roles(serde_json::json!({
            "required": "A", "optional": 7, "nullable": {"x": 1}
        }))
        .unwrap();
        assert_eq!(decoded.required, ["A"]);
        assert_eq!(decoded.optional, Some(vec![7]));
        assert_eq!(
            decoded.nullable,
            Some(crate::Nullable::Value(vec![Point { x: 1 }]))
        );
        // From text too (borrowed and escaped strings take different paths).
        let decoded: Roles =
            serde_json::from_str(r#"{"required": "A\u0042", "optional": [1, 2]}"#).unwrap();
        assert_eq!(decoded.required, ["AB"]);
        assert_eq!(decoded.optional, Some(vec![1, 2]));
    }

    #[test]
    fn lists_absent_and_null_decode_as_usual() {
        let decoded = roles(serde_json::json!({
            "required": ["A", "B"], "optional": null, "nullable": null
        }))
        .unwrap();
        assert_eq!(decoded.required, ["A", "B"]);
        assert_eq!(decoded.optional, None);
        assert_eq!(decoded.nullable, Some(crate::Nullable::Null));
        let decoded = roles(serde_json::json!({})).unwrap();
        assert_eq!(
            decoded,
            Roles {
                required: Vec::new(),
                optional: None,
                nullable: None
            }
        );
    }

    #[test]
    fn a_wrong_item_still_fails() {
        let err = roles(serde_json::json!({"optional": "seven"})).unwrap_err();
        assert!(err.to_string().contains("invalid type: string"), "{err}");
        let err = roles(serde_json::json!({"optional": [1, "two"]})).unwrap_err();
        assert!(err.to_string().contains("invalid type: string"), "{err}");
        let err = roles(serde_json::json!({"required": null})).unwrap_err();
        assert!(err.to_string().contains("a list or a single item"), "{err}");
    }
}
