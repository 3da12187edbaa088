//! [`Encoded`]: a result written once by the one encoding
//! ([`serialize_into`]) as the calls a [`Sink`] receives, kept flat (one list
//! of steps, one buffer of text, one of bytes), so it crosses from a tokio
//! worker to the JS thread as three allocations, and a host replays it into
//! its own values there. What an async call settles with: the worker pays
//! for the serialization, with its errors and panics where the call runs,
//! and no `Value` tree is made and dropped on the way.

use super::ser::SerializeError;
use super::sink::{serialize_into, Sink, ValueSink};
use super::{FunctionId, Object, Value};
use serde::Serialize;

/// A value as the sequence of [`Sink`] calls that writes it (see the module).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Encoded {
    steps: Vec<Step>,
    text: String,
    bytes: Vec<u8>,
}

/// One [`Sink`] call; strings and bytes are ranges of the shared buffers.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    Str(usize, usize),
    ArrayBuffer(usize, usize),
    Date(f64),
    Function(FunctionId),
    BeginArray(usize),
    EndArray,
    BeginObject(usize),
    Key(usize, usize),
    Field(&'static str),
    EndObject,
}

impl Encoded {
    /// `value` encoded. Fails as [`to_value`](crate::to_value) would.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<Encoded, SerializeError> {
        let mut encoded = Encoded::default();
        serialize_into(value, &mut encoded)?;
        Ok(encoded)
    }

    /// Writes the value into `sink`, as [`serialize_into`] wrote it here.
    pub fn replay(&self, sink: &mut dyn Sink) -> Result<(), SerializeError> {
        self.replay_steps(&self.steps, sink)
    }

    /// The value, as [`to_value`](crate::to_value) makes it.
    pub fn to_value(&self) -> Value {
        let mut sink = ValueSink::default();
        // A `ValueSink` refuses nothing a serializer wrote.
        let _ = self.replay(&mut sink);
        sink.finish()
    }

    /// What JS's type of the value is called in WeChat's messages (see
    /// [`Value::js_type_name`]), read from its first step.
    pub fn js_type_name(&self) -> &'static str {
        match self.steps.first() {
            None | Some(Step::Undefined) => "Undefined",
            Some(Step::Null) => "Null",
            Some(Step::Bool(_)) => "Boolean",
            Some(Step::Number(_)) => "Number",
            Some(Step::Str(..)) => "String",
            Some(Step::ArrayBuffer(..)) => "ArrayBuffer",
            Some(Step::Date(_)) => "Date",
            Some(Step::Function(_)) => "Function",
            Some(Step::BeginArray(_)) => "Array",
            Some(Step::BeginObject(_)) => "Object",
            Some(Step::EndArray | Step::EndObject | Step::Key(..) | Step::Field(_)) => "Undefined",
        }
    }

    /// For an object: how many entries it was said to have (a hint), and the
    /// steps of its entries; `None` for anything else.
    fn entries(&self) -> Option<(usize, &[Step])> {
        match self.steps.as_slice() {
            [Step::BeginObject(len), inner @ .., Step::EndObject] => Some((*len, inner)),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub(crate) fn is_object(&self) -> bool {
        self.entries().is_some()
    }

    /// Whether this is nothing: `undefined` or `null`.
    pub(crate) fn is_nothing(&self) -> bool {
        matches!(self.steps.as_slice(), [] | [Step::Undefined] | [Step::Null])
    }

    /// How many entries an object says it has (0 for anything else).
    pub fn len_hint(&self) -> usize {
        self.entries().map_or(0, |(len, _)| len)
    }

    /// An object's entries written into `sink` as keys and values, into an
    /// object the caller has begun (nothing for anything but an object).
    pub fn replay_entries(&self, sink: &mut dyn Sink) -> Result<(), SerializeError> {
        match self.entries() {
            Some((_, inner)) => self.replay_steps(inner, sink),
            None => Ok(()),
        }
    }

    /// An object's entries as an [`Object`] (empty for anything else).
    pub fn to_object(&self) -> Object {
        match self.to_value() {
            Value::Object(map) => *map,
            _ => Object::new(),
        }
    }

    fn replay_steps(&self, steps: &[Step], sink: &mut dyn Sink) -> Result<(), SerializeError> {
        let mut at = 0;
        while let Some(step) = steps.get(at) {
            at += 1;
            match *step {
                Step::Undefined => sink.undefined()?,
                Step::Null => sink.null()?,
                Step::Bool(b) => sink.bool(b)?,
                Step::Number(n) => sink.number(n)?,
                Step::Str(from, len) => sink.str(&self.text[from..from + len])?,
                Step::ArrayBuffer(from, len) => sink.array_buffer(&self.bytes[from..from + len])?,
                Step::Date(ms) => sink.date(ms)?,
                Step::Function(id) => sink.function(id)?,
                Step::BeginArray(len) => sink.begin_array(len)?,
                Step::EndArray => sink.end_array()?,
                Step::BeginObject(len) => sink.begin_object(len)?,
                Step::Key(from, len) => {
                    if !sink.key(&self.text[from..from + len])? {
                        at = skip_value(steps, at);
                    }
                }
                Step::Field(name) => {
                    if !sink.field(name)? {
                        at = skip_value(steps, at);
                    }
                }
                Step::EndObject => sink.end_object()?,
            }
        }
        Ok(())
    }

    /// Room for the `at_least` steps a container's length promises, plus its
    /// own two, so a result of many entries grows its list once or twice
    /// instead of once per doubling. The promise is the serializer's and may
    /// be anything: what is reserved ahead is bounded.
    fn reserve_steps(&mut self, at_least: usize) {
        const MAX_AHEAD: usize = 1024;
        self.steps.reserve(at_least.min(MAX_AHEAD) + 2);
    }

    fn push_text(&mut self, text: &str) -> (usize, usize) {
        // A value with text mostly has several strings and keys: one
        // allocation for the first few rather than a doubling per string.
        if self.text.capacity() == 0 {
            self.text.reserve(text.len().max(128));
        }
        let at = self.text.len();
        self.text.push_str(text);
        (at, text.len())
    }
}

/// Recording: each call becomes a step.
impl Sink for Encoded {
    fn undefined(&mut self) -> Result<(), SerializeError> {
        // No steps at all is `undefined` already: what most async calls
        // settle with (`()`) allocates nothing.
        if !self.steps.is_empty() {
            self.steps.push(Step::Undefined);
        }
        Ok(())
    }
    fn null(&mut self) -> Result<(), SerializeError> {
        self.steps.push(Step::Null);
        Ok(())
    }
    fn bool(&mut self, b: bool) -> Result<(), SerializeError> {
        self.steps.push(Step::Bool(b));
        Ok(())
    }
    fn number(&mut self, n: f64) -> Result<(), SerializeError> {
        self.steps.push(Step::Number(n));
        Ok(())
    }
    fn str(&mut self, text: &str) -> Result<(), SerializeError> {
        let (at, len) = self.push_text(text);
        self.steps.push(Step::Str(at, len));
        Ok(())
    }
    fn array_buffer(&mut self, bytes: &[u8]) -> Result<(), SerializeError> {
        let at = self.bytes.len();
        self.bytes.extend_from_slice(bytes);
        self.steps.push(Step::ArrayBuffer(at, bytes.len()));
        Ok(())
    }
    fn date(&mut self, ms: f64) -> Result<(), SerializeError> {
        self.steps.push(Step::Date(ms));
        Ok(())
    }
    fn function(&mut self, id: FunctionId) -> Result<(), SerializeError> {
        self.steps.push(Step::Function(id));
        Ok(())
    }
    fn begin_array(&mut self, len: usize) -> Result<(), SerializeError> {
        self.reserve_steps(len);
        self.steps.push(Step::BeginArray(len));
        Ok(())
    }
    fn end_array(&mut self) -> Result<(), SerializeError> {
        self.steps.push(Step::EndArray);
        Ok(())
    }
    fn begin_object(&mut self, len: usize) -> Result<(), SerializeError> {
        // A key and a value per entry, at least.
        self.reserve_steps(len.saturating_mul(2));
        self.steps.push(Step::BeginObject(len));
        Ok(())
    }
    fn key(&mut self, key: &str) -> Result<bool, SerializeError> {
        let (at, len) = self.push_text(key);
        self.steps.push(Step::Key(at, len));
        Ok(true)
    }
    fn field(&mut self, key: &'static str) -> Result<bool, SerializeError> {
        self.steps.push(Step::Field(key));
        Ok(true)
    }
    fn end_object(&mut self) -> Result<(), SerializeError> {
        self.steps.push(Step::EndObject);
        Ok(())
    }
}

/// Where the value that starts at `at` ends: a declined entry's value is
/// passed over, as the writer passes over one.
fn skip_value(steps: &[Step], mut at: usize) -> usize {
    let mut depth = 0usize;
    while let Some(step) = steps.get(at) {
        at += 1;
        match step {
            Step::BeginArray(_) | Step::BeginObject(_) => depth += 1,
            Step::EndArray | Step::EndObject => depth -= 1,
            Step::Key(..) | Step::Field(_) => continue,
            _ => {}
        }
        if depth == 0 {
            break;
        }
    }
    at
}

impl From<&Value> for Encoded {
    fn from(value: &Value) -> Encoded {
        // A `Value` always serializes: its map keys are strings.
        Encoded::of(value).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::to_value;

    #[derive(Serialize)]
    struct Result {
        #[serde(rename = "statusCode")]
        status: u16,
        data: Vec<Option<String>>,
        header: std::collections::BTreeMap<String, String>,
        bytes: serde_bytes_like::Bytes,
        kind: Kind,
    }

    #[derive(Serialize)]
    enum Kind {
        Named { at: f64 },
    }

    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    #[test]
    fn replayed_it_is_what_to_value_makes() {
        let result = Result {
            status: 200,
            data: vec![Some("a".into()), None],
            header: [("Content-Type".to_owned(), "text/plain".to_owned())].into(),
            bytes: serde_bytes_like::Bytes(vec![1, 2, 3]),
            kind: Kind::Named { at: -0.0 },
        };
        let encoded = Encoded::of(&result).unwrap();
        assert_eq!(encoded.to_value(), to_value(&result).unwrap());
        assert_eq!(encoded.len_hint(), 5);
        assert!(encoded.is_object() && !encoded.is_nothing());
        let mut entries = ValueSink::default();
        entries.begin_object(0).unwrap();
        encoded.replay_entries(&mut entries).unwrap();
        entries.end_object().unwrap();
        assert_eq!(entries.finish(), to_value(&result).unwrap());
        for (value, name) in [
            (Value::Date(1.0), "Date"),
            (Value::Array(vec![]), "Array"),
            (Value::String("s".into()), "String"),
            (Value::Undefined, "Undefined"),
        ] {
            let encoded = Encoded::from(&value);
            assert_eq!(encoded.js_type_name(), name);
            assert_eq!(encoded.to_value(), value);
            assert_eq!(encoded.to_object(), Object::new());
            assert!(!encoded.is_object());
            assert_eq!(encoded.is_nothing(), name == "Undefined");
        }
    }
}
