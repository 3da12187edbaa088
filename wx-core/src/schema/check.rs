//! WeChat-style parameter errors: what a value's mismatch with its schema looks
//! like in WeChat's words (`parameter.key should be String instead of Number;`),
//! one function per kind of check. Built only when a decode has already failed,
//! so a good call never pays for it.

use super::{schema_types, Walker, JS_TYPE};
use crate::Value;
use schemars::Schema;
use serde_json::Value as Json;

/// Checks `value` against `schema` and describes the first mismatch as WeChat
/// does: `parameter.<path> should be <Expected> instead of <Actual>;`.
///
/// `path` is the name of the value's place (`"parameter"` for an options object,
/// `"parameter.key"` for a positional argument named `key`). `None` means the
/// value fits.
pub fn check(value: &Value, schema: &Schema, path: &str) -> Option<String> {
    Walker {
        root: schema.as_value(),
    }
    .check(value, schema.as_value(), path)
}

impl<'s> Walker<'s> {
    fn check(&self, value: &Value, schema: &'s Json, path: &str) -> Option<String> {
        let schema = self.resolve(schema);
        let Some(obj) = schema.as_object() else {
            return match schema.as_bool() {
                Some(false) => Some(format!("{path} is not allowed;")),
                _ => None,
            };
        };
        let mismatch = || {
            Some(format!(
                "{path} should be {} instead of {};",
                self.expected(schema),
                value.js_type_name()
            ))
        };
        if let Some(js) = obj.get(JS_TYPE).and_then(Json::as_str) {
            return if value.js_type_name() == js {
                None
            } else {
                mismatch()
            };
        }
        if let Some(branches) = obj
            .get("anyOf")
            .or_else(|| obj.get("oneOf"))
            .and_then(Json::as_array)
        {
            if branches
                .iter()
                .all(|b| self.check(value, b, path).is_some())
            {
                // One branch of the right JS type explains better than the union.
                let typed: Vec<_> = branches
                    .iter()
                    .filter(|b| self.admits_type(value, b))
                    .collect();
                return match typed.as_slice() {
                    [only] => self.check(value, only, path),
                    _ => mismatch(),
                };
            }
        }
        if let Some(all) = obj.get("allOf").and_then(Json::as_array) {
            if let Some(err) = all.iter().find_map(|s| self.check(value, s, path)) {
                return Some(err);
            }
        }
        if !self.admits_type(value, schema) {
            return mismatch();
        }
        if let Some(allowed) = obj.get("enum").and_then(Json::as_array) {
            if !allowed.iter().any(|a| json_eq(a, value)) {
                return Some(format!(
                    "{path} should be one of {} instead of {};",
                    allowed
                        .iter()
                        .filter(|a| !a.is_null())
                        .map(Json::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    shown(value)
                ));
            }
        }
        if let Some(constant) = obj.get("const") {
            if !json_eq(constant, value) {
                return Some(format!(
                    "{path} should be {constant} instead of {};",
                    shown(value)
                ));
            }
        }
        match value {
            Value::Number(n) => self.check_number(*n, schema, path),
            Value::Object(map) => self.check_object(map, schema, path),
            Value::Array(items) => self.check_array(items, schema, path),
            _ => None,
        }
    }

    /// A number against its schema's integer and range rules.
    fn check_number(&self, n: f64, schema: &'s Json, path: &str) -> Option<String> {
        let value = crate::format_number(n);
        let bound = |key: &str| schema.get(key).and_then(Json::as_f64);
        let bounded = bound("minimum").is_some() || bound("maximum").is_some();
        if n.is_nan() && bounded {
            return Some(format!(
                "{path} should be a number in range instead of NaN;"
            ));
        }
        let integer_only = schema_types(schema).all(|t| t != "number");
        if integer_only && schema_types(schema).any(|t| t == "integer") && n.fract() != 0.0 {
            return Some(format!("{path} should be an integer instead of {value};"));
        }
        if let Some(min) = bound("minimum").filter(|min| n < *min) {
            return Some(format!(
                "{path} should be at least {min} instead of {value};"
            ));
        }
        if let Some(max) = bound("maximum").filter(|max| n > *max) {
            return Some(format!(
                "{path} should be at most {max} instead of {value};"
            ));
        }
        None
    }

    /// An object against its schema: every field the user got wrong, in declared
    /// order (serde_json keeps it), one after another as WeChat reports them.
    fn check_object(&self, map: &crate::Object, schema: &'s Json, path: &str) -> Option<String> {
        let props = schema.get("properties").and_then(Json::as_object);
        let required = super::required(schema);
        let mut errors = String::new();
        for (name, sub) in props.into_iter().flatten() {
            let present = map.get(name).is_some_and(|v| !v.is_undefined());
            if !present && required.contains(&name.as_str()) {
                errors.push_str(&format!(
                    "{path}.{name} should be {} instead of Undefined;",
                    self.expected(sub)
                ));
            } else if let Some(err) = map
                .get(name)
                .and_then(|v| self.check(v, sub, &format!("{path}.{name}")))
            {
                errors.push_str(&err);
            }
        }
        if let Some(extra) = schema.get("additionalProperties").filter(|s| s.is_object()) {
            for (key, item) in map.iter() {
                let declared = props.is_some_and(|p| p.contains_key(key.as_str()));
                if declared || item.is_undefined() {
                    continue;
                }
                let key = crate::brief(key, NAME_CHARS);
                if let Some(err) = self.check(item, extra, &format!("{path}.{key}")) {
                    errors.push_str(&err);
                }
            }
        }
        (!errors.is_empty()).then_some(errors)
    }

    /// An array against its items' schema, item by item.
    fn check_array(&self, items: &[Value], schema: &'s Json, path: &str) -> Option<String> {
        let each = schema.get("items").filter(|s| !s.is_array())?;
        let errors: String = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.check(item, each, &format!("{path}[{i}]")))
            .collect();
        (!errors.is_empty()).then_some(errors)
    }

