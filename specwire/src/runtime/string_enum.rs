//! The traits of generated string enums, written once.

/// Implements `Debug`, `Display`, equality, hashing and serde for a generated string enum from its
/// `as_str` (the value on the wire).
///
/// Comparing by the wire value, rather than deriving, keeps a known value and an `Unknown`
/// holding the same text equal, and spares the generated crate hundreds of derived
/// match-heavy bodies. There is no `Ord`: its two impls per enum cost the full API about a
/// second of compile time; sort by `as_str()` instead.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    ($name:ident) => {
        /// The wire text, quoted (`"AVAILABLE"`); a value the SDK does not know shows as
        /// `Unknown("…")`. Written here rather than derived: a derived `Debug` is one arm
        /// per variant, and some of these enums have hundreds.
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::Unknown(value) => f.debug_tuple("Unknown").field(value).finish(),
                    known => ::std::fmt::Debug::fmt(known.as_str(), f),
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }
        impl ::std::cmp::Eq for $name {}
        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self.as_str(), state)
            }
        }
        impl $crate::runtime::serde::Serialize for $name {
            fn serialize<S: $crate::runtime::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::runtime::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_string_enum(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    /// What the generator emits for a string enum.
    #[derive(Clone)]
    enum Tier {
        Small,
        Large,
        Unknown(String),
    }

    impl Tier {
        fn as_str(&self) -> &str {
            match self {
                Self::Small => "SMALL",
                Self::Large => "LARGE",
                Self::Unknown(value) => value.as_str(),
            }
        }
    }

    impl From<&str> for Tier {
        fn from(value: &str) -> Self {
            match value {
                "SMALL" => Self::Small,
                "LARGE" => Self::Large,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    crate::runtime::string_enum!(Tier);

    #[test]
    fn compares_hashes_and_encodes_by_the_wire_value() {
        assert_eq!(Tier::Small, Tier::Unknown("SMALL".to_owned()));
        assert_ne!(Tier::Small, Tier::Large);
        assert_eq!(Tier::Unknown("MEDIUM".to_owned()).to_string(), "MEDIUM");
        let set: std::collections::HashSet<Tier> =
            [Tier::Large, Tier::Unknown("LARGE".to_owned())].into();
        assert_eq!(set.len(), 1);
        assert_eq!(serde_json::to_string(&Tier::Large).unwrap(), r#""LARGE""#);
        let decoded: Vec<Tier> = serde_json::from_str(r#"["SMALL","XL"]"#).unwrap();
        assert!(matches!(decoded[0], Tier::Small));
        assert!(matches!(&decoded[1], Tier::Unknown(v) if v == "XL"));
    }

    #[test]
    fn debug_shows_the_wire_text_and_marks_unknown_values() {
        assert_eq!(format!("{:?}", Tier::Small), r#""SMALL""#);
        assert_eq!(
            format!("{:?}", Tier::Unknown("XL".to_owned())),
            r#"Unknown("XL")"#
        );
        assert_eq!(
            format!("{:?}", Some(Tier::Large)),
            r#"Some("LARGE")"#,
            "inside another value's Debug"
        );
    }
}
