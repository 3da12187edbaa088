//! Rust data to [`Value`] ([`to_value`]: the one encoding, [`super::sink::serialize_into`],
//! into a [`ValueSink`]), the numbers rule, the tokens, and `Value`'s own
//! `Serialize`.

use super::sink::ValueSink;
use super::Value;
use serde::ser::{self, Serialize};
use std::fmt;

/// Marks the newtype that carries a `Date` through serde (see [`crate::Date`]).
pub(crate) const DATE_TOKEN: &str = "$wx::Date";
/// Marks the newtype that carries a function id through serde.
pub(crate) const FUNCTION_TOKEN: &str = "$wx::Function";

/// Converts any `Serialize` value into a [`Value`].
///
/// Integers become numbers (JS has no others), byte buffers become `ArrayBuffer`s,
/// `None` and unit become `null`, maps with non-string keys get their keys as strings.
///
/// ```
/// # use wx_core::{to_value, Value};
/// assert_eq!(to_value(&("a", 1)).unwrap(), Value::Array(vec!["a".into(), 1.into()]));
/// ```
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, SerializeError> {
    let mut sink = ValueSink::default();
    super::sink::serialize_into(value, &mut sink)?;
    Ok(sink.finish())
}

/// Why a value could not become a [`Value`] (only custom `Serialize` impls fail).
#[derive(Debug, Clone, PartialEq)]
pub struct SerializeError(String);

impl SerializeError {
    /// An error that says `msg`.
    pub fn new(msg: impl Into<String>) -> Self {
        SerializeError(msg.into())
    }
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for SerializeError {}
impl ser::Error for SerializeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerializeError(msg.to_string())
    }
}

impl Serialize for Value {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq};
        match self {
            // `undefined` travels as serde's unit, `null` as its none: JSON writes
            // both as null, and `to_value` brings each back as it was.
            Value::Undefined => s.serialize_unit(),
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            // As JSON.stringify writes them: integral numbers without a fraction.
            Value::Number(n)
                if n.fract() == 0.0
                    && n.abs() < 9_007_199_254_740_992.0
                    && !(*n == 0.0 && n.is_sign_negative()) =>
            {
                s.serialize_i64(*n as i64)
            }
            Value::Number(n) => s.serialize_f64(*n),
            Value::String(v) => s.serialize_str(v),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = s.serialize_map(Some(map.len()))?;
                for (k, v) in map.iter() {
                    out.serialize_entry(k, v)?;
                }
                out.end()
            }
            Value::ArrayBuffer(bytes) => s.serialize_bytes(bytes),
            Value::Date(ms) => s.serialize_newtype_struct(DATE_TOKEN, ms),
            Value::Function(id) => s.serialize_newtype_struct(FUNCTION_TOKEN, &id.0),
        }
    }
}

/// A Rust number as the JS number it becomes (JS has no other kind): the one
/// rule, for a number written anywhere and for a map key's text.
pub(crate) trait JsNumber: Copy {
    fn js_number(self) -> f64;
}

macro_rules! js_number_exactly {
    ($($t:ty)*) => {$(
        impl JsNumber for $t {
            fn js_number(self) -> f64 {
                self.into()
            }
        }
    )*};
}
js_number_exactly!(i8 i16 i32 u8 u16 u32 f32 f64);

/// Beyond 2^53 the nearest double, as JS would hold it.
impl JsNumber for i64 {
    fn js_number(self) -> f64 {
        self as f64
    }
}

impl JsNumber for u64 {
    fn js_number(self) -> f64 {
        self as f64
    }
}
