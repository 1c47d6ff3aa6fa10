//! Decoding, encoding and `Debug` of generated structs as JSON objects.
//!
//! Generated models implement [`Object`] instead of deriving `Deserialize`, `Serialize` and
//! `Debug`: serde's derive
//! also emits sequence, byte-string and integer field-index paths that a JSON object never
//! takes, and type-checking those bodies for ~700 models was most of the generated crate's
//! compile time. Here each model names the slots its fields decode into (a type) and builds
//! itself from them (a plain function); reading the object into the slots, the errors and
//! the helpers are generic and compiled once. For the other direction a model walks its
//! fields once ([`Object::visit_fields`]); [`serialize`] writes that walk as JSON and
//! [`debug`] shows it as `#[derive(Debug)]` would.
//!
//! Behaviour matches the derive: unknown keys are skipped, a repeated key is an error
//! (`duplicate field`), a missing required key is an error (`missing field`), and error
//! messages name the struct the same way (`expected struct Name`). Only a success body the
//! runtime reads again leniently (the private `runtime::lenient` module) differs, through the field slots.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

mod encode;
mod slots;
mod visit;

pub use self::encode::as_response;
pub use self::slots::{
    Field, FieldWith, Missing, Optional, OptionalWith, Slots, WithAdditional, required,
};
use self::visit::DebugFields;
pub use self::visit::FieldVisitor;

/// A struct decoded from a JSON object by [`deserialize`]; implemented by generated models.
pub trait Object: Sized {
    /// The struct's name, for error messages.
    const NAME: &'static str;

    /// Its fields' wire names, in the order of their slots.
    const FIELDS: &'static [&'static str];

    /// The slots its fields are read into: a tuple of [`Field`], [`Optional`], … (nested past
    /// 16 fields), in [`WithAdditional`] when it keeps unknown keys.
    type Slots: for<'de> Slots<'de>;

    /// The struct from its filled slots.
    ///
    /// # Errors
    /// [`Missing`] for a required field the object left out.
    fn build(slots: Self::Slots) -> Result<Self, Missing>;

    /// Shows each field to `visitor`, in declaration order: the one walk of the struct's
    /// fields behind both its [`serialize`] and its [`debug`].
    fn visit_fields<V: FieldVisitor>(&self, visitor: &mut V);
}

/// `Serialize::serialize` of a generated struct: a JSON object of its fields, optional ones
/// only when set, read-only ones only as a response ([`as_response`]).
///
/// # Errors
/// The serializer's, or the first field's that does not encode.
pub fn serialize<T: Object, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut encoder = encode::Encoder::new(serializer)?;
    value.visit_fields(&mut encoder);
    encoder.end()
}

/// `Debug::fmt` of a generated struct: what `#[derive(Debug)]` shows, every field under its
/// Rust name.
///
/// # Errors
/// The formatter's.
pub fn debug<T: Object>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut fields = DebugFields(f.debug_struct(T::NAME));
    value.visit_fields(&mut fields);
    fields.0.finish()
}

/// `Deserialize::deserialize` of a generated struct.
///
/// # Errors
/// The deserializer's error when the value is not an object or a field does not decode.
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = <T::Slots as Slots<'de>>::empty();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let read = match T::FIELDS.iter().position(|name| *name == &*key) {
                Some(index) => slots.read_at(index, &mut map, &key),
                None => None,
            };
            match read {
                Some(result) => result?,
                None => slots.unknown(&mut map, key)?,
            }
        }
        T::build(slots).map_err(|Missing(name)| A::Error::missing_field(name))
    }
}

/// An object key, borrowed from the input when it can be.
pub struct Key<'de>(Cow<'de, str>);

impl std::ops::Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, owned (for `additionalProperties` maps).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }
}

/// Decodes the value of field `name` into its empty `slot`, telling the lenient reader
/// which field's value failed, and whether it may be absent.
fn decode_into<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    slot: &mut Option<S::Value>,
    name: &str,
    seed: S,
    optional: bool,
) -> Result<(), A::Error> {
    if slot.is_some() {
        // The text of serde's `Error::duplicate_field`, which wants a `&'static str`.
        return Err(A::Error::custom(format_args!("duplicate field `{name}`")));
    }
    match map.next_value_seed(seed) {
        Ok(value) => {
            *slot = Some(value);
            super::lenient::decoded();
            Ok(())
        }
        Err(error) => {
            super::lenient::failed(name, optional);
            Err(error)
        }
    }
}

/// The value of an optional field: absent and `null` are both `None`.
pub fn flatten<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

