//! The parameter types of scalar parameters (booleans, numbers, strings), written once: the
//! generator emits one `scalar_param!` call per parameter with its docs and, when the
//! specification states rules, the checks; everything else (the newtype, its accessors,
//! conversions and how it is written into a request) comes from here.

/// Defines a scalar parameter type. Forms:
///
/// - `Name(copy i32, Eq)` / `Name(copy f64)`: a `Copy` value (`Eq` where the type has it),
///   `new` wraps it;
/// - `Name(string)`: a string, `new` takes `impl Into<String>`;
/// - either followed by the wire name and its rules as data, `"nLogs" [int_minimum(0,
///   false), int_maximum(20000, false)]` (the `const` methods of [`Rules`](super::Rules)),
///   and for strings optionally `pattern "…"` (then the list may be left out): `new` checks them first and returns
///   `Result<Self, InvalidParameter>`, and `TryFrom` replaces `From`.
///
/// Outer attributes (the docs) go first and land on the type.
#[doc(hidden)]
#[macro_export]
macro_rules! __scalar_param {
    ($(#[$meta:meta])* $name:ident(copy $inner:ty $(, $eq:ident)?) $wire:literal [$($rule:ident($($arg:expr),*)),* $(,)?]) => {
        $crate::__scalar_param!(@type $(#[$meta])* $name(copy $inner $(, $eq)?));
        impl $name {
            /// Checks `value` against the parameter's rules.
            ///
            /// # Errors
            /// An `InvalidParameter` naming the rule the value breaks.
            pub fn new(value: $inner) -> ::std::result::Result<Self, $crate::InvalidParameter> {
                static RULES: $crate::runtime::Rules = $crate::runtime::Rules::NONE $(.$rule($($arg),*))*;
                $crate::runtime::Checked::check(&value, $wire, &RULES)?;
                ::std::result::Result::Ok(Self(value))
            }
        }
        $crate::__scalar_param!(@try_from $name($inner));
    };
    ($(#[$meta:meta])* $name:ident(copy $inner:ty $(, $eq:ident)?)) => {
        $crate::__scalar_param!(@type $(#[$meta])* $name(copy $inner $(, $eq)?));
        impl $name {
            /// Wraps `value`; the parameter has no rules to check.
            pub fn new(value: $inner) -> Self {
                Self(value)
            }
        }
        $crate::__scalar_param!(@from $name($inner));
    };
    ($(#[$meta:meta])* $name:ident(string) $wire:literal $([$($rule:ident($($arg:expr),*)),* $(,)?])? $(pattern $pattern:literal)?) => {
        $crate::__scalar_param!(@type $(#[$meta])* $name(string));
        impl $name {
            /// Checks `value` against the parameter's rules.
            ///
            /// # Errors
            /// An `InvalidParameter` naming the rule the value breaks.
            pub fn new(
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> ::std::result::Result<Self, $crate::InvalidParameter> {
                let value: ::std::string::String = ::std::convert::Into::into(value);
                static RULES: $crate::runtime::Rules = $crate::runtime::Rules::NONE $($(.$rule($($arg),*))*)?;
                $crate::runtime::Checked::check(&value, $wire, &RULES)?;
                $(
                    static PATTERN: $crate::runtime::Pattern = $crate::runtime::Pattern::new($pattern);
                    $crate::runtime::check::pattern($wire, &value, &PATTERN)?;
                )?
                ::std::result::Result::Ok(Self(value))
            }
        }
        $crate::__scalar_param!(@try_from $name(::std::string::String));
    };
    ($(#[$meta:meta])* $name:ident(string)) => {
        $crate::__scalar_param!(@type $(#[$meta])* $name(string));
        impl $name {
            /// Wraps `value`; the parameter has no rules to check.
            pub fn new(value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(::std::convert::Into::into(value))
            }
        }
        $crate::__scalar_param!(@from $name(::std::string::String));
    };

    (@type $(#[$meta:meta])* $name:ident(copy $inner:ty $(, $eq:ident)?)) => {
        $(#[$meta])*
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::std::marker::Copy
            $(, ::std::cmp::$eq)?
        )]
        pub struct $name($inner);
        impl $name {
            /// The value.
            pub fn get(&self) -> $inner {
                self.0
            }
            /// The value, taking ownership.
            pub fn into_inner(self) -> $inner {
                self.0
            }
        }
        $crate::__scalar_param!(@write $name);
    };
    (@type $(#[$meta:meta])* $name:ident(string)) => {
        $(#[$meta])*
        #[derive(
            ::std::fmt::Debug,
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq
        )]
        pub struct $name(::std::string::String);
        impl $name {
            /// The value.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The value, taking ownership.
            pub fn into_inner(self) -> ::std::string::String {
                self.0
            }
        }
        $crate::__scalar_param!(@write $name);
    };
    (@from $name:ident($inner:ty)) => {
        impl ::std::convert::From<$inner> for $name {
            fn from(value: $inner) -> Self {
                Self::new(value)
            }
        }
    };
    (@try_from $name:ident($inner:ty)) => {
        impl ::std::convert::TryFrom<$inner> for $name {
            type Error = $crate::InvalidParameter;
            fn try_from(value: $inner) -> ::std::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }
    };
    (@write $name:ident) => {
        impl $crate::runtime::ParamValue for $name {
            fn to_param_string(&self) -> ::std::string::String {
                $crate::runtime::ParamValue::to_param_string(&self.0)
            }
        }
    };
}

#[cfg(test)]
#[allow(
    dead_code,
    reason = "the macro defines every accessor; the test reads some"
)]
mod tests {
    use crate::runtime::ParamValue;

    crate::__scalar_param!(
        /// A flag.
        Flag(copy bool, Eq)
    );
    crate::__scalar_param!(
        /// A bounded count.
        Count(copy i32, Eq) "count" [int_minimum(1, false), int_maximum(9, true)]
    );
    crate::__scalar_param!(
        /// A ratio.
        Ratio(copy f64)
    );
    crate::__scalar_param!(
        /// A name.
        Name(string)
    );
    crate::__scalar_param!(
        /// A short name.
        Short(string) "short" [max_length(3)] pattern "^[a-z]+$"
    );
    crate::__scalar_param!(
        /// A lower-case name.
        Lower(string) "lower" pattern "^[a-z]+$"
    );

    #[test]
    fn the_types_behave_as_the_generated_ones_did() {
        assert!(Flag::new(true).get());
        assert!(!Flag::from(false).into_inner());
        assert_eq!(Count::new(2).unwrap().get(), 2);
        let refused = Count::new(0).unwrap_err();
        assert_eq!(refused.parameter, "count");
        assert!(Count::try_from(5).is_ok());
        assert!(Count::new(9).is_err(), "exclusive maximum");
        assert_eq!(Ratio::new(0.5).to_param_string(), "0.5");
        assert_eq!(Name::new("a b").as_str(), "a b");
        assert_eq!(Name::from("x".to_owned()).into_inner(), "x");
        assert!(Short::new("abcd").is_err(), "too long");
        assert_eq!(
            Short::new("A").unwrap_err().parameter,
            "short",
            "the pattern"
        );
        assert!(Lower::new("Ab").is_err() && Lower::new("ab").is_ok());
        assert_eq!(
            Short::try_from("ab".to_owned()).unwrap().to_param_string(),
            "ab"
        );
    }
}
