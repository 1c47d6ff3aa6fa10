//! Decoding and encoding of generated structs as JSON objects.
//!
//! Generated models implement [`Object`] instead of deriving `Deserialize`: serde's derive
//! also emits sequence, byte-string and integer field-index paths that a JSON object never
//! takes, and type-checking those bodies for ~700 models was most of the generated crate's
//! compile time. Here each model writes one `match` on the key and one line per field; the
//! loop, errors and helpers are generic and compiled once.
//!
//! Behaviour matches the derive: unknown keys are skipped, a repeated key is an error
//! (`duplicate field`), a missing required key is an error (`missing field`), and error
//! messages name the struct the same way (`expected struct Name`). Only a success body the
//! runtime reads again leniently (the private `runtime::lenient` module) differs, through the field arms.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// A struct decoded from a JSON object by [`deserialize`]; implemented by generated models.
pub trait Object: Sized {
    /// The struct's name, for error messages.
    const NAME: &'static str;

    /// Reads every entry of `map` and builds the struct.
    ///
    /// # Errors
    /// Whatever the map or a field's decoder reports, and missing or repeated fields.
    fn visit<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
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

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit(map)
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

/// The position of `key` in `fields` (a struct's wire names in declaration order), or
/// `fields.len()` when the struct does not know it.
pub fn field_index(fields: &[&str], key: &str) -> usize {
    fields
        .iter()
        .position(|field| *field == key)
        .unwrap_or(fields.len())
}

/// Decodes the value of field `name` into its empty `slot`.
///
/// `name` is the key just read (a `Key` coerces to it), so generated arms do not repeat the
/// wire name.
///
/// # Errors
/// `duplicate field` when the slot is already filled, or the value's own error.
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &str,
) -> Result<(), A::Error> {
    field_with(map, slot, name, PhantomData::<T>)
}

/// [`field`] with a decoder of its own (`seed`), for values whose wire form differs from
/// their Rust type: RFC 3339 date-times, a single value where a list belongs.
///
/// # Errors
/// As [`field`].
pub fn field_with<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    slot: &mut Option<S::Value>,
    name: &str,
    seed: S,
) -> Result<(), A::Error> {
    decode_into(map, slot, name, seed, false)
}

/// [`field`] for an optional field: the same, except that while a success body is read
/// leniently (the private `runtime::lenient` module) a value that does not decode as its type can be read as
/// absent instead of failing the body.
///
/// # Errors
/// As [`field`].
pub fn optional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &str,
) -> Result<(), A::Error> {
    decode_into(map, slot, name, PhantomData::<T>, true)
}

