//! Decoding what JS passed and encoding what an API returns; the generated code
//! calls these, so each rule lives here once.

mod fields;

use crate::schema::{self, JsonSchema};
pub use crate::value::lend::{ArgSource, Field, Lent};
use crate::value::sink::Sink;
use crate::{from_value_ref, Value, WxError};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A sync API's positional arguments: `Value`s a Rust host built, or a host's
/// own [`ArgSource`], read in place (a JS engine lends its strings without a copy).
pub struct Args<'a>(Source<'a>);

enum Source<'a> {
    Values(Vec<Value>),
    Lent(&'a mut dyn ArgSource),
}

impl From<Vec<Value>> for Args<'static> {
    fn from(values: Vec<Value>) -> Self {
        Args(Source::Values(values))
    }
}

impl<'a> Args<'a> {
    /// Arguments read from a host's own values.
    pub fn lent(source: &'a mut dyn ArgSource) -> Self {
        Args(Source::Lent(source))
    }

    /// How many arguments the call was given.
    pub fn len(&self) -> usize {
        match &self.0 {
            Source::Values(values) => values.len(),
            Source::Lent(source) => source.len(),
        }
    }

    /// Whether the call was given no argument.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Argument `index` as a `Value` (`undefined` past the end), taken out.
    pub fn take(&mut self, index: usize) -> Result<Value, WxError> {
        ArgSource::value(self, index).map_err(WxError::parameter)
    }

    /// Decodes argument `index`, named `name` in errors; a missing argument is
    /// `undefined`. `schema` is the parameter's schema (the generated code
    /// names it once, for this and for the signature), built only to explain a failure.
    pub fn decode<T: DeserializeOwned>(
        &mut self,
        index: usize,
        name: &str,
        schema: schema::SchemaFn,
    ) -> Result<T, WxError> {
        // Read in place; on any failure, decode the converted value again (the
        // same rules, so the same outcome) to explain it.
        let decoded = match &mut self.0 {
            Source::Lent(source) => match source.lend(index) {
                Some(Lent::Str(text)) => T::deserialize(crate::value::de::Text::Lent(text)).ok(),
                Some(Lent::Primitive(value)) => T::deserialize(&value).ok(),
                Some(Lent::Function(id)) => T::deserialize(&Value::Function(id)).ok(),
                // An object: a struct reads its declared fields where they are.
                None => T::deserialize(fields::LentFields::new(&mut **source, index)).ok(),
            },
            // A Rust host's value, read where it is (missing: `undefined`).
            Source::Values(values) => {
                T::deserialize(values.get(index).unwrap_or(&Value::Undefined)).ok()
            }
        };
        if let Some(decoded) = decoded {
            return Ok(decoded);
        }
        self.decode_converted(index, name, schema)
    }

    /// [`Args::decode`]'s other road: argument `index` converted whole, then
    /// decoded (kept out of line: the road read in place is the common one).
    #[inline(never)]
    fn decode_converted<T: DeserializeOwned>(
        &mut self,
        index: usize,
        name: &str,
        schema: schema::SchemaFn,
    ) -> Result<T, WxError> {
        decode_as(self.take(index)?, Place::Parameter(name), schema)
    }

    /// Decodes argument 0 as an async API's options object (`schema` as in
    /// [`Args::decode`]): a struct's declared fields are read where the host
    /// holds them, anything else through the converted value, whose errors
    /// speak of `parameter.<field>`.
    pub fn options<T: DeserializeOwned>(&mut self, schema: schema::SchemaFn) -> Result<T, WxError> {
        if let Source::Lent(source) = &mut self.0 {
            if let Ok(decoded) = T::deserialize(fields::LentFields::new(&mut **source, 0)) {
                return Ok(decoded);
            }
        }
        decode_options(self.take(0)?, schema)
    }

