//! One field of what [`to_value`](super::to_value) would make of a value,
//! without making the rest: what a Sync twin returns of its async form's
//! result (`getStorageSync` is `getStorage`'s `data`). [`PickSink`] stands
//! between the one encoding ([`serialize_into`]) and the sink the field goes to: it
//! declines every other entry of the top object (so the writer never
//! converts them) and hands the wanted one on, so the field is exactly what
//! the whole conversion holds under its name.

use super::ser::SerializeError;
use super::sink::{serialize_into, Sink};
use super::FunctionId;
#[cfg(test)]
use super::Value;
use serde::Serialize;

/// The field `name` of `value` as [`to_value`](super::to_value) would make it
/// (`undefined` if `value` is not an object or has no such field).
#[cfg(test)]
pub(crate) fn to_value_field<T: Serialize + ?Sized>(
    value: &T,
    name: &'static str,
) -> Result<Value, SerializeError> {
    let mut sink = super::sink::ValueSink::default();
    write_field(value, name, &mut sink)?;
    Ok(sink.finish())
}

/// Writes the field `name` of `value` into `target`, as the whole value's
/// conversion would hold it (`undefined` if `value` is not an object or has
/// no such field). A repeated key's last value wins, as in the whole object.
pub(crate) fn write_field<T: Serialize + ?Sized>(
    value: &T,
    name: &'static str,
    target: &mut dyn Sink,
) -> Result<(), SerializeError> {
    let mut pick = PickSink {
        name,
        target,
        depth: 0,
        top_is_object: false,
        taking: None,
        found: false,
    };
    serialize_into(value, &mut pick)?;
    match pick.found {
        true => Ok(()),
        false => pick.target.undefined(),
    }
}

/// The filter: `depth` counts the arrays and objects open in the value,
/// `taking` (the nesting inside the wanted field) is set while the wanted
/// field's value passes through to `target`.
struct PickSink<'t> {
    name: &'static str,
    target: &'t mut dyn Sink,
    depth: usize,
    top_is_object: bool,
    taking: Option<usize>,
    found: bool,
}

impl PickSink<'_> {
    /// A scalar: the wanted field's whole value when taking, else nothing.
    fn scalar(
        &mut self,
        write: impl FnOnce(&mut dyn Sink) -> Result<(), SerializeError>,
    ) -> Result<(), SerializeError> {
        match self.taking {
            Some(0) => {
                write(&mut *self.target)?;
                self.taking = None;
                self.found = true;
            }
            Some(_) => write(&mut *self.target)?,
            None => {}
        }
        Ok(())
    }

    fn begin(
        &mut self,
        object: bool,
        begin: impl FnOnce(&mut dyn Sink) -> Result<(), SerializeError>,
    ) -> Result<(), SerializeError> {
        if let Some(nesting) = self.taking {
            self.taking = Some(nesting + 1);
            return begin(&mut *self.target);
        }
        if self.depth == 0 {
            self.top_is_object = object;
        }
        self.depth += 1;
        Ok(())
    }

    fn end(
        &mut self,
        end: impl FnOnce(&mut dyn Sink) -> Result<(), SerializeError>,
    ) -> Result<(), SerializeError> {
        match self.taking {
            Some(nesting) => {
                end(&mut *self.target)?;
                self.taking = (nesting > 1).then_some(nesting - 1);
                self.found |= nesting == 1;
            }
            None => self.depth -= 1,
        }
        Ok(())
    }

    fn key(&mut self, key: &str, field: Option<&'static str>) -> Result<bool, SerializeError> {
        if self.taking.is_some() {
            return match field {
                Some(field) => self.target.field(field),
                None => self.target.key(key),
            };
        }
        // Anything but the top object's wanted entry is declined: never converted.
        let wanted = self.depth == 1 && self.top_is_object && key == self.name;
        if wanted {
            self.taking = Some(0);
        }
        Ok(wanted)
    }
}

impl Sink for PickSink<'_> {
    fn undefined(&mut self) -> Result<(), SerializeError> {
        self.scalar(|t| t.undefined())
    }
    fn null(&mut self) -> Result<(), SerializeError> {
        self.scalar(|t| t.null())
    }
    fn bool(&mut self, b: bool) -> Result<(), SerializeError> {
        self.scalar(|t| t.bool(b))
    }
    fn number(&mut self, n: f64) -> Result<(), SerializeError> {
        self.scalar(|t| t.number(n))
    }
    fn str(&mut self, text: &str) -> Result<(), SerializeError> {
        self.scalar(|t| t.str(text))
    }
    fn array_buffer(&mut self, bytes: &[u8]) -> Result<(), SerializeError> {
        self.scalar(|t| t.array_buffer(bytes))
    }
    fn date(&mut self, ms: f64) -> Result<(), SerializeError> {
        self.scalar(|t| t.date(ms))
    }
    fn function(&mut self, id: FunctionId) -> Result<(), SerializeError> {
        self.scalar(|t| t.function(id))
    }
    fn begin_array(&mut self, len: usize) -> Result<(), SerializeError> {
        self.begin(false, |t| t.begin_array(len))
    }
    fn end_array(&mut self) -> Result<(), SerializeError> {
        self.end(|t| t.end_array())
    }
    fn begin_object(&mut self, len: usize) -> Result<(), SerializeError> {
        self.begin(true, |t| t.begin_object(len))
    }
    fn key(&mut self, key: &str) -> Result<bool, SerializeError> {
        PickSink::key(self, key, None)
    }
    fn field(&mut self, key: &'static str) -> Result<bool, SerializeError> {
        PickSink::key(self, key, Some(key))
    }
    fn end_object(&mut self) -> Result<(), SerializeError> {
        self.end(|t| t.end_object())
    }
}

/// The field of a whole value: the old way, and the rule the fast way keeps.
#[cfg(test)]
fn pick(value: Value, name: &str) -> Value {
    match value {
        Value::Object(mut map) => map.shift_remove(name).unwrap_or_default(),
        _ => Value::Undefined,
    }
}

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
