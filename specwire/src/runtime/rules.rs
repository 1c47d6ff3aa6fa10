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

/// Every integer type a parameter can have (its `format`) but `u64`, which `i64` does not
/// hold.
macro_rules! checked_integer {
    ($($t:ty),*) => {$(
        impl Checked for $t {
            fn check(&self, parameter: &'static str, rules: &Rules) -> Result<(), InvalidParameter> {
                integer(i64::from(*self), parameter, rules)
            }
        }
    )*};
}
checked_integer!(i8, i16, i32, i64, u8, u16, u32);

impl Checked for u64 {
    fn check(&self, parameter: &'static str, rules: &Rules) -> Result<(), InvalidParameter> {
        match i64::try_from(*self) {
            Ok(value) => integer(value, parameter, rules),
            // Above every `i64` bound: it meets any minimum and breaks any maximum.
            Err(_) => match rules.int_maximum {
                Some((limit, exclusive)) => Err(InvalidParameter::new(
                    parameter,
                    crate::error::Rule::Maximum {
                        limit: crate::error::Number::Int(limit),
                        exclusive,
                    },
                    self,
                )),
                None => Ok(()),
            },
        }
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

#[cfg(test)]
mod tests {
    use super::{Checked, Rules};

    #[test]
    fn every_integer_width_is_checked_against_the_bounds() {
        static RULES: Rules = Rules::NONE.int_minimum(1, false).int_maximum(200, false);
        assert!(7_u8.check("n", &RULES).is_ok());
        assert!(0_u16.check("n", &RULES).is_err());
        assert!((-3_i8).check("n", &RULES).is_err());
        assert!(201_u32.check("n", &RULES).is_err());
        assert!(200_u64.check("n", &RULES).is_ok());
        let error = u64::MAX.check("n", &RULES).expect_err("above the maximum");
        assert!(
            error.to_string().contains("18446744073709551615"),
            "{error}"
        );
        static MIN_ONLY: Rules = Rules::NONE.int_minimum(1, false);
        assert!(u64::MAX.check("n", &MIN_ONLY).is_ok());
    }
}