    /// One error naming every argument that failed to decode, in order, the way
    /// WeChat lists them (`parameter.a should be …;parameter.b should be …;`).
    pub fn errors(failures: impl IntoIterator<Item = Option<WxError>>) -> WxError {
        let details: String = failures
            .into_iter()
            .flatten()
            .map(|err| {
                err.reason()
                    .strip_prefix("parameter error: ")
                    .unwrap_or(err.reason())
                    .to_owned()
            })
            .collect();
        WxError::parameter(details)
    }
}

/// Arguments are a source too: what an adapter over a call's arguments (a Sync
/// twin's positional arguments read as options) reads from. A Rust host's
/// `Value`s lend their strings and primitives, and are taken out when asked for whole.
impl ArgSource for Args<'_> {
    fn len(&self) -> usize {
        Args::len(self)
    }

    fn lend(&mut self, index: usize) -> Option<Lent<'_>> {
        match &mut self.0 {
            Source::Values(values) => match values.get(index) {
                None => Some(Lent::Primitive(Value::Undefined)),
                Some(Value::String(text)) => Some(Lent::Str(text)),
                Some(Value::Function(id)) => Some(Lent::Function(*id)),
                Some(
                    value @ (Value::Undefined | Value::Null | Value::Bool(_) | Value::Number(_)),
                ) => Some(Lent::Primitive(value.clone())),
                Some(_) => None,
            },
            Source::Lent(source) => source.lend(index),
        }
    }

    fn value(&mut self, index: usize) -> Result<Value, String> {
        match &mut self.0 {
            Source::Values(values) => Ok(values
                .get_mut(index)
                .map(std::mem::take)
                .unwrap_or_default()),
            Source::Lent(source) => source.value(index),
        }
    }

    fn lend_field(&mut self, index: usize, key: &'static str) -> Field<'_> {
        match &mut self.0 {
            Source::Values(_) => Field::NotLent,
            Source::Lent(source) => source.lend_field(index, key),
        }
    }
}

/// Decodes an async API's options object (`schema` as in [`Args::decode`]).
pub fn decode_options<T: DeserializeOwned>(
    options: Value,
    schema: schema::SchemaFn,
) -> Result<T, WxError> {
    decode_as(options, Place::Options, schema)
}

/// An API's own check of a value assigned to a property (`check = check_src`).
pub type PropertyCheck = fn(&Value) -> Result<(), WxError>;

/// A value assigned to a property `name` from JS, as its declaration has it:
/// the API's own `check` first (WeChat's setters check before anything else),
/// then decoded as a `T` and encoded back (so JS reads what Rust would store).
pub fn assign_property<T: DeserializeOwned + JsonSchema + serde::Serialize>(
    value: &Value,
    name: &str,
    check: Option<PropertyCheck>,
) -> Result<Value, WxError> {
    if let Some(check) = check {
        check(value)?;
    }
    let decoded: T = decode_as(value.clone(), Place::Parameter(name), schema::input::<T>)?;
    crate::to_value(&decoded).map_err(|err| WxError::internal(err.to_string()))
}

/// Where a decoded value came from; spelled out only when there is an error to report.
enum Place<'a> {
    Options,
    Parameter(&'a str),
}

/// serde decides whether the value fits (the fast path); only when it does not is
/// the type's schema built to say why in WeChat's words.
fn decode_as<T: DeserializeOwned>(
    value: Value,
    place: Place<'_>,
    schema: schema::SchemaFn,
) -> Result<T, WxError> {
    match from_value_ref(&value) {
        Ok(decoded) => Ok(decoded),
        Err(err) => Err(explain(&value, &err, place, schema)),
    }
}

/// Why `value` did not decode, in WeChat's words where the schema finds them,
/// else serde's (not generic: one copy for every type decoded).
#[cold]
fn explain(
    value: &Value,
    err: &crate::DecodeError,
    place: Place<'_>,
    schema: schema::SchemaFn,
) -> WxError {
    let path = match place {
        Place::Options => "parameter".to_owned(),
        Place::Parameter(name) => format!("parameter.{name}"),
    };
    let detail =
        schema::check(value, &schema(), &path).unwrap_or_else(|| format!("{path}: {err};"));
    WxError::parameter(detail)
}

