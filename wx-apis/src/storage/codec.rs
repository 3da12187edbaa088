//! Stored form of a value, with WeChat's value semantics: the top-level value
//! keeps its JS type (a `Date` comes back a `Date`, `-0` stays `-0`; no data at
//! all is stored as `""`), and everything nested is stored as `JSON.stringify`
//! would store it (a nested `Date` becomes its ISO string, `undefined` and
//! functions vanish from objects and become `null` in arrays, `NaN` and
//! `Infinity` become `null`, an `ArrayBuffer` becomes `{}`).

use serde_json::{Map, Number, Value as Json};
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
        other => to_json(other).unwrap_or(Json::Null),
    };
    serde_json::to_string(&json).map_err(|e| WxError::internal(format!("storage encoding: {e}")))
}

/// Decodes what [`encode`] stored.
pub fn decode(text: &str) -> Result<Value, WxError> {
    let json: Json =
        serde_json::from_str(text).map_err(|_| WxError::new("stored data is corrupt"))?;
    Ok(from_json(json))
}

/// A value as `JSON.stringify` writes it; `None` where it writes nothing
/// (`undefined`, functions), which objects skip and arrays write as `null`.
fn to_json(value: &Value) -> Option<Json> {
    Some(match value {
        Value::Undefined | Value::Function(_) => return None,
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => number(*n),
        Value::String(s) => Json::String(s.clone()),
        // Date.prototype.toJSON: the ISO string, or null for an invalid date.
        Value::Date(ms) => iso_string(*ms).map_or(Json::Null, Json::String),
        Value::ArrayBuffer(_) => Json::Object(Map::new()),
        Value::Array(items) => Json::Array(
            items
                .iter()
                .map(|item| to_json(item).unwrap_or(Json::Null))
                .collect(),
        ),
        Value::Object(map) => {
            let out: Map<String, Json> = map
                .iter()
                .filter_map(|(key, item)| Some((key.clone(), to_json(item)?)))
                .collect();
            if out.contains_key(TAG) {
                tagged("object", Some(Json::Object(out)))
            } else {
                Json::Object(out)
            }
        }
    })
}

/// A number as JSON.stringify writes it: `NaN` and `Infinity` as `null`, `-0` as
/// `0`, integral values as integers.
fn number(n: f64) -> Json {
    if !n.is_finite() {
        return Json::Null;
    }
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return Json::from(n as i64);
    }
    Number::from_f64(n).map_or(Json::Null, Json::Number)
}

/// `Date.prototype.toISOString`: `2024-05-01T12:00:00.000Z` (six-digit signed
/// years outside 0..=9999); `None` for an invalid date.
fn iso_string(ms: f64) -> Option<String> {
    if !ms.is_finite() || ms.abs() > 8.64e15 {
        return None;
    }
    let ms = ms.trunc() as i64;
    let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let year = match year {
        0..=9999 => format!("{year:04}"),
        _ if year < 0 => format!("-{:06}", -year),
        _ => format!("+{year:06}"),
    };
    let (h, m, s, milli) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    Some(format!(
        "{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z"
    ))
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

    #[test]
    fn iso_strings_match_javascript() {
        assert_eq!(iso_string(0.0).unwrap(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso_string(951_782_400_123.0).unwrap(),
            "2000-02-29T00:00:00.123Z"
        );
        assert_eq!(iso_string(-1.0).unwrap(), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso_string(8.64e15).unwrap(), "+275760-09-13T00:00:00.000Z");
        assert_eq!(
            iso_string(-62_198_755_200_000.0).unwrap(),
            "-000001-01-01T00:00:00.000Z"
        );
        assert_eq!(iso_string(f64::NAN), None);
    }
}
