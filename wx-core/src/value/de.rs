//! [`Value`] to Rust data: `Value` is a serde `Deserializer`, and `Value` itself
//! is `Deserialize` (from our own values and from any other format).

use super::lend::{ArgSource, Field, Lent};
use super::ser::{DATE_TOKEN, FUNCTION_TOKEN};
use super::{FunctionId, Object, Value};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use std::fmt;

/// Converts a [`Value`] into any `Deserialize` type.
///
/// `undefined` and `null` both read as `None`; object properties that are
/// `undefined` read as absent, as they would after `JSON.stringify`.
///
/// ```
/// # use wx_core::{from_value, Value};
/// let n: Option<u32> = from_value(Value::Number(3.0)).unwrap();
/// assert_eq!(n, Some(3));
/// ```
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    T::deserialize(&value)
}

/// Like [`from_value`], borrowing: the value is still there to explain a failure.
pub fn from_value_ref<'de, T: de::Deserialize<'de>>(value: &'de Value) -> Result<T, DecodeError> {
    T::deserialize(value)
}

/// Why a [`Value`] did not fit the Rust type asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError(String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for DecodeError {}
impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError(msg.to_string())
    }
}

/// Integral doubles go to visitors as integers so that `u32` and friends accept
/// them; `-0` stays a double so it keeps its sign.
fn visit_number<'de, V: Visitor<'de>>(n: f64, visitor: V) -> Result<V::Value, DecodeError> {
    let integral = n.fract() == 0.0 && !(n == 0.0 && n.is_sign_negative());
    if integral && (0.0..18_446_744_073_709_551_616.0).contains(&n) {
        visitor.visit_u64(n as u64)
    } else if integral && (-9_223_372_036_854_775_808.0..0.0).contains(&n) {
        visitor.visit_i64(n as i64)
    } else {
        visitor.visit_f64(n)
    }
}

