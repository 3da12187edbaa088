//! Stored form of a value, with WeChat's value semantics: the top-level value
//! keeps its JS type (a `Date` comes back a `Date`, `-0` stays `-0`; no data at
//! all is stored as `""`), and everything nested is stored as `JSON.stringify`
//! would store it (a nested `Date` becomes its ISO string, `undefined` and
//! functions vanish from objects and become `null` in arrays, `NaN` and
//! `Infinity` become `null`, an `ArrayBuffer` becomes `{}`).

use serde_json::{Map, Value as Json};
use wx_core::{Object, Value, WxError};

/// The marker key of a value JSON has no form for. A user object that happens to
/// have this key is wrapped, so no stored object is ever mistaken for a marker.
const TAG: &str = "$wx";

/// Encodes `data` for storage.
pub fn encode(data: &Value) -> Result<String, WxError> {
    let json = match data {
        Value::Undefined | Value::Function(_) => Json::String(String::new()),
        Value::Date(ms) if ms.is_finite() => tagged("date", Some(Json::from(*ms))),
        Value::Number(n) if *n == 0.0 && n.is_sign_negative() => tagged("-0", None),
        other => escape(wx_core::json_stringify(other).unwrap_or(Json::Null)),
    };
    serde_json::to_string(&json).map_err(|e| WxError::internal(format!("storage encoding: {e}")))
}

/// Decodes what [`encode`] stored.
pub fn decode(text: &str) -> Result<Value, WxError> {
    let json: Json =
        serde_json::from_str(text).map_err(|_| WxError::new("stored data is corrupt"))?;
    Ok(from_json(json))
}

/// A user object that has the marker key is wrapped, so that no stored object
/// is ever mistaken for a marker when read back.
fn escape(json: Json) -> Json {
    match json {
        Json::Array(items) => Json::Array(items.into_iter().map(escape).collect()),
        Json::Object(map) => {
            let map: Map<String, Json> = map.into_iter().map(|(k, v)| (k, escape(v))).collect();
            if map.contains_key(TAG) {
                tagged("object", Some(Json::Object(map)))
            } else {
                Json::Object(map)
            }
        }
        other => other,
    }
}

fn tagged(kind: &str, value: Option<Json>) -> Json {
    let mut map = Map::new();
    map.insert(TAG.into(), Json::String(kind.into()));
    if let Some(value) = value {
        map.insert("value".into(), value);
    }
    Json::Object(map)
}

fn from_json(json: Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(b),
        Json::Number(n) => Value::Number(n.as_f64().unwrap_or_default()),
        Json::String(s) => Value::String(s),
        Json::Array(items) => Value::Array(items.into_iter().map(from_json).collect()),
        Json::Object(mut map) => match map.get(TAG).and_then(Json::as_str) {
            Some("-0") => Value::Number(-0.0),
            Some("date") => {
                Value::Date(map.get("value").and_then(Json::as_f64).unwrap_or(f64::NAN))
            }
            Some("object") => match map.remove("value") {
                Some(inner @ Json::Object(_)) => plain_object(inner),
                _ => Value::object(),
            },
            _ => plain_object(Json::Object(map)),
        },
    }
}

fn plain_object(json: Json) -> Value {
    let Json::Object(map) = json else {
        return Value::object();
    };
    Value::from(
        map.into_iter()
            .map(|(k, v)| (k, from_json(v)))
            .collect::<Object>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: Value) -> Value {
        decode(&encode(&value).unwrap()).unwrap()
    }

    #[test]
    fn the_top_level_keeps_its_type() {
        assert_eq!(round_trip(Value::Date(1.5e12)), Value::Date(1.5e12));
        let zero = round_trip(Value::Number(-0.0));
        assert!(zero.as_f64().unwrap().is_sign_negative());
        assert_eq!(round_trip(Value::Undefined), Value::from(""));
        assert_eq!(round_trip(Value::Number(f64::NAN)), Value::Null);
    }

    #[test]
    fn nested_values_are_stored_as_json_stringify_stores_them() {
        let mut inner = Object::new();
        inner.insert("$wx".into(), "looks like a marker".into());
        inner.insert("d".into(), Value::Date(0.0));
        inner.insert("gone".into(), Value::Undefined);
        inner.insert("f".into(), Value::Function(wx_core::FunctionId(1)));
        let value = Value::Array(vec![
            Value::Number(-0.0),
            Value::Number(f64::INFINITY),
            Value::Undefined,
            Value::ArrayBuffer(vec![1]),
            Value::from(inner),
        ]);
        let mut expected = Object::new();
        expected.insert("$wx".into(), "looks like a marker".into());
        expected.insert("d".into(), "1970-01-01T00:00:00.000Z".into());
        assert_eq!(
            round_trip(value),
            Value::Array(vec![
                Value::Number(0.0),
                Value::Null,
                Value::Null,
                Value::object(),
                Value::from(expected),
            ])
        );
    }
}
