//! Decoding and encoding of generated structs as JSON objects.
//!
//! Generated models implement [`Object`] instead of deriving `Deserialize`: serde's derive
//! also emits sequence, byte-string and integer field-index paths that a JSON object never
//! takes, and type-checking those bodies for ~700 models was most of the generated crate's
//! compile time. Here each model declares one slot per field and hands them all to [`read`]
//! (its `visit` is straight-line code); the loop, errors and helpers are generic and
//! compiled once.
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

pub use self::encode::{Encoder, as_response};

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

/// One field's slot as [`read`] fills it: how its value is decoded (strictly or leniently,
/// through its own seed or not) and where it goes.
///
/// Generated decoders hand [`read`] one `&mut dyn Slot` per field instead of writing the
/// loop and a `match` arm per field themselves: a model's `visit` is then straight-line
/// code, which the compiler checks in time linear in its fields (the loop with one arm per
/// field was the largest part of the generated crate's compile time).
pub trait Slot<'de, A: MapAccess<'de>> {
    /// Decodes the value of field `name` (the key just read) into the slot.
    ///
    /// # Errors
    /// `duplicate field` when the slot is already filled, or the value's own error.
    fn read(&mut self, map: &mut A, name: &str) -> Result<(), A::Error>;
}

/// A required field's slot: a value that does not decode fails the object. The slots own
/// their value (`.0`, `None` until read): a field costs its `visit` one local and one
/// borrow.
pub struct Field<T>(pub Option<T>);

/// An optional field's slot: while a success body is read leniently (the private
/// `runtime::lenient` module), a value that does not decode as its type can be read as
/// absent instead of failing the body.
pub struct Optional<T>(pub Option<T>);

/// [`Field`] with a decoder of its own (`seed`), for values whose wire form differs from
/// their Rust type: RFC 3339 date-times, a single value where a list belongs.
pub struct FieldWith<T, S>(pub Option<T>, S);

/// [`Optional`] with a decoder of its own, as [`FieldWith`].
pub struct OptionalWith<T, S>(pub Option<T>, S);

impl<T> Field<T> {
    /// An empty slot.
    pub fn new() -> Self {
        Self(None)
    }
}

impl<T> Default for Field<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Optional<T> {
    /// An empty slot.
    pub fn new() -> Self {
        Self(None)
    }
}

impl<T> Default for Optional<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, S> FieldWith<T, S> {
    /// An empty slot decoded by `seed`.
    pub fn new(seed: S) -> Self {
        Self(None, seed)
    }
}

impl<T, S> OptionalWith<T, S> {
    /// An empty slot decoded by `seed`.
    pub fn new(seed: S) -> Self {
        Self(None, seed)
    }
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Slot<'de, A> for Field<T> {
    fn read(&mut self, map: &mut A, name: &str) -> Result<(), A::Error> {
        decode_into(map, &mut self.0, name, PhantomData::<T>, false)
    }
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Slot<'de, A> for Optional<T> {
    fn read(&mut self, map: &mut A, name: &str) -> Result<(), A::Error> {
        decode_into(map, &mut self.0, name, PhantomData::<T>, true)
    }
}

impl<'de, A, T, S> Slot<'de, A> for FieldWith<T, S>
where
    A: MapAccess<'de>,
    S: DeserializeSeed<'de, Value = T> + Clone,
{
    fn read(&mut self, map: &mut A, name: &str) -> Result<(), A::Error> {
        decode_into(map, &mut self.0, name, self.1.clone(), false)
    }
}

impl<'de, A, T, S> Slot<'de, A> for OptionalWith<T, S>
where
    A: MapAccess<'de>,
    S: DeserializeSeed<'de, Value = T> + Clone,
{
    fn read(&mut self, map: &mut A, name: &str) -> Result<(), A::Error> {
        decode_into(map, &mut self.0, name, self.1.clone(), true)
    }
}

/// Reads every entry of `map` into the slot of its key's field (`names` are the struct's
/// wire names, `slots` their slots in the same order); unknown keys are skipped (a lenient
/// reader: new server fields never break a response).
///
/// # Errors
/// The map's, a slot's, or a repeated field's.
pub fn read<'de, A: MapAccess<'de>>(
    map: &mut A,
    names: &[&str],
    slots: &mut [&mut dyn Slot<'de, A>],
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key<'de>>()? {
        match slot_of(names, slots, &key) {
            Some(slot) => slot.read(map, &key)?,
            None => skip(map)?,
        }
    }
    Ok(())
}

/// [`read`] for a struct with `additionalProperties`: an unknown key's value goes into
/// `extra`.
///
/// # Errors
/// As [`read`], and an additional value's own error.
pub fn read_additional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    names: &[&str],
    slots: &mut [&mut dyn Slot<'de, A>],
    extra: &mut std::collections::BTreeMap<String, T>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key<'de>>()? {
        match slot_of(names, slots, &key) {
            Some(slot) => slot.read(map, &key)?,
            None => additional(map, extra, key)?,
        }
    }
    Ok(())
}

/// The slot of `key`'s field, when the struct knows it.
fn slot_of<'s, 'de, A: MapAccess<'de>>(
    names: &[&str],
    slots: &'s mut [&mut dyn Slot<'de, A>],
    key: &str,
) -> Option<&'s mut dyn Slot<'de, A>> {
    let index = names.iter().position(|name| *name == key)?;
    match slots.get_mut(index) {
        Some(slot) => Some(*slot),
        None => None,
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

        // Not derived: a seed is copied whatever `T` is.
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T> Copy for $name<T> {}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Nullable;
    use serde::{Serialize, Serializer};

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
            let mut name = Field::<String>::new();
            let mut count = Field::<i64>::new();
            let mut note = Optional::<Option<String>>::new();
            let mut cleared = Optional::<Nullable<String>>::new();
            let mut at = FieldWith::new(Rfc3339);
            let mut roles = FieldWith::new(OneOrMany::<String>::new());
            let mut extra = std::collections::BTreeMap::new();
            read_additional(
                &mut map,
                &["name", "count", "note", "cleared", "at", "roles"],
                &mut [
                    &mut name,
                    &mut count,
                    &mut note,
                    &mut cleared,
                    &mut at,
                    &mut roles,
                ],
                &mut extra,
            )?;
            Ok(Self {
                name: required(&map, name.0, "name")?,
                count: count.0.unwrap_or_default(),
                note: note.0.unwrap_or_default(),
                cleared: cleared.0,
                at: required(&map, at.0, "at")?,
                roles: required(&map, roles.0, "roles")?,
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
    fn keys_decode_from_a_json_value_too() {
        let value = serde_json::json!({"name":"v","at":"2024-01-02T03:04:05Z","roles":[],"y":1});
        let by_ref = Sample::deserialize(&value).expect("from &Value");
        let owned: Sample = serde_json::from_value(value).expect("from Value");
        assert_eq!(by_ref, owned);
        assert_eq!(owned.extra.get("y"), Some(&1));
    }
}