    /// Whether the value's JS type is one the schema's `type` allows (or the schema sets none).
    fn admits_type(&self, value: &Value, schema: &'s Json) -> bool {
        let schema = self.resolve(schema);
        if let Some(js) = schema.get(JS_TYPE).and_then(Json::as_str) {
            return value.js_type_name() == js;
        }
        if schema.get("type").is_none() {
            if let Some(branches) = schema
                .get("anyOf")
                .or_else(|| schema.get("oneOf"))
                .and_then(Json::as_array)
            {
                return branches.iter().any(|b| self.admits_type(value, b));
            }
            return true;
        }
        schema_types(schema).any(|t| match t {
            "string" => matches!(value, Value::String(_)),
            "number" | "integer" => matches!(value, Value::Number(_)),
            "boolean" => matches!(value, Value::Bool(_)),
            "object" => matches!(value, Value::Object(_)),
            "array" => matches!(value, Value::Array(_)),
            "null" => matches!(value, Value::Null),
            _ => true,
        })
    }

    /// The JS type names a schema accepts, as WeChat writes them (`String`, `Number/String`).
    fn expected(&self, schema: &'s Json) -> String {
        let mut names: Vec<&str> = Vec::new();
        self.collect_expected(schema, &mut names);
        // `Option<T>` admits null, but WeChat names the type the field is for.
        if names.len() > 1 {
            names.retain(|n| *n != "Null");
        }
        if names.is_empty() {
            return "Any".into();
        }
        names.join("/")
    }

    fn collect_expected(&self, schema: &'s Json, names: &mut Vec<&'s str>) {
        let schema = self.resolve(schema);
        let mut push = |name: &'s str| {
            if !names.contains(&name) {
                names.push(name);
            }
        };
        if let Some(js) = schema.get(JS_TYPE).and_then(Json::as_str) {
            push(js);
            return;
        }
        for t in schema_types(schema) {
            push(match t {
                "string" => "String",
                "number" | "integer" => "Number",
                "boolean" => "Boolean",
                "object" => "Object",
                "array" => "Array",
                "null" => "Null",
                other => other,
            });
        }
        if schema.get("type").is_none() {
            for branch in schema
                .get("anyOf")
                .or_else(|| schema.get("oneOf"))
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                self.collect_expected(branch, names);
            }
            let values = schema.get("enum").and_then(Json::as_array);
            if values.is_some_and(|v| v.iter().all(Json::is_string)) && !names.contains(&"String") {
                names.push("String");
            }
        }
    }
}

/// How many characters of a user's value or key an error message quotes.
const VALUE_CHARS: usize = 64;
const NAME_CHARS: usize = 64;

/// A value as an error message quotes it: briefly.
fn shown(value: &Value) -> std::borrow::Cow<'static, str> {
    std::borrow::Cow::Owned(crate::brief(&value.to_string(), VALUE_CHARS).into_owned())
}

fn json_eq(json: &Json, value: &Value) -> bool {
    match (json, value) {
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(a), Value::Number(b)) => a.as_f64() == Some(*b),
        (Json::Null, Value::Null) => true,
        _ => false,
    }
}
