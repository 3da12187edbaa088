//! `JSON.stringify` for [`Value`]s: what WeChat's bridge and storage do with
//! data that crosses to native code. One owner for the rule everywhere it
//! applies (request bodies, form and header values, nested storage values).

use super::Value;
use serde_json::{Map, Number, Value as Json};

/// `value` as `JSON.stringify(value)` gives it, as JSON data; `None` where it
/// gives `undefined` (`undefined` itself, functions). Dates become their ISO
/// string, `NaN` and `Infinity` become `null`, `-0` becomes `0`, an
/// `ArrayBuffer` becomes `{}`; in objects, members that give `undefined` are
/// left out, and in arrays they become `null`.
///
/// ```
/// use wx_core::{json_stringify, Value};
/// let v = Value::Array(vec![Value::Number(f64::NAN), Value::Undefined, Value::Date(0.0)]);
/// assert_eq!(json_stringify(&v).unwrap().to_string(), r#"[null,null,"1970-01-01T00:00:00.000Z"]"#);
/// ```
pub fn json_stringify(value: &Value) -> Option<Json> {
    to_json(value)
}

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
            Json::Object(out)
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
pub(crate) fn iso_string(ms: f64) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
