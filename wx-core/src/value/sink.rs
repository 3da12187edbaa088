//! Rust data written into a host's values as it is serialized: [`Sink`], the
//! calls a host answers, and [`serialize_into`], the one serde `Serializer` that says
//! what each Rust shape becomes in JS (every integer a number, `None` `null`
//! and `()` `undefined`, bytes an `ArrayBuffer`, the `Date` and function
//! tokens, an enum variant `{ Variant: inner }`, a map key its text).
//! [`to_value`](crate::to_value) is this serializer writing into a
//! [`ValueSink`]; a JS host's sink writes into engine objects directly, so a
//! result never becomes a [`Value`] tree on its way.

use super::ser::{JsNumber, SerializeError, DATE_TOKEN, FUNCTION_TOKEN};
use super::{FunctionId, Object, Value};
use serde::ser::{self, Serialize};

/// Where [`serialize_into`] puts a value, one call per part, depth first: a scalar is
/// one call; an array is [`begin_array`](Sink::begin_array), its items,
/// [`end_array`](Sink::end_array); an object is
/// [`begin_object`](Sink::begin_object), then for each entry a key
/// ([`key`](Sink::key) or [`field`](Sink::field)) and its value, then
/// [`end_object`](Sink::end_object). A key repeated in one object replaces
/// the earlier value where it stands (as defining a JS property again does).
///
/// An `Err` stops the writing; the sink is then dropped unfinished (it frees
/// what it made). A host's own failure (its engine out of memory) is an `Err`
/// of its choosing.
pub trait Sink {
    /// `undefined` (what `()` and a unit struct become).
    fn undefined(&mut self) -> Result<(), SerializeError>;
    /// `null` (what `None` becomes).
    fn null(&mut self) -> Result<(), SerializeError>;
    /// A boolean.
    fn bool(&mut self, b: bool) -> Result<(), SerializeError>;
    /// A number: any Rust integer or float, as JS holds it.
    fn number(&mut self, n: f64) -> Result<(), SerializeError>;
    /// A string, lent: a host copies it into its own.
    fn str(&mut self, text: &str) -> Result<(), SerializeError>;
    /// An `ArrayBuffer` with a copy of these bytes.
    fn array_buffer(&mut self, bytes: &[u8]) -> Result<(), SerializeError>;
    /// A `Date`, as milliseconds since the Unix epoch.
    fn date(&mut self, ms: f64) -> Result<(), SerializeError>;
    /// The JS function the host knows by `id`.
    fn function(&mut self, id: FunctionId) -> Result<(), SerializeError>;
    /// An array of about `len` items begins (a hint: 0 when unknown).
    fn begin_array(&mut self, len: usize) -> Result<(), SerializeError>;
    /// The array begun last ends.
    fn end_array(&mut self) -> Result<(), SerializeError>;
    /// An object of about `len` entries begins (a hint: 0 when unknown).
    fn begin_object(&mut self, len: usize) -> Result<(), SerializeError>;
    /// The next entry's key, one that came with data (a map's). `Ok(false)`
    /// declines the entry: its value is not written.
    fn key(&mut self, key: &str) -> Result<bool, SerializeError>;
    /// The next entry's key, a struct field's name: `'static`, so a host may
    /// keep what it makes of it by the name's address. As [`Sink::key`] otherwise.
    fn field(&mut self, key: &'static str) -> Result<bool, SerializeError> {
        self.key(key)
    }
    /// The object begun last ends.
    fn end_object(&mut self) -> Result<(), SerializeError>;
}

/// Writes `value` into `sink`: the one statement of what Rust data becomes in
/// JS. Only a custom `Serialize` impl, a map key that is not a string, number
/// or boolean, or the sink itself can fail it.
pub fn serialize_into<T: Serialize + ?Sized>(
    value: &T,
    sink: &mut dyn Sink,
) -> Result<(), SerializeError> {
    value.serialize(Writer { sink, token: None })
}

/// The newtypes whose number stands for something else in JS.
#[derive(Clone, Copy)]
enum Token {
    Date,
    Function,
}

