//! Integer types: the Rust type each integer `format` gets.

/// An integer's Rust type, from its `format` (`int32` → `i32`, `uint64` → `u64`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Int {
    /// `i8` (`int8`).
    I8,
    /// `i16` (`int16`).
    I16,
    /// `i32` (`int32`).
    I32,
    /// `i64` (`int64`, `int`, and no or any other format).
    I64,
    /// `u8` (`uint8`).
    U8,
    /// `u16` (`uint16`).
    U16,
    /// `u32` (`uint32`).
    U32,
    /// `u64` (`uint64`, `uint`).
    U64,
}

impl Int {
    /// The type a `format` names, for the formats that name a width of at most 64 bits
    /// (`None` for any other, which lowering types as [`Int::I64`]). `int` and `uint` are Go's
    /// and protobuf's spellings, 64 bits on the servers that write them.
    pub fn from_format(format: &str) -> Option<Int> {
        Some(match format {
            "int8" => Int::I8,
            "int16" => Int::I16,
            "int32" => Int::I32,
            "int64" | "int" => Int::I64,
            "uint8" => Int::U8,
            "uint16" => Int::U16,
            "uint32" => Int::U32,
            "uint64" | "uint" => Int::U64,
            _ => return None,
        })
    }

    /// The Rust type's name (`u64`).
    pub fn rust(self) -> &'static str {
        match self {
            Int::I8 => "i8",
            Int::I16 => "i16",
            Int::I32 => "i32",
            Int::I64 => "i64",
            Int::U8 => "u8",
            Int::U16 => "u16",
            Int::U32 => "u32",
            Int::U64 => "u64",
        }
    }

    /// The format's name, as reports, notes and docs print it (`uint64`).
    pub fn format(self) -> &'static str {
        match self {
            Int::I8 => "int8",
            Int::I16 => "int16",
            Int::I32 => "int32",
            Int::I64 => "int64",
            Int::U8 => "uint8",
            Int::U16 => "uint16",
            Int::U32 => "uint32",
            Int::U64 => "uint64",
        }
    }

    /// The smallest and largest value the type holds.
    pub fn range(self) -> (i128, i128) {
        match self {
            Int::I8 => (i8::MIN.into(), i8::MAX.into()),
            Int::I16 => (i16::MIN.into(), i16::MAX.into()),
            Int::I32 => (i32::MIN.into(), i32::MAX.into()),
            Int::I64 => (i64::MIN.into(), i64::MAX.into()),
            Int::U8 => (0, u8::MAX.into()),
            Int::U16 => (0, u16::MAX.into()),
            Int::U32 => (0, u32::MAX.into()),
            Int::U64 => (0, u64::MAX.into()),
        }
    }

    /// Whether the type holds `value`.
    pub fn holds(self, value: i128) -> bool {
        let (min, max) = self.range();
        (min..=max).contains(&value)
    }

    /// The width in words, as docs say it (`32-bit unsigned integer.`).
    pub fn describe(self) -> &'static str {
        match self {
            Int::I8 => "8-bit integer.",
            Int::I16 => "16-bit integer.",
            Int::I32 => "32-bit integer.",
            Int::I64 => "64-bit integer.",
            Int::U8 => "8-bit unsigned integer.",
            Int::U16 => "16-bit unsigned integer.",
            Int::U32 => "32-bit unsigned integer.",
            Int::U64 => "64-bit unsigned integer.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Int;

    #[test]
    fn formats_name_their_rust_types_and_ranges() {
        assert_eq!(Int::from_format("uint64"), Some(Int::U64));
        assert_eq!(Int::from_format("uint"), Some(Int::U64));
        assert_eq!(Int::from_format("int"), Some(Int::I64));
        assert_eq!(Int::from_format("int8"), Some(Int::I8));
        assert_eq!(Int::from_format("uint128"), None);
        assert_eq!(Int::U64.rust(), "u64");
        assert!(Int::U64.holds(18_446_744_073_709_551_615));
        assert!(!Int::I64.holds(18_446_744_073_709_551_615));
        assert!(!Int::U8.holds(300));
        assert!(!Int::U32.holds(-1));
        assert!(Int::I8.holds(-128));
    }
}
