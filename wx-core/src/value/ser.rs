//! Rust data to [`Value`]: a serde `Serializer` whose output is a `Value`.

use super::{FunctionId, Object, Value};
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
    value.serialize(ValueSerializer)
}

/// Writes `value` to `out` if it serializes as a scalar: a string lent, a
/// number (any Rust integer or float) as the number [`to_value`] makes of it,
/// `()`, `None` or a boolean as its [`Value`]. False, with nothing written,
/// for anything else (the caller encodes it whole).
pub(crate) fn lend_scalar<T: Serialize + ?Sized>(value: &T, out: &mut dyn crate::Output) -> bool {
    value.serialize(LendScalar(out)).is_ok()
}

/// Hands a scalar to the output and refuses the rest at its first call; what a
/// scalar becomes is [`ValueSerializer`]'s to say, so [`to_value`] stays the one
/// owner of every encoding.
struct LendScalar<'o>(&'o mut dyn crate::Output);

impl LendScalar<'_> {
    /// A scalar other than a number or a string as `to_value` made it, handed over.
    fn hand(self, made: Result<Value, SerializeError>) -> Result<(), SerializeError> {
        self.0.value(made?);
        Ok(())
    }

    /// A number, handed over as the number `to_value` would make of it.
    fn number(self, n: impl JsNumber) -> Result<(), SerializeError> {
        self.0.number(n.js_number());
        Ok(())
    }
}

/// The refusal: not a scalar.
fn not_a_scalar<T>() -> Result<T, SerializeError> {
    Err(SerializeError(String::new()))
}

impl ser::Serializer for LendScalar<'_> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = ser::Impossible<(), SerializeError>;
    type SerializeTuple = ser::Impossible<(), SerializeError>;
    type SerializeTupleStruct = ser::Impossible<(), SerializeError>;
    type SerializeTupleVariant = ser::Impossible<(), SerializeError>;
    type SerializeMap = ser::Impossible<(), SerializeError>;
    type SerializeStruct = ser::Impossible<(), SerializeError>;
    type SerializeStructVariant = ser::Impossible<(), SerializeError>;

    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        self.0.str(v);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), SerializeError> {
        v.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<(), SerializeError> {
        self.hand(ValueSerializer.serialize_bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), SerializeError> {
        self.number(v)
    }
    fn serialize_char(self, _: char) -> Result<(), SerializeError> {
        not_a_scalar()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), SerializeError> {
        not_a_scalar()
    }
    fn serialize_none(self) -> Result<(), SerializeError> {
        self.hand(ValueSerializer.serialize_none())
    }
    fn serialize_unit(self) -> Result<(), SerializeError> {
        self.hand(ValueSerializer.serialize_unit())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), SerializeError> {
        not_a_scalar()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), SerializeError> {
        not_a_scalar()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), SerializeError> {
        not_a_scalar()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), SerializeError> {
        not_a_scalar()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, SerializeError> {
        not_a_scalar()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, SerializeError> {
        not_a_scalar()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, SerializeError> {
        not_a_scalar()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        not_a_scalar()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, SerializeError> {
        not_a_scalar()
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, SerializeError> {
        not_a_scalar()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        not_a_scalar()
    }
}

/// Why a value could not become a [`Value`] (only custom `Serialize` impls fail).
#[derive(Debug, Clone, PartialEq)]
pub struct SerializeError(String);

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

pub(crate) struct ValueSerializer;

/// A Rust number as the JS number it becomes (JS has no other kind): the one
/// rule, for [`ValueSerializer`] and for a sync result handed over as a number.
trait JsNumber: Copy {
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

fn number(n: impl JsNumber) -> Result<Value, SerializeError> {
    Ok(Value::Number(n.js_number()))
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = SerializeError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Value, SerializeError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_f64(self, v: f64) -> Result<Value, SerializeError> {
        number(v)
    }
    fn serialize_char(self, v: char) -> Result<Value, SerializeError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, SerializeError> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, SerializeError> {
        Ok(Value::ArrayBuffer(v.to_vec()))
    }
    fn serialize_none(self) -> Result<Value, SerializeError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, SerializeError> {
        v.serialize(self)
    }
    /// `()` is what a function that returns nothing returns: `undefined` in JS.
    fn serialize_unit(self) -> Result<Value, SerializeError> {
        Ok(Value::Undefined)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, SerializeError> {
        Ok(Value::Undefined)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, SerializeError> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Value, SerializeError> {
        let inner = v.serialize(ValueSerializer)?;
        match (name, inner) {
            (DATE_TOKEN, Value::Number(ms)) => Ok(Value::Date(ms)),
            (FUNCTION_TOKEN, Value::Number(id)) => Ok(Value::Function(FunctionId(id as u64))),
            (_, inner) => Ok(inner),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Value, SerializeError> {
        Ok(wrap_variant(variant, v.serialize(ValueSerializer)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, SerializeError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, SerializeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, SerializeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        Ok(VariantBuilder(variant, self.serialize_seq(Some(len))?))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, SerializeError> {
        Ok(MapBuilder(Object::with_capacity(len.unwrap_or(0)), None))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder, SerializeError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        Ok(VariantBuilder(variant, self.serialize_map(Some(len))?))
    }
}

#[doc(hidden)]
pub struct SeqBuilder(Vec<Value>);

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        self.0.push(v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, SerializeError> {
        Ok(Value::Array(self.0))
    }
}
impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, SerializeError> {
        ser::SerializeSeq::end(self)
    }
}
impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, SerializeError> {
        ser::SerializeSeq::end(self)
    }
}

#[doc(hidden)]
pub struct MapBuilder(Object, Option<String>);

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerializeError> {
        // JS property keys are strings: numbers and booleans become their text.
        let key = match key.serialize(ValueSerializer)? {
            Value::String(s) => s,
            Value::Number(n) => super::format_number(n),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(SerializeError(format!(
                    "a map key must be a string, not {}",
                    other.js_type_name()
                )))
            }
        };
        self.1 = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        let key = self.1.take().unwrap_or_default();
        self.0.insert(key, v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, SerializeError> {
        Ok(Value::from(self.0))
    }
}
impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerializeError> {
        self.0.insert(key.to_owned(), v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), SerializeError> {
        Ok(())
    }
    fn end(self) -> Result<Value, SerializeError> {
        Ok(Value::from(self.0))
    }
}

#[doc(hidden)]
pub struct VariantBuilder<B>(&'static str, B);

/// Externally tagged enum variants become `{ Variant: inner }`, as in serde_json.
fn wrap_variant(variant: &str, inner: Value) -> Value {
    let mut map = Object::new();
    map.insert(variant.to_owned(), inner);
    Value::from(map)
}
impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        ser::SerializeSeq::serialize_element(&mut self.1, v)
    }
    fn end(self) -> Result<Value, SerializeError> {
        Ok(wrap_variant(self.0, ser::SerializeSeq::end(self.1)?))
    }
}
impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerializeError> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, v)
    }
    fn end(self) -> Result<Value, SerializeError> {
        Ok(wrap_variant(self.0, ser::SerializeStruct::end(self.1)?))
    }
}