/// The serializer [`serialize_into`] drives; `token` is set while a token newtype's
/// inner value is written (its number becomes a `Date` or a function).
struct Writer<'s> {
    sink: &'s mut dyn Sink,
    token: Option<Token>,
}

/// A serializer's ten Rust number methods, each handing its number to the
/// serializer's own `number` (which applies [`JsNumber`]).
macro_rules! every_number {
    ($ok:ty) => {
        every_number!(@each $ok; serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
            serialize_u64 u64, serialize_f32 f32, serialize_f64 f64);
    };
    (@each $ok:ty; $($method:ident $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<$ok, SerializeError> {
            self.number(v)
        }
    )*};
}

impl<'s> Writer<'s> {
    fn number(self, n: impl JsNumber) -> Result<(), SerializeError> {
        let n = n.js_number();
        match self.token {
            None => self.sink.number(n),
            Some(Token::Date) => self.sink.date(n),
            Some(Token::Function) => self.sink.function(FunctionId(n as u64)),
        }
    }

    /// An array (`object` false) or object begins.
    fn begin(self, object: bool, len: usize) -> Result<Compound<'s>, SerializeError> {
        match object {
            true => self.sink.begin_object(len)?,
            false => self.sink.begin_array(len)?,
        }
        Ok(Compound {
            sink: self.sink,
            open: true,
            wanted: true,
            wrapped: false,
        })
    }

    /// `{ variant: inner }`, an externally tagged variant as serde_json
    /// writes one, with its inner array or object begun (unless the sink
    /// declined the variant's key: then nothing inside is written).
    fn variant(
        self,
        variant: &'static str,
        object: bool,
        len: usize,
    ) -> Result<Compound<'s>, SerializeError> {
        self.sink.begin_object(1)?;
        let open = self.sink.field(variant)?;
        if open {
            match object {
                true => self.sink.begin_object(len)?,
                false => self.sink.begin_array(len)?,
            }
        }
        Ok(Compound {
            sink: self.sink,
            open,
            wanted: true,
            wrapped: true,
        })
    }
}

/// An array or object being written. `open`: its own calls go to the sink
/// (false inside a variant whose key the sink declined); `wanted`: the sink
/// wants the current map entry's value; `wrapped`: it sits in a variant's
/// one-key object, closed after it.
#[doc(hidden)]
pub struct Compound<'s> {
    sink: &'s mut dyn Sink,
    open: bool,
    wanted: bool,
    wrapped: bool,
}

impl Compound<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        match self.open {
            true => serialize_into(v, self.sink),
            false => Ok(()),
        }
    }

    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerializeError> {
        if self.open && self.sink.field(key)? {
            serialize_into(v, self.sink)?;
        }
        Ok(())
    }

    /// Ends the array (`object` false) or object, and its variant's wrapper.
    fn end(self, object: bool) -> Result<(), SerializeError> {
        if self.open {
            match object {
                true => self.sink.end_object()?,
                false => self.sink.end_array()?,
            }
        }
        match self.wrapped {
            true => self.sink.end_object(),
            false => Ok(()),
        }
    }
}

