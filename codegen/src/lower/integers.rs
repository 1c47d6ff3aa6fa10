//! The one choice of an integer's Rust type: the `format` names it (`uint64` → `u64`),
//! bounds never change it by themselves, and where a value the schema states (a bound, a
//! `default`, an `enum` value) does not fit, a type that holds them all is used instead, or
//! a note says which values will not decode.

use openapiv3::{IntegerFormat, IntegerType, VariantOrUnknownOrEmpty};
use serde_json::Value;

use crate::ir::{Diagnostic, Int, NoteKind};

/// What a schema says about an integer's values.
#[derive(Debug, Default)]
pub(crate) struct IntSchema<'a> {
    /// `format`, as written.
    pub format: Option<&'a str>,
    /// `minimum`, and whether it is exclusive.
    pub min: Option<(i128, bool)>,
    /// `maximum`, and whether it is exclusive.
    pub max: Option<(i128, bool)>,
    /// `default` and `enum` values.
    pub values: Vec<i128>,
}

impl<'a> IntSchema<'a> {
    /// The typed schema's format, bounds and enum, and `default`.
    pub(crate) fn of(integer: &'a IntegerType, default: Option<&Value>) -> IntSchema<'a> {
        IntSchema {
            format: format_name(&integer.format),
            min: integer
                .minimum
                .map(|m| (i128::from(m), integer.exclusive_minimum)),
            max: integer
                .maximum
                .map(|m| (i128::from(m), integer.exclusive_maximum)),
            values: integer
                .enumeration
                .iter()
                .flatten()
                .map(|v| i128::from(*v))
                .chain(default.and_then(whole))
                .collect(),
        }
    }
}

impl<'a> IntSchema<'a> {
    /// A schema `openapiv3` could not type exactly (`type: integer` with fractional bounds,
    /// `minimum: 1199145600.0`): its format, whole bounds and `default`.
    pub(crate) fn loose(any: &'a openapiv3::AnySchema, default: Option<&Value>) -> IntSchema<'a> {
        let bound = |m: Option<f64>, exclusive: Option<bool>| {
            m.filter(|m| m.fract() == 0.0 && m.abs() < 1e19)
                .map(|m| (m as i128, exclusive.unwrap_or(false)))
        };
        IntSchema {
            format: any.format.as_deref(),
            min: bound(any.minimum, any.exclusive_minimum),
            max: bound(any.maximum, any.exclusive_maximum),
            values: default.and_then(whole).into_iter().collect(),
        }
    }
}

/// The type a bare `format` names (a tuple member's, `integer:uint64`), with no bounds.
pub(crate) fn of_format(format: Option<&str>, at: &str, diagnostics: &mut Vec<Diagnostic>) -> Int {
    let schema = IntSchema {
        format,
        ..IntSchema::default()
    };
    int_type(&schema, at, diagnostics)
}

/// The format `openapiv3` read, as written.
pub(crate) fn format_name(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// A JSON number that is a whole number within 64 bits (signed or not).
pub(crate) fn whole(value: &Value) -> Option<i128> {
    value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
}

/// The Rust type of an integer schema at `at`; a note in `diagnostics` when a value the
/// schema states does not fit its format's type or no 64-bit type holds its format.
pub(crate) fn int_type(schema: &IntSchema<'_>, at: &str, diagnostics: &mut Vec<Diagnostic>) -> Int {
    let mut note = |message: String| {
        diagnostics.push(Diagnostic {
            kind: NoteKind::Schema,
            pointer: at.to_owned(),
            message,
        });
    };
    let format = schema.format.unwrap_or("int64");
    let base = match Int::from_format(format) {
        Some(int) => int,
        None => match wider_than_64_bits(format) {
            Some(int) => {
                note(format!(
                    "integer format `{format}` is wider than 64 bits; typed as `{}`, so larger values fail to decode",
                    int.rust()
                ));
                return int;
            }
            // Any other format (`long`, `timestamp`, …) says nothing about the width.
            None => Int::I64,
        },
    };
    let Some(outside) = first_outside(schema, base) else {
        return base;
    };
    match [Int::I64, Int::U64]
        .into_iter()
        .find(|int| first_outside(schema, *int).is_none())
    {
        Some(wider) => {
            note(format!(
                "integer format `{format}` cannot hold {outside}; typed as `{}`",
                wider.rust()
            ));
            wider
        }
        None => {
            note(format!(
                "integer format `{format}` cannot hold {outside}, nor can any 64-bit type; typed as `{}`, so such values fail to decode",
                base.rust()
            ));
            base
        }
    }
}

/// A format naming a width over 64 bits (`int128`, `uint128`): the 64-bit type of its
/// signedness, the widest the generated code has.
fn wider_than_64_bits(format: &str) -> Option<Int> {
    let (unsigned, bits) = match format.strip_prefix("uint") {
        Some(bits) => (true, bits),
        None => (false, format.strip_prefix("int")?),
    };
    let bits: u32 = bits.parse().ok()?;
    (bits > 64).then_some(if unsigned { Int::U64 } else { Int::I64 })
}

/// The first value the schema states that `int` does not hold, worded for a note.
fn first_outside(schema: &IntSchema<'_>, int: Int) -> Option<String> {
    // An exclusive bound admits the next whole number inward.
    let min = schema.min.map(|(m, exclusive)| m + i128::from(exclusive));
    let max = schema.max.map(|(m, exclusive)| m - i128::from(exclusive));
    if let Some(m) = min.filter(|m| !int.holds(*m)) {
        return Some(format!("the minimum `{m}`"));
    }
    if let Some(m) = max.filter(|m| !int.holds(*m)) {
        return Some(format!("the maximum `{m}`"));
    }
    schema
        .values
        .iter()
        .find(|v| !int.holds(**v))
        .map(|v| format!("the value `{v}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(schema: &IntSchema<'_>) -> (Int, Vec<String>) {
        let mut notes = Vec::new();
        let int = int_type(schema, "#/x", &mut notes);
        (int, notes.into_iter().map(|n| n.message).collect())
    }

    fn format(format: &str) -> IntSchema<'_> {
        IntSchema {
            format: Some(format),
            ..IntSchema::default()
        }
    }

    #[test]
    fn the_format_names_the_type_and_bounds_alone_do_not_change_it() {
        assert_eq!(typed(&format("uint64")), (Int::U64, vec![]));
        assert_eq!(typed(&format("uint8")), (Int::U8, vec![]));
        assert_eq!(typed(&IntSchema::default()), (Int::I64, vec![]));
        assert_eq!(typed(&format("timestamp")), (Int::I64, vec![]));
        let non_negative = IntSchema {
            min: Some((0, false)),
            ..format("int64")
        };
        assert_eq!(typed(&non_negative), (Int::I64, vec![]));
        // An exclusive bound one past the type's range still fits.
        let exclusive = IntSchema {
            max: Some((256, true)),
            ..format("uint8")
        };
        assert_eq!(typed(&exclusive), (Int::U8, vec![]));
    }

    #[test]
    fn a_value_beyond_the_format_widens_the_type_with_a_note() {
        let huge = IntSchema {
            max: Some((1_000_000_000_000, false)),
            ..format("int32")
        };
        assert_eq!(
            typed(&huge),
            (
                Int::I64,
                vec![
                    "integer format `int32` cannot hold the maximum `1000000000000`; typed as `i64`"
                        .to_owned()
                ]
            )
        );
        let default = IntSchema {
            values: vec![300],
            ..format("uint8")
        };
        assert_eq!(typed(&default).0, Int::I64);
        let max = IntSchema {
            values: vec![u64::MAX.into()],
            ..format("int64")
        };
        assert_eq!(typed(&max).0, Int::U64);
        let both = IntSchema {
            min: Some((-1, false)),
            values: vec![u64::MAX.into()],
            ..format("uint64")
        };
        let (int, notes) = typed(&both);
        assert_eq!(int, Int::U64);
        assert_eq!(
            notes,
            [
                "integer format `uint64` cannot hold the minimum `-1`, nor can any 64-bit type; typed as `u64`, so such values fail to decode"
            ]
        );
    }

    #[test]
    fn a_format_wider_than_64_bits_is_noted() {
        assert_eq!(
            typed(&format("uint128")),
            (
                Int::U64,
                vec![
                    "integer format `uint128` is wider than 64 bits; typed as `u64`, so larger values fail to decode"
                        .to_owned()
                ]
            )
        );
        assert_eq!(typed(&format("int128")).0, Int::I64);
        assert_eq!(typed(&format("int")).1, Vec::<String>::new());
    }
}