/// [`optional`] with a decoder of its own, as [`field_with`].
///
/// # Errors
/// As [`field`].
pub fn optional_with<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    slot: &mut Option<S::Value>,
    name: &str,
    seed: S,
) -> Result<(), A::Error> {
    decode_into(map, slot, name, seed, true)
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
///
/// A function rather than `Option::flatten`, so generated slots need no written type: the
/// struct field it initialises gives it.
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

/// The value of a required field (`map` only names the error type).
///
/// # Errors
/// `missing field` when the object left it out.
pub fn required<'de, A: MapAccess<'de>, T>(
    _map: &A,
    slot: Option<T>,
    name: &'static str,
) -> Result<T, A::Error> {
    slot.ok_or_else(|| A::Error::missing_field(name))
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
/// `$value` through `$decode`.
macro_rules! one_or_many_seed {
    ($(#[$doc:meta])* $name:ident => $value:ty, $decode:expr) => {
        $(#[$doc])*
        pub struct $name<T>(PhantomData<fn() -> T>);

        impl<T> $name<T> {
            /// The decoder.
            pub fn new() -> Self {
                Self(PhantomData)
            }
        }

        impl<T> Default for $name<T> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for $name<T> {
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

thread_local! {
    /// Whether [`as_response`] is encoding on this thread: read-only fields are written.
    static RESPONSE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `encode` with every model encoded as a server sends it: read-only fields (`id`,
/// `stateName`, `created`, …) included, which a request leaves out. Typed mocks answer
/// through it (`Endpoint::encode`).
///
/// A flag of the thread rather than a second `Serialize` per model: serde's `serialize`
/// carries no context, and a second impl would double the encoders of ~800 generated models
/// for what only mocks need. Serializing is synchronous, so the flag covers exactly the
/// nested models `encode` writes; the previous value comes back when it returns or unwinds.
pub fn as_response<R>(encode: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            RESPONSE.with(|flag| flag.set(self.0));
        }
    }
    let _restore = Restore(RESPONSE.with(|flag| flag.replace(true)));
    encode()
}

fn encoding_response() -> bool {
    RESPONSE.with(std::cell::Cell::get)
}

/// Encodes a generated struct as a JSON object, field by field (what its `Serialize` calls;
/// written out for the same compile-time reason as decoding).
///
/// The writing methods return nothing: the first error is kept, later entries are not
/// written, and [`end`](Self::end) returns it. A generated `serialize` is then one plain call
/// per field, without a `?` (each a desugared branch to type-check) on every line.
pub struct Encoder<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Encoder<M> {
    /// Starts the object.
    ///
    /// # Errors
    /// The serializer's.
    pub fn new<S: Serializer<SerializeMap = M, Error = M::Error>>(
        serializer: S,
    ) -> Result<Self, M::Error> {
        let map = serializer.serialize_map(None)?;
        Ok(Self { map, error: None })
    }

    /// Writes `key: value` unless an earlier entry failed; keeps the first error.
    fn write<K: Serialize + ?Sized, T: Serialize + ?Sized>(&mut self, key: &K, value: &T) {
        if self.error.is_none()
            && let Err(error) = self.map.serialize_entry(key, value)
        {
            self.error = Some(error);
        }
    }

    /// Writes `key: value`.
    pub fn entry<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.write(key, value);
    }

    /// Writes `key: value` unless the value is `None` (an optional field left out).
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.write(key, value);
        }
    }

    /// Writes a date-time as RFC 3339 text (a date-time RFC 3339 cannot express is an
    /// error).
    pub fn date_time(&mut self, key: &'static str, value: &time::OffsetDateTime) {
        self.write(key, &AsRfc3339(value));
    }

    /// [`date_time`](Self::date_time), left out when `None`.
    pub fn optional_date_time(&mut self, key: &'static str, value: &Option<time::OffsetDateTime>) {
        if let Some(value) = value {
            self.date_time(key, value);
        }
    }

    /// [`date_time`](Self::date_time), `null` when `None` (a required nullable field).
    pub fn nullable_date_time(&mut self, key: &'static str, value: &Option<time::OffsetDateTime>) {
        self.write(key, &value.as_ref().map(AsRfc3339));
    }

    /// An optional read-only field: written only by [`as_response`] (a server sets it, a
    /// request never carries it), and only when set.
    pub fn read_only<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if encoding_response() {
            self.optional(key, value);
        }
    }

    /// [`read_only`](Self::read_only) for a date-time, as RFC 3339 text.
    pub fn read_only_date_time(&mut self, key: &'static str, value: &Option<time::OffsetDateTime>) {
        if encoding_response() {
            self.optional_date_time(key, value);
        }
    }

    /// Writes every entry of an `additionalProperties` map.
    pub fn additional<T: Serialize>(&mut self, entries: &std::collections::BTreeMap<String, T>) {
        for (key, value) in entries {
            self.write(key, value);
        }
    }

    /// Ends the object.
    ///
    /// # Errors
    /// The first entry's error, or the serializer's.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

struct AsRfc3339<'a>(&'a time::OffsetDateTime);

impl Serialize for AsRfc3339<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::serialize(self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Nullable;

    /// What the generator emits for a struct with every kind of field.
    #[derive(Debug, PartialEq)]
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

        fn visit<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut name: Option<String> = None;
            let mut count: Option<i64> = None;
            let mut note: Option<Option<String>> = None;
            let mut cleared: Option<Nullable<String>> = None;
            let mut at: Option<time::OffsetDateTime> = None;
            let mut roles: Option<Vec<String>> = None;
            let mut extra = std::collections::BTreeMap::new();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.as_str() {
                    "name" => field(&mut map, &mut name, "name")?,
                    "count" => field(&mut map, &mut count, "count")?,
                    "note" => field(&mut map, &mut note, "note")?,
                    "cleared" => field(&mut map, &mut cleared, "cleared")?,
                    "at" => field_with(&mut map, &mut at, "at", Rfc3339)?,
                    "roles" => field_with(&mut map, &mut roles, "roles", OneOrMany::new())?,
                    _ => additional(&mut map, &mut extra, key)?,
                }
            }
            Ok(Self {
                name: required(&map, name, "name")?,
                count: count.unwrap_or_default(),
                note: note.unwrap_or_default(),
                cleared,
                at: required(&map, at, "at")?,
                roles: required(&map, roles, "roles")?,
                extra,
            })
        }
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = Encoder::new(serializer)?;
            map.entry("name", &self.name);
            map.entry("count", &self.count);
            map.optional("note", &self.note);
            map.optional("cleared", &self.cleared);
            map.date_time("at", &self.at);
            map.entry("roles", &self.roles);
            map.additional(&self.extra);
            map.end()
        }
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
    fn encodes_date_times_as_rfc3339_and_null() {
        let at = time::OffsetDateTime::from_unix_timestamp(1_704_164_645).unwrap();
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = Encoder::new(&mut serializer).unwrap();
        map.nullable_date_time("a", &None);
        map.optional_date_time("b", &None);
        map.optional_date_time("c", &Some(at));
        map.nullable_date_time("d", &Some(at));
        map.end().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":null,"c":"2024-01-02T03:04:05Z","d":"2024-01-02T03:04:05Z"}"#
        );
    }

    #[test]
    fn the_first_failed_entry_is_the_error_and_nothing_after_it_is_written() {
        struct Refused(&'static str);
        impl Serialize for Refused {
            fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom(self.0))
            }
        }
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = Encoder::new(&mut serializer).unwrap();
        map.entry("a", &1);
        map.entry("b", &Refused("first"));
        map.entry("c", &Refused("second"));
        map.entry("d", &4);
        let error = map.end().unwrap_err();
        assert_eq!(error.to_string(), "first");
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":1,"b":"#);
    }

    #[test]
    fn read_only_fields_are_written_only_as_a_response() {
        struct Cluster {
            name: String,
            state: Option<String>,
            created: Option<time::OffsetDateTime>,
        }
        impl Serialize for Cluster {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = Encoder::new(serializer)?;
                map.entry("name", &self.name);
                map.read_only("stateName", &self.state);
                map.read_only_date_time("created", &self.created);
                map.end()
            }
        }
        let cluster = Cluster {
            name: "c".to_owned(),
            state: Some("IDLE".to_owned()),
            created: Some(time::OffsetDateTime::from_unix_timestamp(1_704_164_645).unwrap()),
        };
        let request = serde_json::to_string(&cluster).unwrap();
        let response = as_response(|| serde_json::to_string(&[&cluster]).unwrap());
        assert_eq!(request, r#"{"name":"c"}"#);
        assert_eq!(
            response,
            r#"[{"name":"c","stateName":"IDLE","created":"2024-01-02T03:04:05Z"}]"#
        );
        // Unset, they are left out as a server leaves them out; the flag ends with the call.
        let unset = Cluster {
            state: None,
            created: None,
            ..cluster
        };
        assert_eq!(
            as_response(|| serde_json::to_string(&unset).unwrap()),
            r#"{"name":"c"}"#
        );
        assert!(!encoding_response());
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
