//! How parameter values become text.

use super::style::ParamParts;

/// A value that can be written as a path, query, header or cookie value.
pub trait ParamValue {
    /// The value as text, before percent-encoding.
    fn to_param_string(&self) -> String;

    /// The value taken apart for styling: one text, a list's items, or an object's pairs.
    fn parts(&self) -> ParamParts {
        ParamParts::Single(self.to_param_string())
    }
}

impl ParamValue for bool {
    fn to_param_string(&self) -> String {
        if *self { "true" } else { "false" }.to_owned()
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param_string(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_param!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, str, String);

impl ParamValue for time::OffsetDateTime {
    fn to_param_string(&self) -> String {
        // Generated parameter types check `check::date_time` on construction, so formatting
        // succeeds; the fallback keeps this infallible for values built elsewhere.
        self.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| self.to_string())
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param_string(&self) -> String {
        (**self).to_param_string()
    }

    fn parts(&self) -> ParamParts {
        (**self).parts()
    }
}