impl<'s> ser::Serializer for Writer<'s> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = Compound<'s>;
    type SerializeTuple = Compound<'s>;
    type SerializeTupleStruct = Compound<'s>;
    type SerializeTupleVariant = Compound<'s>;
    type SerializeMap = Compound<'s>;
    type SerializeStruct = Compound<'s>;
    type SerializeStructVariant = Compound<'s>;

    fn serialize_bool(self, v: bool) -> Result<(), SerializeError> {
        self.sink.bool(v)
    }
    every_number!(());
    fn serialize_char(self, v: char) -> Result<(), SerializeError> {
        self.sink.str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        self.sink.str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerializeError> {
        self.sink.array_buffer(v)
    }
    fn serialize_none(self) -> Result<(), SerializeError> {
        self.sink.null()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), SerializeError> {
        v.serialize(self)
    }
    /// `()` is what a function that returns nothing returns: `undefined` in JS.
    fn serialize_unit(self) -> Result<(), SerializeError> {
        self.sink.undefined()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), SerializeError> {
        self.sink.undefined()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), SerializeError> {
        self.sink.str(variant)
    }
    /// A token's number is what it stands for; anything else in a token, and
    /// any other newtype, is its inner value.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), SerializeError> {
        let token = match name {
            DATE_TOKEN => Some(Token::Date),
            FUNCTION_TOKEN => Some(Token::Function),
            _ => None,
        };
        v.serialize(Writer {
            sink: self.sink,
            token,
        })
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), SerializeError> {
        self.sink.begin_object(1)?;
        if self.sink.field(variant)? {
            serialize_into(v, self.sink)?;
        }
        self.sink.end_object()
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'s>, SerializeError> {
        self.begin(false, len.unwrap_or(0))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'s>, SerializeError> {
        self.begin(false, len)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'s>, SerializeError> {
        self.begin(false, len)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'s>, SerializeError> {
        self.variant(variant, false, len)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'s>, SerializeError> {
        self.begin(true, len.unwrap_or(0))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'s>, SerializeError> {
        self.begin(true, len)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'s>, SerializeError> {
        self.variant(variant, true, len)
    }
}

/// The four ways serde writes an array's items: each item written, then
/// the array ended.
macro_rules! array_like {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = SerializeError;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
                self.item(v)
            }
            fn end(self) -> Result<(), SerializeError> {
                Compound::end(self, false)
            }
        }
    )*};
}
array_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = SerializeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerializeError> {
        self.wanted = match self.open {
            true => key.serialize(KeyWriter(&mut *self.sink))?,
            false => false,
        };
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerializeError> {
        match self.wanted {
            true => serialize_into(v, self.sink),
            false => Ok(()),
        }
    }
    fn end(self) -> Result<(), SerializeError> {
        Compound::end(self, true)
    }
}

/// The two ways serde writes a struct's fields: each named field written,
/// then the object ended.
macro_rules! struct_like {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = SerializeError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), SerializeError> {
                self.field(key, v)
            }
            fn skip_field(&mut self, _: &'static str) -> Result<(), SerializeError> {
                Ok(())
            }
            fn end(self) -> Result<(), SerializeError> {
                Compound::end(self, true)
            }
        }
    )*};
}
struct_like!(SerializeStruct, SerializeStructVariant);

/// A map key: JS property keys are strings, so a string is the key, and a
/// number or boolean its text; anything else is refused, named as JS would
/// type it. The sink's answer is whether it wants the entry.
struct KeyWriter<'s>(&'s mut dyn Sink);

impl KeyWriter<'_> {
    fn number(self, n: impl JsNumber) -> Result<bool, SerializeError> {
        self.0.key(&super::format_number(n.js_number()))
    }
}

