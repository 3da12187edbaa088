//! Stored form of a value: JSON text that brings every JS type storage accepts
//! back as it was (`Date`, `-0` included), and refuses what JSON cannot hold.

use serde_json::{Map, Number, Value as Json};
use wx_core::{Object, Value, WxError};

/// The marker key of a value JSON has no form for. A user object that happens to
/// have this key is wrapped, so no stored object is ever mistaken for a marker.
const TAG: &str = "$wx";

/// Encodes `data` for storage, or says (WeChat's parameter-error style) which
/// part of it JSON cannot hold.
pub fn encode(data: &Value) -> Result<String, WxError> {
    let json = to_json(data, "parameter.data")?;
    serde_json::to_string(&json).map_err(|e| WxError::internal(format!("storage encoding: {e}")))
}

/// Decodes what [`encode`] stored.
pub fn decode(text: &str) -> Result<Value, WxError> {
    let json: Json = serde_json::from_str(text)
        .map_err(|e| WxError::new(format!("stored data is corrupt: {e}")))?;
    Ok(from_json(json))
}

fn refuse(path: &str, what: &str) -> WxError {
    WxError::parameter(format!(
        "{path} should be a value JSON can hold instead of {what};"
    ))
}

fn to_json(value: &Value, path: &str) -> Result<Json, WxError> {
    Ok(match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) if *n == 0.0 && n.is_sign_negative() => tagged("-0", None),
        Value::Number(n) => match Number::from_f64(*n) {
            // Integral values are stored as integers, the way JSON.stringify writes them.
            Some(_) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => {
                Json::from(*n as i64)
            }
            Some(number) => Json::Number(number),
            None => return Err(refuse(path, &wx_core::format_number(*n))),
        },
        Value::String(s) => Json::String(s.clone()),
        Value::Date(ms) => match Number::from_f64(*ms) {
            Some(ms) => tagged("date", Some(Json::Number(ms))),
            None => return Err(refuse(path, "an invalid Date")),
        },
        Value::Array(items) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, item) in map.iter() {
                // As JSON.stringify does: a property that is undefined is not there.
                if !item.is_undefined() {
                    out.insert(key.clone(), to_json(item, &format!("{path}.{key}"))?);
                }
            }
            if out.contains_key(TAG) {
                tagged("object", Some(Json::Object(out)))
            } else {
                Json::Object(out)
            }
        }
        Value::Undefined => return Err(refuse(path, "Undefined")),
        Value::ArrayBuffer(_) => return Err(refuse(path, "ArrayBuffer")),
        Value::Function(_) => return Err(refuse(path, "Function")),
    })
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
    fn types_survive() {
        let mut inner = Object::new();
        inner.insert("$wx".into(), "looks like a marker".into());
        inner.insert("d".into(), Value::Date(1.5e12));
        let value = Value::Array(vec![
            Value::Number(-0.0),
            Value::Number(1.25),
            Value::Number(3.0),
            Value::Null,
            true.into(),
            "s".into(),
            Value::from(inner),
        ]);
        let back = round_trip(value.clone());
        assert_eq!(back, value);
        let Value::Array(items) = back else {
            unreachable!()
        };
        assert!(items[0].as_f64().unwrap().is_sign_negative());
    }

    #[test]
    fn what_json_cannot_hold_is_refused_with_its_place() {
        let mut map = Object::new();
        map.insert(
            "list".into(),
            Value::Array(vec![1.into(), Value::Number(f64::NAN)]),
        );
        let err = encode(&Value::from(map)).unwrap_err();
        assert_eq!(
            err.reason(),
            "parameter error: parameter.data.list[1] should be a value JSON can hold instead of NaN;"
        );
        let err = encode(&Value::Function(wx_core::FunctionId(1))).unwrap_err();
        assert!(err.reason().ends_with("instead of Function;"));
    }
}
