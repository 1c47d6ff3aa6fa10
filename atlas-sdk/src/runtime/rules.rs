//! The rules of a scalar parameter as data: a `static` of [`Rules`] in each generated
//! parameter type, checked by one generic function here instead of a generated call per
//! rule.

use super::check;
use crate::error::InvalidParameter;

/// Bounds and lengths the specification states for a parameter. Built in a `static` with the
/// `const` methods, e.g. `Rules::NONE.minimum(0, false).maximum(20000, false)`; a `pattern`
/// is kept beside it (see `scalar_param!`), since its compiled form is cached at run time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    int_minimum: Option<(i64, bool)>,
    int_maximum: Option<(i64, bool)>,
    min_length: Option<u64>,
    max_length: Option<u64>,
}

impl Rules {
    /// No rules.
    pub const NONE: Rules = Rules {
        minimum: None,
        maximum: None,
        int_minimum: None,
        int_maximum: None,
        min_length: None,
        max_length: None,
    };

    /// `minimum` (`exclusiveMinimum` when `exclusive`) of an integer parameter.
    pub const fn int_minimum(self, limit: i64, exclusive: bool) -> Rules {
        Rules {
            int_minimum: Some((limit, exclusive)),
            ..self
        }
    }

    /// `maximum` (`exclusiveMaximum` when `exclusive`) of an integer parameter.
    pub const fn int_maximum(self, limit: i64, exclusive: bool) -> Rules {
        Rules {
            int_maximum: Some((limit, exclusive)),
            ..self
        }
    }

    /// `minimum` (`exclusiveMinimum` when `exclusive`) of a number parameter.
    pub const fn minimum(self, limit: f64, exclusive: bool) -> Rules {
        Rules {
            minimum: Some((limit, exclusive)),
            ..self
        }
    }

    /// `maximum` (`exclusiveMaximum` when `exclusive`) of a number parameter.
    pub const fn maximum(self, limit: f64, exclusive: bool) -> Rules {
        Rules {
            maximum: Some((limit, exclusive)),
            ..self
        }
    }

    /// `minLength`, in characters.
    pub const fn min_length(self, length: u64) -> Rules {
        Rules {
            min_length: Some(length),
            ..self
        }
    }

    /// `maxLength`, in characters.
    pub const fn max_length(self, length: u64) -> Rules {
        Rules {
            max_length: Some(length),
            ..self
        }
    }
}

/// A value the rules can check: the scalar types of parameters.
pub trait Checked {
    /// Checks the value against `rules`, naming `parameter` in the error.
    ///
    /// # Errors
    /// The first rule the value breaks.
    fn check(&self, parameter: &'static str, rules: &Rules) -> Result<(), InvalidParameter>;
}

fn integer(value: i64, parameter: &'static str, rules: &Rules) -> Result<(), InvalidParameter> {
    if let Some((limit, exclusive)) = rules.int_minimum {
        check::int_minimum(parameter, value, limit, exclusive)?;
    }
    if let Some((limit, exclusive)) = rules.int_maximum {
        check::int_maximum(parameter, value, limit, exclusive)?;
    }
    Ok(())
}

impl Checked for i32 {
    fn check(&self, parameter: &'static str, rules: &Rules) -> Result<(), InvalidParameter> {
        integer(i64::from(*self), parameter, rules)
    }
}

impl Checked for i64 {
    fn check(&self, parameter: &'static str, rules: &Rules) -> Result<(), InvalidParameter> {
        integer(*self, parameter, rules)
    }
}

impl Checked for f64 {
    fn check(&self, parameter: &'static str, rules: &Rules) -> Result<(), InvalidParameter> {
        if let Some((limit, exclusive)) = rules.minimum {
            check::float_minimum(parameter, *self, limit, exclusive)?;
        }
        if let Some((limit, exclusive)) = rules.maximum {
            check::float_maximum(parameter, *self, limit, exclusive)?;
        }
        Ok(())
    }
}

impl Checked for String {
    fn check(&self, parameter: &'static str, rules: &Rules) -> Result<(), InvalidParameter> {
        if rules.min_length.is_some() || rules.max_length.is_some() {
            check::length(parameter, self, rules.min_length, rules.max_length)?;
        }
        Ok(())
    }
}