thread_local! {
    /// Set while this deserializer hands a token map to a visitor: only then is
    /// a `{ "$wx::Date": ms }` map a `Date`. A user's object with that key (or a
    /// JSON document) is plain data.
    static TOKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A one-entry map `{ token: payload }`: how a `Date` or a function reaches a
/// `Value` visitor through serde's data model without being mistaken for data.
fn visit_token<'de, V: Visitor<'de>>(
    token: &'static str,
    payload: f64,
    visitor: V,
) -> Result<V::Value, DecodeError> {
    let entries = std::iter::once((token, payload));
    TOKEN.with(|t| t.set(true));
    let result = visitor.visit_map(de::value::MapDeserializer::new(entries));
    TOKEN.with(|t| t.set(false)); // a visitor other than `Value`'s may not have read it
    result
}

impl<'de> de::Deserializer<'de> for &'de Value {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Undefined
            | Value::Null
            | Value::Bool(_)
            | Value::Number(_)
            | Value::Function(_) => Primitive(self).deserialize_any(visitor),
            Value::String(s) => Text::Lent(s).deserialize_any(visitor),
            Value::Array(items) => visitor.visit_seq(de::value::SeqDeserializer::new(items.iter())),
            Value::Object(map) => visitor.visit_map(StructAccess::object(map)),
            Value::ArrayBuffer(bytes) => visitor.visit_borrowed_bytes(bytes),
            Value::Date(ms) => visit_token(DATE_TOKEN, *ms, visitor),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Number(_) => Primitive(self).deserialize_f64(visitor),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Undefined | Value::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Undefined | Value::Null => visitor.visit_unit(),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    /// Only an object is a struct: an array is not read by position, nor a
    /// `Date` or a function as the one-key map their token is.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_map(StructAccess::object(self.as_struct()?))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        match self {
            Value::String(variant) => Text::Lent(variant).deserialize_enum(name, variants, visitor),
            Value::Object(map) if map.len() == 1 => {
                let (variant, value) = map.iter().next().expect("one entry");
                visitor.visit_enum(de::value::MapAccessDeserializer::new(
                    de::value::MapDeserializer::new(std::iter::once((variant.as_str(), value))),
                ))
            }
            other => Err(de::Error::invalid_type(
                other.unexpected(),
                &"a string or a one-key object",
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char str string
        bytes byte_buf unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// The one `MapAccess` every struct and map visitor is handed, whether the
/// entries are a `Value` object's or the declared fields of an argument a host
/// lends one at a time (`args::fields`): one type, so each struct's
/// `visit_map` is generated once in a crate of APIs, not once per place its
/// fields can come from.
pub(crate) struct StructAccess<'de, 's> {
    entries: Entries<'de, 's>,
    value: Pending<'de>,
}

enum Entries<'de, 's> {
    /// A converted object's entries, borrowed.
    Object(indexmap::map::Iter<'de, String, Value>),
    /// The declared fields still to ask of argument `index` of `source`.
    Lent {
        source: &'s mut dyn ArgSource,
        index: usize,
        fields: &'static [&'static str],
    },
}

/// The value of the key just handed out, until the visitor asks for it.
enum Pending<'de> {
    None,
    Borrowed(&'de Value),
    /// A lent primitive (or a function's id): costs nothing to hold.
    Primitive(Value),
    /// A lent string, copied once (a `String` field then takes that copy whole).
    Str(String),
}

/// Why a lent struct is given up on: the caller converts the argument instead.
pub(crate) fn not_lent<T>() -> Result<T, DecodeError> {
    Err(de::Error::custom("not readable in place"))
}

impl<'de, 's> StructAccess<'de, 's> {
    /// An object's entries; `undefined` properties read as absent.
    pub(crate) fn object(map: &'de Object) -> Self {
        StructAccess {
            entries: Entries::Object(map.iter()),
            value: Pending::None,
        }
    }

    /// The declared `fields` of argument `index`, asked of `source` one by one
    /// ([`ArgSource::lend_field`]); anything not lent gives up (`not_lent`).
    pub(crate) fn lent(
        source: &'s mut dyn ArgSource,
        index: usize,
        fields: &'static [&'static str],
    ) -> Self {
        StructAccess {
            entries: Entries::Lent {
                source,
                index,
                fields,
            },
            value: Pending::None,
        }
    }
}

impl<'de> StructAccess<'de, '_> {
    /// The next key, its value held for `next_value_seed`. Not generic (the
    /// seed is the only part that differs between types): an unoptimized
    /// build has one copy of it; an optimized one inlines it into each
    /// struct's reader, where the call costs more than the body.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn next_key(&mut self) -> Result<Option<&'de str>, DecodeError> {
        match &mut self.entries {
            Entries::Object(entries) => {
                let Some((key, value)) = entries.find(|(_, v)| !v.is_undefined()) else {
                    return Ok(None);
                };
                self.value = Pending::Borrowed(value);
                Ok(Some(key))
            }
            Entries::Lent {
                source,
                index,
                fields,
            } => {
                while let Some((&key, rest)) = fields.split_first() {
                    *fields = rest;
                    self.value = match source.lend_field(*index, key) {
                        // An `undefined` property reads as absent, as in a converted object.
                        Field::Absent | Field::Lent(Lent::Primitive(Value::Undefined)) => continue,
                        Field::Lent(Lent::Primitive(value)) => Pending::Primitive(value),
                        Field::Lent(Lent::Str(text)) => Pending::Str(text.to_owned()),
                        Field::Lent(Lent::Function(id)) => Pending::Primitive(Value::Function(id)),
                        Field::NotLent => return not_lent(),
                    };
                    return Ok(Some(key));
                }
                Ok(None)
            }
        }
    }
}

/// Inlined into a struct's `visit_map` in an optimized build (as a reader
/// made for one struct would be), out of line in an unoptimized one.
impl<'de> de::MapAccess<'de> for StructAccess<'de, '_> {
    type Error = DecodeError;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        match self.next_key()? {
            Some(key) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some),
            None => Ok(None),
        }
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        match std::mem::replace(&mut self.value, Pending::None) {
            Pending::Borrowed(value) => seed.deserialize(value),
            Pending::Primitive(value) => seed.deserialize(Primitive(&value)),
            Pending::Str(text) => seed.deserialize(Text::Owned(text)),
            Pending::None => Err(de::Error::custom("a value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        match &self.entries {
            Entries::Object(entries) => Some(entries.len()),
            Entries::Lent { fields, .. } => Some(fields.len()),
        }
    }
}

/// `undefined`, `null`, a boolean, a number or a function (its id), read as
/// the `Value` deserializer reads it (which comes here for them). Nothing it
/// hands a visitor is borrowed, so it reads for any `'de`: what lets a host lend a primitive it
/// found inside an object (see `args::fields`) without keeping it alive.
pub(crate) struct Primitive<'v>(pub(crate) &'v Value);

