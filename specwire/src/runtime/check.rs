//! The rules of the specification, checked before a request is sent.
//!
//! Generated parameter types call these from their constructors.

use std::sync::OnceLock;

use crate::error::{InvalidParameter, Number, Rule};

/// Checks `minimum` / `exclusiveMinimum` for an integer value.
pub fn int_minimum(
    parameter: &'static str,
    value: i64,
    limit: i64,
    exclusive: bool,
) -> Result<(), InvalidParameter> {
    if value < limit || (exclusive && value == limit) {
        return Err(InvalidParameter::new(
            parameter,
            Rule::Minimum {
                limit: Number::Int(limit),
                exclusive,
            },
            value,
        ));
    }
    Ok(())
}

/// Checks `maximum` / `exclusiveMaximum` for an integer value.
pub fn int_maximum(
    parameter: &'static str,
    value: i64,
    limit: i64,
    exclusive: bool,
) -> Result<(), InvalidParameter> {
    if value > limit || (exclusive && value == limit) {
        return Err(InvalidParameter::new(
            parameter,
            Rule::Maximum {
                limit: Number::Int(limit),
                exclusive,
            },
            value,
        ));
    }
    Ok(())
}

/// Checks `minimum` / `exclusiveMinimum` for a fractional value (NaN never passes).
pub fn float_minimum(
    parameter: &'static str,
    value: f64,
    limit: f64,
    exclusive: bool,
) -> Result<(), InvalidParameter> {
    let ok = if exclusive {
        value > limit
    } else {
        value >= limit
    };
    if !ok {
        return Err(InvalidParameter::new(
            parameter,
            Rule::Minimum {
                limit: Number::Float(limit),
                exclusive,
            },
            value,
        ));
    }
    Ok(())
}

/// Checks `maximum` / `exclusiveMaximum` for a fractional value (NaN never passes).
pub fn float_maximum(
    parameter: &'static str,
    value: f64,
    limit: f64,
    exclusive: bool,
) -> Result<(), InvalidParameter> {
    let ok = if exclusive {
        value < limit
    } else {
        value <= limit
    };
    if !ok {
        return Err(InvalidParameter::new(
            parameter,
            Rule::Maximum {
                limit: Number::Float(limit),
                exclusive,
            },
            value,
        ));
    }
    Ok(())
}

/// Checks `minLength` and `maxLength`, counted in characters as JSON Schema counts them.
pub fn length(
    parameter: &'static str,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), InvalidParameter> {
    let chars = value.chars().count() as u64;
    if let Some(min) = min
        && chars < min
    {
        return Err(InvalidParameter::new(
            parameter,
            Rule::MinLength(min),
            value,
        ));
    }
    if let Some(max) = max
        && chars > max
    {
        return Err(InvalidParameter::new(
            parameter,
            Rule::MaxLength(max),
            value,
        ));
    }
    Ok(())
}

/// Checks `pattern`: like JSON Schema, the value must contain a match (patterns anchor
/// themselves with `^…$` when they mean the whole value).
pub fn pattern(
    parameter: &'static str,
    value: &str,
    pattern: &'static Pattern,
) -> Result<(), InvalidParameter> {
    match pattern.regex() {
        Some(regex) if regex.find(value).is_some() => Ok(()),
        // The generator only emits patterns that compile, so `None` cannot happen for generated
        // code; refusing is still safer than letting an unchecked value through.
        _ => Err(InvalidParameter::new(
            parameter,
            Rule::Pattern(pattern.source()),
            value,
        )),
    }
}

/// Checks that a date-time can be written as RFC 3339 (years 0000–9999, offsets in minutes).
pub fn date_time(
    parameter: &'static str,
    value: &time::OffsetDateTime,
) -> Result<(), InvalidParameter> {
    value
        .format(&time::format_description::well_known::Rfc3339)
        .map(|_| ())
        .map_err(|_| InvalidParameter::new(parameter, Rule::DateTime, value))
}

/// A `pattern` from the specification, compiled with JavaScript semantics on first use.
///
/// Documents write their patterns for JavaScript (look-behind, `\:` escapes), so they are compiled
/// with `regress`, which implements ECMAScript regular expressions.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regress::Regex>>,
}

impl Pattern {
    /// A pattern that compiles when first used.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the specification wrote it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The compiled pattern, or `None` if it does not compile.
    pub fn regex(&self) -> Option<&regress::Regex> {
        self.compiled
            .get_or_init(|| regress::Regex::new(self.source).ok())
            .as_ref()
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}
