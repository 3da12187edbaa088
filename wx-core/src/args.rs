//! Decoding what JS passed and encoding what an API returns; the generated code
//! calls these, so each rule lives here once.

use crate::schema::{self, JsonSchema};
use crate::{from_value_ref, to_value, Value, WxError};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A sync API's positional arguments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args(pub Vec<Value>);

impl Args {
    /// Decodes argument `index`, named `name` in errors; a missing argument is `undefined`.
    pub fn decode<T: DeserializeOwned + JsonSchema>(
        &mut self,
        index: usize,
        name: &str,
    ) -> Result<T, WxError> {
        let value = self
            .0
            .get_mut(index)
            .map(std::mem::take)
            .unwrap_or_default();
        decode_as(value, Place::Parameter(name))
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

/// Decodes an async API's options object.
pub fn decode_options<T: DeserializeOwned + JsonSchema>(options: Value) -> Result<T, WxError> {
    decode_as(options, Place::Options)
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
    let decoded: T = decode_as(value.clone(), Place::Parameter(name))?;
    crate::to_value(&decoded).map_err(|err| WxError::internal(err.to_string()))
}

/// Where a decoded value came from; spelled out only when there is an error to report.
enum Place<'a> {
    Options,
    Parameter(&'a str),
}

/// serde decides whether the value fits (the fast path); only when it does not is
/// the type's schema built to say why in WeChat's words.
fn decode_as<T: DeserializeOwned + JsonSchema>(
    value: Value,
    place: Place<'_>,
) -> Result<T, WxError> {
    from_value_ref(&value).map_err(|err| {
        let path = match place {
            Place::Options => "parameter".to_owned(),
            Place::Parameter(name) => format!("parameter.{name}"),
        };
        let detail = schema::check(&value, &schema::input::<T>(), &path)
            .unwrap_or_else(|| format!("{path}: {err};"));
        WxError::parameter(detail)
    })
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

/// Turns what an API function returned into the value JS receives.
pub fn encode<T: Serialize, E: Into<WxError>>(result: Result<T, E>) -> Result<Value, WxError> {
    let value = result.map_err(Into::into)?;
    to_value(&value).map_err(|err| WxError::internal(format!("result: {err}")))
}
