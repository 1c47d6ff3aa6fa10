//! The slots a model's fields are decoded into, and the tuples that hold them.
//!
//! A model names its slots as a type ([`Object::Slots`](super::Object::Slots), a tuple with
//! one slot per field) and builds itself from them in a plain function. The loop that reads
//! the object is the runtime's one visitor (`object.rs`), and the way from a key's index to
//! its slot is the tuple impls below: generic code the compiler checks once, where a decoder
//! written per model (generic over the deserializer) was the largest part of the generated
//! crate's compile time and memory.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, MapAccess};

use super::{Key, additional, decode_into, skip};

/// A required field's slot: a value that does not decode fails the object (`.0`, `None`
/// until read).
pub struct Field<T>(pub Option<T>);

/// An optional field's slot: while a success body is read leniently (the private
/// `runtime::lenient` module), a value that does not decode as its type can be read as
/// absent instead of failing the body.
pub struct Optional<T>(pub Option<T>);

/// [`Field`] with a decoder of its own (`S`), for values whose wire form differs from their
/// Rust type: RFC 3339 date-times, a single value where a list belongs.
pub struct FieldWith<T, S>(pub Option<T>, S);

/// [`Optional`] with a decoder of its own, as [`FieldWith`].
pub struct OptionalWith<T, S>(pub Option<T>, S);

/// The slots of a struct's fields, in the order of its [`Object::FIELDS`](super::Object::FIELDS):
/// a field's slot, or a tuple of up to 16 slots (tuples nest, for structs with more fields).
pub trait Slots<'de>: Sized {
    /// How many fields the slots hold.
    const LEN: usize;

    /// Every slot empty.
    fn empty() -> Self;

    /// Decodes the value of field `name`, the field at `index`, into its slot; `None` when
    /// there is no field at `index`.
    fn read_at<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        name: &str,
    ) -> Option<Result<(), A::Error>>;

    /// Takes the value of a key the struct does not know: skipped (a lenient reader: new
    /// server fields never break a response), or kept by [`WithAdditional`].
    ///
    /// # Errors
    /// The map's error when the value is malformed.
    fn unknown<A: MapAccess<'de>>(&mut self, map: &mut A, key: Key<'de>) -> Result<(), A::Error> {
        let _ = key;
        skip(map)
    }
}

/// One slot kind: its empty value and how it reads the value (`optional`: may a lenient pass
/// read a malformed value as absent).
macro_rules! slot {
    ($name:ident, optional: $optional:expr) => {
        impl<'de, T: Deserialize<'de>> Slots<'de> for $name<T> {
            const LEN: usize = 1;

            fn empty() -> Self {
                Self(None)
            }

            fn read_at<A: MapAccess<'de>>(
                &mut self,
                index: usize,
                map: &mut A,
                name: &str,
            ) -> Option<Result<(), A::Error>> {
                (index == 0)
                    .then(|| decode_into(map, &mut self.0, name, PhantomData::<T>, $optional))
            }
        }
    };
    ($name:ident, seed, optional: $optional:expr) => {
        impl<'de, T, S> Slots<'de> for $name<T, S>
        where
            S: DeserializeSeed<'de, Value = T> + Clone + Default,
        {
            const LEN: usize = 1;

            fn empty() -> Self {
                Self(None, S::default())
            }

            fn read_at<A: MapAccess<'de>>(
                &mut self,
                index: usize,
                map: &mut A,
                name: &str,
            ) -> Option<Result<(), A::Error>> {
                (index == 0).then(|| decode_into(map, &mut self.0, name, self.1.clone(), $optional))
            }
        }
    };
}

slot!(Field, optional: false);
slot!(Optional, optional: true);
slot!(FieldWith, seed, optional: false);
slot!(OptionalWith, seed, optional: true);

/// A struct without fields.
impl<'de> Slots<'de> for () {
    const LEN: usize = 0;

    fn empty() -> Self {}

    fn read_at<A: MapAccess<'de>>(
        &mut self,
        _: usize,
        _: &mut A,
        _: &str,
    ) -> Option<Result<(), A::Error>> {
        None
    }
}

/// A tuple of slots: field `index` is in the element whose fields cover it.
macro_rules! tuple {
    ($($slot:ident $at:tt)+) => {
        impl<'de, $($slot: Slots<'de>),+> Slots<'de> for ($($slot,)+) {
            const LEN: usize = 0 $(+ $slot::LEN)+;

            fn empty() -> Self {
                ($($slot::empty(),)+)
            }

            fn read_at<A: MapAccess<'de>>(
                &mut self,
                index: usize,
                map: &mut A,
                name: &str,
            ) -> Option<Result<(), A::Error>> {
                let mut index = index;
                $(
                    if index < $slot::LEN {
                        return self.$at.read_at(index, map, name);
                    }
                    index -= $slot::LEN;
                )+
                let _ = index;
                None
            }
        }
    };
}

/// [`tuple`] for every length up to the list's.
macro_rules! tuples {
    (@ [$($done:tt)*]) => {};
    (@ [$($done:tt)*] $slot:ident $at:tt $($rest:tt)*) => {
        tuple!($($done)* $slot $at);
        tuples!(@ [$($done)* $slot $at] $($rest)*);
    };
}

tuples!(@ [] S0 0 S1 1 S2 2 S3 3 S4 4 S5 5 S6 6 S7 7 S8 8 S9 9 S10 10 S11 11 S12 12 S13 13 S14 14 S15 15);

/// Slots of a struct with `additionalProperties`: its fields' slots (`.0`) and the map that
/// keeps every other key's value (`.1`).
pub struct WithAdditional<S, V>(pub S, pub BTreeMap<String, V>);

impl<'de, S: Slots<'de>, V: Deserialize<'de>> Slots<'de> for WithAdditional<S, V> {
    const LEN: usize = S::LEN;

    fn empty() -> Self {
        Self(S::empty(), BTreeMap::new())
    }

    fn read_at<A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        name: &str,
    ) -> Option<Result<(), A::Error>> {
        self.0.read_at(index, map, name)
    }

    fn unknown<A: MapAccess<'de>>(&mut self, map: &mut A, key: Key<'de>) -> Result<(), A::Error> {
        additional(map, &mut self.1, key)
    }
}

/// A required field the object left out, reported by [`Object::build`](super::Object::build)
/// as serde's `missing field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing(pub &'static str);

/// The value of a required field.
///
/// # Errors
/// [`Missing`] when the object left it out.
pub fn required<T>(slot: Option<T>, name: &'static str) -> Result<T, Missing> {
    slot.ok_or(Missing(name))
}