/// The refusal of a key that is not a string, number or boolean.
fn not_a_key<T>(type_name: &str) -> Result<T, SerializeError> {
    Err(SerializeError::new(format!(
        "a map key must be a string, not {type_name}"
    )))
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = bool;
    type Error = SerializeError;
    type SerializeSeq = ser::Impossible<bool, SerializeError>;
    type SerializeTuple = ser::Impossible<bool, SerializeError>;
    type SerializeTupleStruct = ser::Impossible<bool, SerializeError>;
    type SerializeTupleVariant = ser::Impossible<bool, SerializeError>;
    type SerializeMap = ser::Impossible<bool, SerializeError>;
    type SerializeStruct = ser::Impossible<bool, SerializeError>;
    type SerializeStructVariant = ser::Impossible<bool, SerializeError>;

    fn serialize_bool(self, v: bool) -> Result<bool, SerializeError> {
        self.0.key(if v { "true" } else { "false" })
    }
    every_number!(bool);
    fn serialize_char(self, v: char) -> Result<bool, SerializeError> {
        self.0.key(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<bool, SerializeError> {
        self.0.key(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<bool, SerializeError> {
        not_a_key("ArrayBuffer")
    }
    fn serialize_none(self) -> Result<bool, SerializeError> {
        not_a_key("Null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<bool, SerializeError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<bool, SerializeError> {
        not_a_key("Undefined")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, SerializeError> {
        not_a_key("Undefined")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<bool, SerializeError> {
        self.0.key(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<bool, SerializeError> {
        match name {
            DATE_TOKEN => not_a_key("Date"),
            FUNCTION_TOKEN => not_a_key("Function"),
            _ => v.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, SerializeError> {
        not_a_key("Object")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, SerializeError> {
        not_a_key("Array")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, SerializeError> {
        not_a_key("Array")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, SerializeError> {
        not_a_key("Array")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        not_a_key("Object")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, SerializeError> {
        not_a_key("Object")
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, SerializeError> {
        not_a_key("Object")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        not_a_key("Object")
    }
}

/// A [`Sink`] that builds a [`Value`]: what [`to_value`](crate::to_value) writes into.
#[derive(Default)]
pub(crate) struct ValueSink {
    /// The arrays and objects begun and not yet ended, innermost last; an
    /// object with the key its next value goes under.
    open: Vec<Open>,
    /// The value written at the top, once it is complete.
    done: Option<Value>,
}

enum Open {
    Array(Vec<Value>),
    Object(Object, String),
}

impl ValueSink {
    /// The value written (`undefined` if none was).
    pub(crate) fn finish(self) -> Value {
        self.done.unwrap_or_default()
    }

    /// A complete value: into the array or object it is part of, or the result.
    fn put(&mut self, value: Value) -> Result<(), SerializeError> {
        match self.open.last_mut() {
            Some(Open::Array(items)) => items.push(value),
            Some(Open::Object(map, key)) => {
                map.insert(std::mem::take(key), value);
            }
            None => self.done = Some(value),
        }
        Ok(())
    }
}

impl Sink for ValueSink {
    fn undefined(&mut self) -> Result<(), SerializeError> {
        self.put(Value::Undefined)
    }
    fn null(&mut self) -> Result<(), SerializeError> {
        self.put(Value::Null)
    }
    fn bool(&mut self, b: bool) -> Result<(), SerializeError> {
        self.put(Value::Bool(b))
    }
    fn number(&mut self, n: f64) -> Result<(), SerializeError> {
        self.put(Value::Number(n))
    }
    fn str(&mut self, text: &str) -> Result<(), SerializeError> {
        self.put(Value::String(text.to_owned()))
    }
    fn array_buffer(&mut self, bytes: &[u8]) -> Result<(), SerializeError> {
        self.put(Value::ArrayBuffer(bytes.to_vec()))
    }
    fn date(&mut self, ms: f64) -> Result<(), SerializeError> {
        self.put(Value::Date(ms))
    }
    fn function(&mut self, id: FunctionId) -> Result<(), SerializeError> {
        self.put(Value::Function(id))
    }
    fn begin_array(&mut self, len: usize) -> Result<(), SerializeError> {
        self.open.push(Open::Array(Vec::with_capacity(len)));
        Ok(())
    }
    fn end_array(&mut self) -> Result<(), SerializeError> {
        match self.open.pop() {
            Some(Open::Array(items)) => self.put(Value::Array(items)),
            _ => Err(SerializeError::new("an array ended that was not begun")),
        }
    }
    fn begin_object(&mut self, len: usize) -> Result<(), SerializeError> {
        self.open
            .push(Open::Object(Object::with_capacity(len), String::new()));
        Ok(())
    }
    fn key(&mut self, key: &str) -> Result<bool, SerializeError> {
        if let Some(Open::Object(_, pending)) = self.open.last_mut() {
            key.clone_into(pending);
        }
        Ok(true)
    }
    fn end_object(&mut self) -> Result<(), SerializeError> {
        match self.open.pop() {
            Some(Open::Object(map, _)) => self.put(Value::from(map)),
            _ => Err(SerializeError::new("an object ended that was not begun")),
        }
    }
}