/// The value of a required field with a zero value, which decodes as it when absent.
pub fn or_default<T: Default>(slot: Option<T>) -> T {
    slot.unwrap_or_default()
}

/// Skips the value of a key the struct does not know (a lenient reader: new server fields
/// never break a response).
///
/// # Errors
/// The map's error when the value is malformed.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Decodes the value of an unknown key into the struct's `additionalProperties` map.
///
/// # Errors
/// The value's own error.
pub fn additional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    into: &mut std::collections::BTreeMap<String, T>,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    into.insert(key.into_string(), value);
    Ok(())
}

/// Decodes an RFC 3339 date-time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rfc3339;

impl<'de> DeserializeSeed<'de> for Rfc3339 {
    type Value = time::OffsetDateTime;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        time::serde::rfc3339::deserialize(deserializer)
    }
}

/// Decodes an RFC 3339 date-time or `null` (as `None`).
#[derive(Clone, Copy, Debug, Default)]
pub struct OptionalRfc3339;

impl<'de> DeserializeSeed<'de> for OptionalRfc3339 {
    type Value = Option<time::OffsetDateTime>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        time::serde::rfc3339::option::deserialize(deserializer)
    }
}

/// Declares a seed decoding a list, or a single item alone as a one-element list, into
/// `$value` through `$decode`; the seed's type parameter is that value's type (`Vec<T>`, …),
/// which a model's slot type names.
macro_rules! one_or_many_seed {
    ($(#[$doc:meta])* $name:ident => $value:ty, $decode:expr) => {
        $(#[$doc])*
        pub struct $name<V>(PhantomData<fn() -> V>);

        impl<V> $name<V> {
            /// The decoder.
            pub fn new() -> Self {
                Self(PhantomData)
            }
        }

        // Not derived: a seed is copied whatever `V` is.
        impl<V> Clone for $name<V> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<V> Copy for $name<V> {}

        impl<V> Default for $name<V> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for $name<$value> {
            type Value = $value;

            fn deserialize<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                $decode(deserializer)
            }
        }
    };
}

one_or_many_seed!(
    /// Decodes a list, or a single item alone as a one-element list
    /// ([`single_as_list`](super::single_as_list)).
    OneOrMany => Vec<T>, super::single_as_list
);
one_or_many_seed!(
    /// [`OneOrMany`], with `null` as `None`.
    OptionalOneOrMany => Option<Vec<T>>, super::single_as_list_option
);
one_or_many_seed!(
    /// [`OneOrMany`], with `null` as [`Nullable::Null`](crate::Nullable::Null).
    NullableOneOrMany => crate::Nullable<Vec<T>>,
    |d| super::single_as_list_option(d).map(crate::Nullable::from)
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Nullable;
    use serde::{Serialize, Serializer};

    /// What the generator emits for a struct with every kind of field.
    #[derive(PartialEq)]
    struct Sample {
        name: String,
        count: i64,
        note: Option<String>,
        cleared: Option<Nullable<String>>,
        at: time::OffsetDateTime,
        roles: Vec<String>,
        extra: std::collections::BTreeMap<String, i64>,
    }

    impl Object for Sample {
        const NAME: &'static str = "Sample";
        const FIELDS: &'static [&'static str] =
            &["name", "count", "note", "cleared", "at", "roles"];
        type Slots = WithAdditional<
            (
                Field<String>,
                Field<i64>,
                Optional<Option<String>>,
                Optional<Nullable<String>>,
                FieldWith<time::OffsetDateTime, Rfc3339>,
                FieldWith<Vec<String>, OneOrMany<Vec<String>>>,
            ),
            i64,
        >;

        fn build(WithAdditional(slots, extra): Self::Slots) -> Result<Self, Missing> {
            Ok(Self {
                name: required(slots.0.0, "name")?,
                count: or_default(slots.1.0),
                note: flatten(slots.2.0),
                cleared: slots.3.0,
                at: required(slots.4.0, "at")?,
                roles: required(slots.5.0, "roles")?,
                extra,
            })
        }

        fn visit_fields<V: FieldVisitor>(&self, v: &mut V) {
            v.entry("name", "name", &self.name);
            v.entry("count", "count", &self.count);
            v.optional("note", "note", &self.note);
            v.optional("cleared", "cleared", &self.cleared);
            v.date_time("at", "at", &self.at);
            v.entry("roles", "roles", &self.roles);
            v.additional("extra", &self.extra);
        }
    }

    impl fmt::Debug for Sample {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            super::debug(self, f)
        }
    }

    /// Slots nest past 16 fields: a tuple of tuples.
    #[derive(Debug, PartialEq)]
    struct Nested {
        a: i64,
        b: i64,
        c: Option<i64>,
    }

    impl Object for Nested {
        const NAME: &'static str = "Nested";
        const FIELDS: &'static [&'static str] = &["a", "b", "c"];
        type Slots = ((Field<i64>, Field<i64>), Optional<Option<i64>>);

        fn build(slots: Self::Slots) -> Result<Self, Missing> {
            Ok(Self {
                a: required(slots.0.0.0, "a")?,
                b: required(slots.0.1.0, "b")?,
                c: flatten(slots.1.0),
            })
        }

        fn visit_fields<V: FieldVisitor>(&self, v: &mut V) {
            v.entry("a", "a", &self.a);
            v.entry("b", "b", &self.b);
            v.optional("c", "c", &self.c);
        }
    }

    impl<'de> Deserialize<'de> for Nested {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    #[test]
    fn nested_slots_take_the_fields_at_their_indexes() {
        let nested: Nested = serde_json::from_str(r#"{"c":3,"z":0,"b":2,"a":1}"#).unwrap();
        assert_eq!(
            nested,
            Nested {
                a: 1,
                b: 2,
                c: Some(3)
            }
        );
        let error = serde_json::from_str::<Nested>(r#"{"a":1,"c":3}"#).unwrap_err();
        assert_eq!(error.to_string(), "missing field `b` at line 1 column 13");
        assert_eq!(<<Nested as Object>::Slots as Slots<'_>>::LEN, 3);
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            super::serialize(self, serializer)
        }
    }

    /// `Sample` as `#[derive(Debug)]` shows it, to compare the walk's `Debug` with.
    mod derived {
        #[allow(dead_code, reason = "its fields are read through `Debug` only")]
        #[derive(Debug)]
        pub struct Sample {
            pub name: String,
            pub count: i64,
            pub note: Option<String>,
            pub cleared: Option<crate::Nullable<String>>,
            pub at: time::OffsetDateTime,
            pub roles: Vec<String>,
            pub extra: std::collections::BTreeMap<String, i64>,
        }
    }

    #[test]
    fn debug_shows_what_derive_shows() {
        let sample = decode(
            r#"{"name":"a","at":"2024-01-02T03:04:05Z","roles":"ADMIN","cleared":null,"x":7}"#,
        )
        .expect("decodes");
        let derived = derived::Sample {
            name: sample.name.clone(),
            count: sample.count,
            note: sample.note.clone(),
            cleared: sample.cleared.clone(),
            at: sample.at,
            roles: sample.roles.clone(),
            extra: sample.extra.clone(),
        };
        assert_eq!(format!("{sample:?}"), format!("{derived:?}"));
        assert_eq!(format!("{sample:#?}"), format!("{derived:#?}"));
        assert_eq!(
            format!("{sample:?}"),
            "Sample { name: \"a\", count: 0, note: None, cleared: Some(Null), \
             at: 2024-01-02 3:04:05.0 +00:00:00, roles: [\"ADMIN\"], extra: {\"x\": 7} }"
        );
    }

    /// A keyword-named field and read-only ones, as the generator writes them.
    struct Shown {
        r#type: String,
        state: Option<String>,
        created: Option<time::OffsetDateTime>,
    }

    impl Object for Shown {
        const NAME: &'static str = "Shown";
        const FIELDS: &'static [&'static str] = &["type", "stateName", "created"];
        type Slots = (
            Field<String>,
            Optional<Option<String>>,
            OptionalWith<Option<time::OffsetDateTime>, OptionalRfc3339>,
        );

        fn build(slots: Self::Slots) -> Result<Self, Missing> {
            Ok(Self {
                r#type: required(slots.0.0, "type")?,
                state: flatten(slots.1.0),
                created: flatten(slots.2.0),
            })
        }

        fn visit_fields<V: FieldVisitor>(&self, v: &mut V) {
            v.entry("type", "type", &self.r#type);
            v.read_only("stateName", "state", &self.state);
            v.read_only_date_time("created", "created", &self.created);
        }
    }

    /// No fields at all.
    struct Nothing;

    impl Object for Nothing {
        const NAME: &'static str = "Nothing";
        const FIELDS: &'static [&'static str] = &[];
        type Slots = ();

        fn build(_: Self::Slots) -> Result<Self, Missing> {
            Ok(Self)
        }

        fn visit_fields<V: FieldVisitor>(&self, _: &mut V) {}
    }

    /// `value`'s `Debug` through the walk.
    struct Walked<'a, T>(&'a T);

    impl<T: Object> fmt::Debug for Walked<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            super::debug(self.0, f)
        }
    }

    /// `value` encoded through the walk.
    fn encoded<T: Object>(value: &T) -> String {
        struct Encoded<'a, T>(&'a T);
        impl<T: Object> Serialize for Encoded<'_, T> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                super::serialize(self.0, serializer)
            }
        }
        serde_json::to_string(&Encoded(value)).unwrap()
    }

    #[test]
    fn read_only_keyword_and_empty_structs_show_and_encode_as_the_derive_did() {
        let at = time::OffsetDateTime::from_unix_timestamp(1_704_164_645).unwrap();
        let shown = Shown {
            r#type: "REPLICASET".to_owned(),
            state: Some("IDLE".to_owned()),
            created: Some(at),
        };
        // Every field shown, read-only ones too, the keyword without its `r#`.
        assert_eq!(
            format!("{:?}", Walked(&shown)),
            "Shown { type: \"REPLICASET\", state: Some(\"IDLE\"), \
             created: Some(2024-01-02 3:04:05.0 +00:00:00) }"
        );
        assert_eq!(format!("{:?}", Walked(&Nothing)), "Nothing");
        assert_eq!(format!("{:#?}", Walked(&Nothing)), "Nothing");
        // Read-only fields are left out of a request and written in a response.
        assert_eq!(encoded(&shown), r#"{"type":"REPLICASET"}"#);
        assert_eq!(
            as_response(|| encoded(&shown)),
            r#"{"type":"REPLICASET","stateName":"IDLE","created":"2024-01-02T03:04:05Z"}"#
        );
        assert_eq!(encoded(&Nothing), "{}");
    }

    impl<'de> Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    fn decode(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn decodes_every_kind_of_field() {
        let sample = decode(
            r#"{"name":"a","at":"2024-01-02T03:04:05Z","roles":"ADMIN","cleared":null,"x":7}"#,
        )
        .expect("decodes");
        assert_eq!(sample.name, "a");
        assert_eq!(sample.count, 0, "absent with a default");
        assert_eq!(sample.note, None, "absent optional");
        assert_eq!(sample.cleared, Some(Nullable::Null), "null is not absent");
        assert_eq!(sample.at.unix_timestamp(), 1_704_164_645);
        assert_eq!(
            sample.roles,
            vec!["ADMIN".to_owned()],
            "one value as a list"
        );
        assert_eq!(
            sample.extra.get("x"),
            Some(&7),
            "unknown key kept as additional"
        );
        let full = decode(
            r#"{"name":"b","count":3,"note":null,"at":"2024-01-02T03:04:05Z","roles":["A","B"]}"#,
        )
        .expect("decodes");
        assert_eq!((full.count, full.note, full.cleared), (3, None, None));
        assert_eq!(full.roles.len(), 2);
    }

    #[test]
    fn reports_missing_repeated_and_mistyped_fields_like_serde_derive() {
        assert_eq!(
            decode(r#"{"at":"2024-01-02T03:04:05Z","roles":[]}"#).unwrap_err(),
            "missing field `name` at line 1 column 40"
        );
        assert_eq!(
            decode(r#"{"name":"a","name":"b"}"#).unwrap_err(),
            "duplicate field `name` at line 1 column 18"
        );
        assert_eq!(
            decode(r#"[1]"#).unwrap_err(),
            "invalid type: sequence, expected struct Sample at line 1 column 0"
        );
        assert!(
            decode(r#"{"name":1}"#)
                .unwrap_err()
                .starts_with("invalid type: integer `1`")
        );
    }

    #[test]
    fn encodes_what_it_decodes() {
        let json = r#"{"name":"a","count":2,"cleared":null,"at":"2024-01-02T03:04:05Z","roles":["R"],"x":7}"#;
        let sample = decode(json).expect("decodes");
        assert_eq!(serde_json::to_string(&sample).unwrap(), json);
    }

    #[test]
    fn keys_decode_from_a_json_value_too() {
        let value = serde_json::json!({"name":"v","at":"2024-01-02T03:04:05Z","roles":[],"y":1});
        let by_ref = Sample::deserialize(&value).expect("from &Value");
        let owned: Sample = serde_json::from_value(value).expect("from Value");
        assert_eq!(by_ref, owned);
        assert_eq!(owned.extra.get("y"), Some(&1));
    }
}