/// Any JS value, documented (in schemas, `canIUse`, typings) as a `T`: for an API
/// that handles a wrongly typed argument its own way, as WeChat does where it
/// does not throw (`wx.getStorageSync(1)` gives `undefined`; `wx.canIUse(1)`
/// throws its own message).
pub struct Loose<T> {
    /// What JS passed.
    pub value: Value,
    of: std::marker::PhantomData<fn() -> T>,
}

impl<T> Loose<T> {
    /// Wraps a value.
    pub fn new(value: Value) -> Self {
        Loose {
            value,
            of: std::marker::PhantomData,
        }
    }
}

/// An absent value: `undefined`.
impl<T> Default for Loose<T> {
    fn default() -> Self {
        Loose::new(Value::Undefined)
    }
}

impl<T> std::fmt::Debug for Loose<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<'de, T> serde::Deserialize<'de> for Loose<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Loose::new)
    }
}

impl<T: JsonSchema> JsonSchema for Loose<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// A time in milliseconds as an option gives it (`timeout: 5000`): a finite
/// number from 0 to 2147483647 (what a JS timer accepts). Anything else
/// (`Infinity`, `NaN`, `-1`, `1e300`) is a parameter error, never a panic.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Millis(f64);

impl Millis {
    /// The largest time accepted: 2^31 − 1 ms, about 24.8 days.
    pub const MAX: f64 = 2_147_483_647.0;

    /// A time, if it is in range.
    pub fn new(ms: f64) -> Option<Millis> {
        (ms.is_finite() && (0.0..=Millis::MAX).contains(&ms)).then_some(Millis(ms))
    }

    /// The number of milliseconds.
    pub fn get(self) -> f64 {
        self.0
    }

    /// As a `Duration`.
    pub fn duration(self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.0 / 1000.0)
    }
}

impl<'de> serde::Deserialize<'de> for Millis {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ms = f64::deserialize(deserializer)?;
        Millis::new(ms).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "a time in milliseconds from 0 to {}",
                Millis::MAX
            ))
        })
    }
}

impl JsonSchema for Millis {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Millis".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "minimum": 0, "maximum": Millis::MAX })
    }
}

/// Turns what an async API function returned into what its call settles
/// with: the value JS receives, [`Encoded`](crate::Encoded) where the call
/// ran (its serialization's errors and panics are the call's).
pub fn encode<T: Serialize, E: Into<WxError>>(
    result: Result<T, E>,
) -> Result<crate::Encoded, WxError> {
    let value = result.map_err(Into::into)?;
    crate::Encoded::of(&value).map_err(unencodable)
}

/// A result its own `Serialize` refused: the call fails with why.
fn unencodable(err: crate::SerializeError) -> WxError {
    WxError::internal(format!("result: {err}"))
}

/// [`encode_into`] for a Sync twin that returns one field of its async
/// form's result (`getStorageSync` gives `getStorage`'s `data`): that field
/// alone, converted as the whole result's would be, without converting the
/// rest (`undefined` if the result has no such field).
pub fn encode_field_into<T: Serialize, E: Into<WxError>>(
    result: Result<T, E>,
    out: &mut dyn Sink,
    field: &'static str,
) -> Result<(), WxError> {
    let value = result.map_err(Into::into)?;
    crate::value::pick::write_field(&value, field, out).map_err(unencodable)
}

/// Writes what a sync API function returned into `out`, the host's own
/// value made as it is serialized (a Rust host's is a [`Value`]), by the one
/// encoding ([`serialize_into`](crate::serialize_into)).
pub fn encode_into<T: Serialize, E: Into<WxError>>(
    result: Result<T, E>,
    out: &mut dyn Sink,
) -> Result<(), WxError> {
    let value = result.map_err(Into::into)?;
    crate::value::sink::serialize_into(&value, out).map_err(unencodable)
}
