//! One field of what [`to_value`](super::to_value) would make of a value,
//! without making the rest: what a Sync twin returns of its async form's
//! result (`getStorageSync` is `getStorage`'s `data`). A struct gives the
//! field straight from its `Serialize` (the other fields are never
//! converted); anything else is made whole by the one encoding rule and the
//! field taken from it, so both ways agree on every shape.

use super::ser::{MapBuilder, SeqBuilder, SerializeError, ValueSerializer, VariantBuilder};
use super::Value;
use serde::ser::{self, Serialize};

/// The field `name` of `value` as [`to_value`](super::to_value) would make it
/// (`undefined` if `value` is not an object or has no such field).
#[cfg(test)]
pub(crate) fn to_value_field<T: Serialize + ?Sized>(
    value: &T,
    name: &'static str,
) -> Result<Value, SerializeError> {
    let mut out = Value::Undefined;
    let picked = lend_field(value, name, &mut out)?;
    Ok(picked.unwrap_or(out))
}

/// The field `name` of `value` as [`to_value`](super::to_value) would make it,
/// a struct's scalar field lent to `out` as
/// [`lend_scalar`](super::ser::lend_scalar) lends a whole result (a string is
/// not copied): `None` when it was lent, else the field to hand over
/// (`undefined` if `value` is not an object or has no such field).
pub(crate) fn lend_field<T: Serialize + ?Sized>(
    value: &T,
    name: &'static str,
    out: &mut dyn crate::Output,
) -> Result<Option<Value>, SerializeError> {
    let mut lent = false;
    let found = value.serialize(PickField {
        name,
        out,
        lent: &mut lent,
    })?;
    Ok((!lent).then_some(found))
}

/// The field of a whole value: the old way, and the rule the fast way keeps.
fn pick(value: Value, name: &str) -> Value {
    match value {
        Value::Object(mut map) => map.shift_remove(name).unwrap_or_default(),
        _ => Value::Undefined,
    }
}

/// The field wanted, where a struct's scalar field is lent, and the flag that
/// says it was.
struct PickField<'l> {
    name: &'static str,
    out: &'l mut dyn crate::Output,
    lent: &'l mut bool,
}

/// A struct's fields, the wanted one lent or converted when it comes by.
pub struct Picker<'l> {
    name: &'static str,
    found: Value,
    out: &'l mut dyn crate::Output,
    lent: &'l mut bool,
}

/// Any other compound value, made whole and then picked from.
pub struct PickFrom<B> {
    builder: B,
    name: &'static str,
}

impl<B> PickFrom<B> {
    fn new(name: &'static str, builder: B) -> Self {
        PickFrom { builder, name }
    }
}

/// Scalars are not objects: no field.
fn none<E>() -> Result<Value, E> {
    Ok(Value::Undefined)
}

impl<'l> ser::Serializer for PickField<'l> {
    type Ok = Value;
    type Error = SerializeError;
    type SerializeSeq = PickFrom<SeqBuilder>;
    type SerializeTuple = PickFrom<SeqBuilder>;
    type SerializeTupleStruct = PickFrom<SeqBuilder>;
    type SerializeTupleVariant = PickFrom<VariantBuilder<SeqBuilder>>;
    type SerializeMap = PickFrom<MapBuilder>;
    type SerializeStruct = Picker<'l>;
    type SerializeStructVariant = PickFrom<VariantBuilder<MapBuilder>>;