impl<'de> de::Deserializer<'de> for Primitive<'_> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Undefined => visitor.visit_none(),
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(*n, visitor),
            Value::Function(id) => visit_token(FUNCTION_TOKEN, id.0 as f64, visitor),
            other => Err(de::Error::invalid_type(other.unexpected(), &visitor)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Number(n) => visitor.visit_f64(*n),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Undefined | Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Undefined | Value::Null => visitor.visit_unit(),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        Err(de::Error::invalid_type(self.0.unexpected(), &visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, DecodeError> {
        Err(de::Error::invalid_type(
            self.0.unexpected(),
            &"a string or a one-key object",
        ))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char str string
        bytes byte_buf unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// A string read as `Value::String` reads: lent in place (what a host's fast
/// path decodes from without copying the text into a `Value` first) or owned
/// (a host's string copied once, handed over whole: a `String` field takes it
/// as is). The `Value` deserializer's string cases come here too, so the rules
/// are these once.
pub(crate) enum Text<'de> {
    /// Borrowed for `'de`.
    Lent(&'de str),
    /// Already copied out of the host.
    Owned(String),
}

impl<'de> de::Deserializer<'de> for Text<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self {
            Text::Lent(text) => visitor.visit_borrowed_str(text),
            Text::Owned(text) => visitor.visit_string(text),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let text = match &self {
            Text::Lent(text) => text,
            Text::Owned(text) => text.as_str(),
        };
        Err(de::Error::invalid_type(de::Unexpected::Str(text), &visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        match self {
            Text::Lent(text) => visitor.visit_enum(text.into_deserializer()),
            Text::Owned(text) => visitor.visit_enum(text.into_deserializer()),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, DecodeError> for &'de Value {
    type Deserializer = &'de Value;
    fn into_deserializer(self) -> &'de Value {
        self
    }
}

impl Value {
    /// The object a struct is read from; anything else is the wrong type.
    fn as_struct(&self) -> Result<&Object, DecodeError> {
        match self {
            Value::Object(map) => Ok(map),
            other => Err(de::Error::invalid_type(other.unexpected(), &"an object")),
        }
    }

    fn unexpected(&self) -> de::Unexpected<'_> {
        match self {
            Value::Undefined => de::Unexpected::Other("undefined"),
            Value::Null => de::Unexpected::Unit,
            Value::Bool(b) => de::Unexpected::Bool(*b),
            Value::Number(n) => de::Unexpected::Float(*n),
            Value::String(s) => de::Unexpected::Str(s),
            Value::Array(_) => de::Unexpected::Seq,
            Value::Object(_) => de::Unexpected::Map,
            Value::ArrayBuffer(b) => de::Unexpected::Bytes(b),
            Value::Date(_) => de::Unexpected::Other("Date"),
            Value::Function(_) => de::Unexpected::Other("Function"),
        }
    }
}

impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JavaScript value")
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Undefined)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_bytes<E>(self, b: &[u8]) -> Result<Value, E> {
        Ok(Value::ArrayBuffer(b.to_vec()))
    }
    fn visit_byte_buf<E>(self, b: Vec<u8>) -> Result<Value, E> {
        Ok(Value::ArrayBuffer(b))
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // Read (and clear) before anything nested can be visited.
        let token = TOKEN.with(|t| t.replace(false));
        let mut out = Object::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            match (token, key.as_str(), &value) {
                (true, DATE_TOKEN, Value::Number(ms)) => return Ok(Value::Date(*ms)),
                (true, FUNCTION_TOKEN, Value::Number(id)) => {
                    return Ok(Value::Function(FunctionId(*id as u64)))
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        Ok(Value::from(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::to_value;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Opts {
        key: String,
        max_count: Option<u32>,
        kind: Kind,
        data: Value,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    enum Kind {
        Get,
        Post,
    }

    #[test]
    fn round_trips_through_serde() {
        let opts = Opts {
            key: "k".into(),
            max_count: None,
            kind: Kind::Post,
            data: Value::Array(vec![
                Value::Date(5.0),
                Value::ArrayBuffer(vec![1, 2]),
                Value::Number(-0.0),
            ]),
        };
        let value = to_value(&opts).unwrap();
        assert_eq!(value.get("kind"), Some(&Value::from("POST")));
        let back: Opts = from_value(value).unwrap();
        assert_eq!(back, opts);
        match &back.data {
            Value::Array(items) => assert!(items[2].as_f64().unwrap().is_sign_negative()),
            _ => unreachable!(),
        }
    }

    #[test]
    fn undefined_properties_read_as_absent() {
        let mut map = Object::new();
        map.insert("key".into(), "k".into());
        map.insert("maxCount".into(), Value::Undefined);
        map.insert("kind".into(), "GET".into());
        map.insert("data".into(), Value::Function(FunctionId(7)));
        let opts: Opts = from_value(Value::from(map)).unwrap();
        assert_eq!(opts.max_count, None);
        assert_eq!(opts.data, Value::Function(FunctionId(7)));
    }

    #[test]
    fn integers_are_range_checked() {
        assert!(from_value::<u8>(Value::Number(300.0)).is_err());
        assert!(from_value::<u8>(Value::Number(1.5)).is_err());
        assert_eq!(from_value::<i32>(Value::Number(-4.0)).unwrap(), -4);
    }
}
