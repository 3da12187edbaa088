//! An object argument read field by field where the host holds it: the
//! deserializer `Args::decode` tries for a struct before converting the whole
//! object to a `Value`.
//!
//! serde's `deserialize_struct` names the fields a type declares; the one
//! struct reader (`value::de::StructAccess`) asks each of the host
//! ([`ArgSource::lend_field`]) and reads it with the `Value` deserializer's own
//! rules for primitives and strings. Anything else (a nested object, an
//! accessor, a type that is not a struct) gives up, and the caller takes the
//! `Value` road, which has the last word on errors.

use super::ArgSource;
use crate::value::de::{not_lent, DecodeError, StructAccess};
use serde::de::{self, Visitor};

/// Argument `index` of `source`, as a struct.
pub(super) struct LentFields<'s> {
    source: &'s mut dyn ArgSource,
    index: usize,
}

impl<'s> LentFields<'s> {
    pub(super) fn new(source: &'s mut dyn ArgSource, index: usize) -> Self {
        LentFields { source, index }
    }
}

impl<'de> de::Deserializer<'de> for LentFields<'_> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, DecodeError> {
        not_lent()
    }

    /// Only an object is offered here (`undefined` and `null` are lent as primitives).
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
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_map(StructAccess::lent(self.source, self.index, fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use crate::{schema, ArgSource, Args, Field, Lent, Object, Value};

    /// One object argument held as a `Value`, lending its primitive and string
    /// fields, counting how often it is converted whole.
    struct Held {
        object: Object,
        converted: usize,
    }

    impl ArgSource for Held {
        fn len(&self) -> usize {
            1
        }
        fn lend(&mut self, _index: usize) -> Option<Lent<'_>> {
            None
        }
        fn value(&mut self, _index: usize) -> Result<Value, String> {
            self.converted += 1;
            Ok(Value::from(self.object.clone()))
        }
        fn lend_field(&mut self, _index: usize, key: &'static str) -> Field<'_> {
            match self.object.get(key) {
                None => Field::Absent,
                Some(Value::String(text)) => Field::Lent(Lent::Str(text)),
                Some(
                    value @ (Value::Undefined | Value::Null | Value::Bool(_) | Value::Number(_)),
                ) => Field::Lent(Lent::Primitive(value.clone())),
                Some(_) => Field::NotLent,
            }
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize, crate::JsonSchema)]
    #[serde(rename_all = "camelCase")]
    struct Options {
        url: String,
        timeout_ms: Option<u32>,
        #[serde(default)]
        data: Value,
    }

    fn decode(pairs: &[(&str, Value)]) -> (Result<Options, String>, usize) {
        let mut held = Held {
            object: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            converted: 0,
        };
        let decoded = Args::lent(&mut held)
            .decode(0, "options", schema::input::<Options>)
            .map_err(|err| err.reason().to_owned());
        (decoded, held.converted)
    }

    #[test]
    fn declared_primitive_and_string_fields_are_read_in_place() {
        let (decoded, converted) = decode(&[
            ("url", "https://a".into()),
            ("timeoutMs", 5.into()),
            ("other", Value::Array(vec![])),
        ]);
        let expected = Options {
            url: "https://a".into(),
            timeout_ms: Some(5),
            data: Value::Undefined,
        };
        assert_eq!((decoded, converted), (Ok(expected), 0));
        // `undefined` is absent, as in a converted object.
        let (decoded, converted) = decode(&[("url", "u".into()), ("timeoutMs", Value::Undefined)]);
        assert_eq!(decoded.map(|o| o.timeout_ms), Ok(None));
        assert_eq!(converted, 0);
    }

    #[test]
    fn a_field_not_lent_or_a_failure_takes_the_value_road_once() {
        let (decoded, converted) =
            decode(&[("url", "u".into()), ("data", Value::Array(vec![1.into()]))]);
        assert_eq!(decoded.map(|o| o.data), Ok(Value::Array(vec![1.into()])));
        assert_eq!(converted, 1);
        // The error comes from the converted value, in the schema's words.
        let (decoded, converted) = decode(&[("url", 1.into())]);
        assert_eq!(
            decoded,
            Err(
                "parameter error: parameter.options.url should be String instead of Number;".into()
            )
        );
        assert_eq!(converted, 1);
    }
}