    fn serialize_bool(self, _: bool) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_i8(self, _: i8) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_i16(self, _: i16) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_i32(self, _: i32) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_i64(self, _: i64) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_u8(self, _: u8) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_u16(self, _: u16) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_u32(self, _: u32) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_u64(self, _: u64) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_f32(self, _: f32) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_f64(self, _: f64) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_char(self, _: char) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_str(self, _: &str) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_none(self) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, SerializeError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Value, SerializeError> {
        none()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Value, SerializeError> {
        // A `Date` or a function is not an object; any other newtype is its inner value.
        let whole = ValueSerializer.serialize_newtype_struct(name, v)?;
        Ok(pick(whole, self.name))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Value, SerializeError> {
        let whole = ValueSerializer.serialize_newtype_variant(name, index, variant, v)?;
        Ok(pick(whole, self.name))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, SerializeError> {
        Ok(PickFrom::new(
            self.name,
            ValueSerializer.serialize_seq(len)?,
        ))
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, SerializeError> {
        Ok(PickFrom::new(
            self.name,
            ValueSerializer.serialize_tuple(len)?,
        ))
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, SerializeError> {
        let builder = ValueSerializer.serialize_tuple_struct(name, len)?;
        Ok(PickFrom::new(self.name, builder))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        let builder = ValueSerializer.serialize_tuple_variant(name, index, variant, len)?;
        Ok(PickFrom::new(self.name, builder))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, SerializeError> {
        Ok(PickFrom::new(
            self.name,
            ValueSerializer.serialize_map(len)?,
        ))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Picker<'l>, SerializeError> {
        Ok(Picker {
            name: self.name,
            found: Value::Undefined,
            out: self.out,
            lent: self.lent,
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        let builder = ValueSerializer.serialize_struct_variant(name, index, variant, len)?;
        Ok(PickFrom::new(self.name, builder))
    }
}

impl ser::SerializeStruct for Picker<'_> {
    type Ok = Value;
    type Error = SerializeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerializeError> {
        // A repeated key replaces the value, as the whole object's insert would.
        if key != self.name {
            return Ok(());
        }
        *self.lent = super::ser::lend_scalar(v, &mut *self.out);
        self.found = match *self.lent {
            true => Value::Undefined,
            false => v.serialize(ValueSerializer)?,
        };
        Ok(())
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), SerializeError> {
        Ok(())
    }
    fn end(self) -> Result<Value, SerializeError> {
        Ok(self.found)
    }
}

/// The delegating impls: each step is the builder's, the end picks.
macro_rules! pick_from {
    ($trait:ident<$builder:ty> { $($method:ident($($arg:ident: $ty:ty),*);)* }) => {
        impl ser::$trait for PickFrom<$builder> {
            type Ok = Value;
            type Error = SerializeError;
            $(fn $method<T: Serialize + ?Sized>(&mut self, $($arg: $ty,)* v: &T) -> Result<(), SerializeError> {
                ser::$trait::$method(&mut self.builder, $($arg,)* v)
            })*
            fn end(self) -> Result<Value, SerializeError> {
                Ok(pick(ser::$trait::end(self.builder)?, self.name))
            }
        }
    };
}

pick_from!(SerializeSeq<SeqBuilder> { serialize_element(); });
pick_from!(SerializeTuple<SeqBuilder> { serialize_element(); });
pick_from!(SerializeTupleStruct<SeqBuilder> { serialize_field(); });
pick_from!(SerializeTupleVariant<VariantBuilder<SeqBuilder>> { serialize_field(); });
pick_from!(SerializeMap<MapBuilder> { serialize_key(); serialize_value(); });
pick_from!(SerializeStructVariant<VariantBuilder<MapBuilder>> { serialize_field(key: &'static str); });

#[cfg(test)]
mod tests {
    use super::*;
    use crate::to_value;
    use serde::Serialize;
    use std::collections::BTreeMap;

    /// The field as picking the whole value's would give it, for every shape.
    fn agrees<T: Serialize>(value: &T, name: &'static str) {
        let whole = pick(to_value(value).unwrap(), name);
        assert_eq!(to_value_field(value, name).unwrap(), whole, "field {name}");
    }

    #[derive(Serialize)]
    struct Result {
        data: Vec<u8>,
        #[serde(rename = "errCount")]
        count: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        #[serde(flatten)]
        more: BTreeMap<String, u8>,
    }

    #[derive(Serialize)]
    struct Plain {
        data: String,
    }

    #[derive(Serialize)]
    struct Wrapper(Plain);

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Data(u8),
        Pair(u8, u8),
        Named { data: u8 },
    }

    #[test]
    fn a_field_is_what_the_whole_object_holds_under_its_name() {
        let more = BTreeMap::from([("extra".to_owned(), 7)]);
        let result = Result {
            data: vec![1],
            count: 2,
            skipped: None,
            more,
        };
        for name in ["data", "errCount", "count", "skipped", "extra", "none"] {
            agrees(&result, name);
        }
        let plain = Plain { data: "d".into() };
        agrees(&plain, "data");
        agrees(&Some(Plain { data: "d".into() }), "data");
        agrees(&Wrapper(Plain { data: "d".into() }), "data");
        agrees(&Option::<Plain>::None, "data");
        agrees(&BTreeMap::from([("data", 1), ("b", 2)]), "data");
        agrees(&BTreeMap::from([(1, 1)]), "1");
        for name in ["data", "Data", "Pair", "Named", "Unit"] {
            agrees(&Shape::Unit, name);
            agrees(&Shape::Data(1), name);
            agrees(&Shape::Pair(1, 2), name);
            agrees(&Shape::Named { data: 1 }, name);
        }
        agrees(&"text", "data");
        agrees(&vec![1, 2], "0");
        agrees(&(1, 2), "0");
        agrees(&Value::Date(5.0), "data");
        agrees(&Value::Function(crate::FunctionId(1)), "data");
        let object = to_value(&Plain { data: "d".into() }).unwrap();
        agrees(&object, "data");
    }

    #[test]
    fn only_the_picked_field_is_converted() {
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: serde::Serializer>(
                &self,
                _: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("not this one"))
            }
        }
        #[derive(Serialize)]
        struct Mixed {
            data: u8,
            other: Fails,
        }
        let mixed = Mixed {
            data: 1,
            other: Fails,
        };
        assert_eq!(to_value_field(&mixed, "data").unwrap(), Value::Number(1.0));
        assert!(to_value_field(&mixed, "other").is_err());
    }
}
