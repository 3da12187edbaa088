//! Type metadata: the JSON schemas of an API's options, parameters, results and
//! event payloads, derived from the Rust types by `schemars`, and the two things
//! wx-core reads from them: WeChat-style parameter errors and `canIUse` answers.
//!
//! Schemas are generated lazily (on the first `canIUse` or the first bad call),
//! so a well-formed call never pays for them.

use crate::{FunctionId, Value};
use schemars::{generate::SchemaSettings, SchemaGenerator};
pub use schemars::{JsonSchema, Schema};
use serde_json::Value as Json;
use std::borrow::Cow;

/// Builds one schema; stored as a plain function pointer so that registry
/// entries stay `const`.
pub type SchemaFn = fn() -> Schema;

/// The schema of an input type (options, positional parameters): how it deserialises.
pub fn input<T: JsonSchema>() -> Schema {
    settings().into_generator().into_root_schema_for::<T>()
}

/// The schema of an output type (results, event payloads): how it serialises.
pub fn output<T: JsonSchema>() -> Schema {
    settings()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

fn settings() -> SchemaSettings {
    let mut settings = SchemaSettings::draft2020_12();
    // Inline sub-schemas so walking a schema rarely has to follow `$ref`
    // (only recursive types still produce one).
    settings.inline_subschemas = true;
    settings.meta_schema = None;
    settings
}

/// The schema of one property of an options type: a Sync twin's positional parameter.
pub fn input_field<T: JsonSchema>(field: &str) -> Schema {
    property_schema(input::<T>(), field)
}

/// The schema of one property of a result type: a Sync twin's return value.
pub fn output_field<T: JsonSchema>(field: &str) -> Schema {
    property_schema(output::<T>(), field)
}

/// A property's sub-schema, standing alone (anything goes if there is none).
fn property_schema(whole: Schema, field: &str) -> Schema {
    let checker = Checker {
        root: whole.as_value(),
    };
    let found = checker.property(whole.as_value(), field).cloned();
    found
        .and_then(|s| Schema::try_from(s).ok())
        .unwrap_or_else(|| Schema::from(true))
}

/// The keyword wx-core adds for JS types that JSON schema has no name for.
const JS_TYPE: &str = "x-js-type";

impl JsonSchema for Value {
    fn schema_name() -> Cow<'static, str> {
        "Any".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::from(true)
    }
}

/// The schema of a Rust type standing for a JS type JSON schema has no name for.
macro_rules! js_typed_schema {
    ($ty:ty, $js:literal) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $js.into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                schemars::json_schema!({ JS_TYPE: $js })
            }
        }
    };
}

js_typed_schema!(FunctionId, "Function");

/// Checks `value` against `schema` and describes the first mismatch as WeChat
/// does: `parameter.<path> should be <Expected> instead of <Actual>;`.
///
/// `path` is the name of the value's place (`"parameter"` for an options object,
/// `"parameter.key"` for a positional argument named `key`). `None` means the
/// value fits.
pub fn check(value: &Value, schema: &Schema, path: &str) -> Option<String> {
    Checker {
        root: schema.as_value(),
    }
    .check(value, schema.as_value(), path)
}

struct Checker<'s> {
    root: &'s Json,
}

impl<'s> Checker<'s> {
    /// Follows `$ref` pointers into the root schema.
    fn resolve(&self, mut schema: &'s Json) -> &'s Json {
        for _ in 0..32 {
            match schema.get("$ref").and_then(Json::as_str) {
                Some(pointer) => match self.root.pointer(pointer.trim_start_matches('#')) {
                    Some(target) => schema = target,
                    None => break,
                },
                None => break,
            }
        }
        schema
    }

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
            Value::Number(n) => {
                let bounded = obj.contains_key("minimum") || obj.contains_key("maximum");
                if n.is_nan() && bounded {
                    return Some(format!(
                        "{path} should be a number in range instead of NaN;"
                    ));
                }
                let integer_only = schema_types(schema).all(|t| t != "number");
                if integer_only && schema_types(schema).any(|t| t == "integer") && n.fract() != 0.0
                {
                    return Some(format!("{path} should be an integer instead of {value};"));
                }
                let bound = |key: &str| obj.get(key).and_then(Json::as_f64);
                if let Some(min) = bound("minimum").filter(|min| n < min) {
                    return Some(format!(
                        "{path} should be at least {min} instead of {value};"
                    ));
                }
                if let Some(max) = bound("maximum").filter(|max| n > max) {
                    return Some(format!(
                        "{path} should be at most {max} instead of {value};"
                    ));
                }
                None
            }
            Value::Object(map) => {
                let props = obj.get("properties").and_then(Json::as_object);
                let required: Vec<&str> = obj
                    .get("required")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_str)
                    .collect();
                // Every field the user got wrong, in declared order (serde_json keeps
                // it), one after another as WeChat reports them.
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
                if let Some(extra) = obj.get("additionalProperties").filter(|s| s.is_object()) {
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
            Value::Array(items) => {
                let each = obj.get("items").filter(|s| !s.is_array())?;
                let errors: String = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.check(item, each, &format!("{path}[{i}]")))
                    .collect();
                (!errors.is_empty()).then_some(errors)
            }
            _ => None,
        }
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

fn schema_types(schema: &Json) -> impl Iterator<Item = &str> {
    let (one, many) = match schema.get("type") {
        Some(Json::String(t)) => (Some(t.as_str()), None),
        Some(Json::Array(ts)) => (None, Some(ts.iter().filter_map(Json::as_str))),
        _ => (None, None),
    };
    one.into_iter().chain(many.into_iter().flatten())
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

/// Whether `path` (e.g. `["safeArea", "left"]` or `["method", "GET"]`) names a
/// property, a nested property or, as its last step, an enum value, in `schema`.
pub fn has_path(schema: &Schema, path: &[&str]) -> bool {
    let checker = Checker {
        root: schema.as_value(),
    };
    let mut here = schema.as_value();
    for (i, step) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match checker.property(here, step) {
            Some(next) => here = next,
            None => return last && checker.has_enum_value(here, step),
        }
    }
    true
}

impl<'s> Checker<'s> {
    /// The sub-schema of property `name`, looking through unions and intersections.
    fn property(&self, schema: &'s Json, name: &str) -> Option<&'s Json> {
        let schema = self.resolve(schema);
        if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
            return Some(found);
        }
        ["anyOf", "oneOf", "allOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Json::as_array))
            .flatten()
            .find_map(|branch| self.property(branch, name))
    }

    fn has_enum_value(&self, schema: &'s Json, value: &str) -> bool {
        let schema = self.resolve(schema);
        let listed = schema
            .get("enum")
            .and_then(Json::as_array)
            .is_some_and(|values| values.iter().any(|v| v.as_str() == Some(value)));
        listed
            || schema.get("const").and_then(Json::as_str) == Some(value)
            || ["anyOf", "oneOf"]
                .iter()
                .filter_map(|k| schema.get(*k).and_then(Json::as_array))
                .flatten()
                .any(|branch| self.has_enum_value(branch, value))
    }
}

/// A JS type as a schema describes it: the kinds of value it admits and, for
/// enums, the exact values. What [`crate::signature`] reports and typings are
/// written from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsType {
    /// `string`, `number`, `boolean`, `object`, `array`, `null`, `ArrayBuffer`,
    /// `Date`, `function`; empty means any value.
    pub kinds: std::collections::BTreeSet<&'static str>,
    /// The allowed values of an enum (as JSON text for non-strings), in order.
    pub values: Vec<String>,
    /// For arrays: the items' type.
    pub items: Option<Box<JsType>>,
}

impl JsType {
    /// Whether any value fits.
    pub fn is_any(&self) -> bool {
        self.kinds.is_empty()
    }
}

/// One property of an object schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldType {
    /// The JS name.
    pub name: String,
    /// Whether the object must have it.
    pub required: bool,
    /// Its type.
    pub ty: JsType,
}

/// The type `schema` describes.
pub fn js_type(schema: &Schema) -> JsType {
    Checker {
        root: schema.as_value(),
    }
    .js_type(schema.as_value())
}

/// The properties of an object schema, in declared order (none for other schemas).
pub fn fields(schema: &Schema) -> Vec<FieldType> {
    let checker = Checker {
        root: schema.as_value(),
    };
    let mut out = Vec::new();
    checker.collect_fields(schema.as_value(), &mut out);
    out
}

impl<'s> Checker<'s> {
    fn js_type(&self, schema: &'s Json) -> JsType {
        let schema = self.resolve(schema);
        let mut ty = JsType::default();
        if let Some(js) = schema.get(JS_TYPE).and_then(Json::as_str) {
            ty.kinds.insert(match js {
                "ArrayBuffer" => "ArrayBuffer",
                "Date" => "Date",
                "Function" => "function",
                _ => "object",
            });
            return ty;
        }
        for t in schema_types(schema) {
            ty.kinds.insert(match t {
                "string" => "string",
                "number" | "integer" => "number",
                "boolean" => "boolean",
                "array" => "array",
                "null" => "null",
                _ => "object",
            });
        }
        if ty.kinds.contains("array") {
            if let Some(items) = schema
                .get("items")
                .filter(|i| i.is_object() || i.is_boolean())
            {
                ty.items = Some(Box::new(self.js_type(items)));
            }
        }
        let mut values: Vec<&Json> = schema
            .get("enum")
            .and_then(Json::as_array)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        values.extend(schema.get("const"));
        for value in values {
            match value {
                Json::Null => {
                    ty.kinds.insert("null");
                }
                Json::String(s) => {
                    ty.kinds.insert("string");
                    ty.values.push(s.clone());
                }
                other => ty.values.push(other.to_string()),
            }
        }
        if schema.get("type").is_none() {
            for branch in ["anyOf", "oneOf"]
                .iter()
                .filter_map(|k| schema.get(*k).and_then(Json::as_array))
                .flatten()
            {
                let branch = self.js_type(branch);
                if branch.is_any() {
                    return JsType::default();
                }
                ty.kinds.extend(branch.kinds);
                ty.values.extend(branch.values);
                ty.items = ty.items.or(branch.items);
            }
        }
        ty
    }

    fn collect_fields(&self, schema: &'s Json, out: &mut Vec<FieldType>) {
        let schema = self.resolve(schema);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        for (name, sub) in schema
            .get("properties")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
            out.push(FieldType {
                name: name.clone(),
                required: required.contains(&name.as_str()),
                ty: self.js_type(sub),
            });
        }
        // Flattened structs appear as `allOf` branches.
        for branch in schema
            .get("allOf")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            self.collect_fields(branch, out);
        }
    }
}

/// The schema of a JS `ArrayBuffer`, for `#[schemars(with = "...")]` on a
/// [`Value`] field that carries one (`data: string | ArrayBuffer`).
pub struct ArrayBuffer;

js_typed_schema!(ArrayBuffer, "ArrayBuffer");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Object;
    use serde::Deserialize;

    #[allow(dead_code)]
    #[derive(Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase")]
    struct Opts {
        key: String,
        max_count: Option<u32>,
        method: Option<Method>,
        header: Option<std::collections::HashMap<String, String>>,
        list: Option<Vec<i32>>,
        inner: Option<Inner>,
        data: Value,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, JsonSchema)]
    struct Inner {
        left: f64,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, JsonSchema)]
    #[serde(rename_all = "UPPERCASE")]
    enum Method {
        Get,
        Post,
    }

    fn obj(entries: &[(&str, Value)]) -> Value {
        Value::from(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Object>(),
        )
    }

    fn err(value: Value) -> Option<String> {
        check(&value, &input::<Opts>(), "parameter")
    }

    #[test]
    fn missing_and_mistyped_fields() {
        assert_eq!(
            err(obj(&[])),
            Some("parameter.key should be String instead of Undefined;parameter.data should be Any instead of Undefined;".into())
        );
        assert_eq!(
            err(obj(&[("key", 1.into())])),
            Some("parameter.key should be String instead of Number;parameter.data should be Any instead of Undefined;".into())
        );
        assert_eq!(
            err(obj(&[("key", "k".into()), ("data", Value::Null)])),
            None
        );
        assert_eq!(
            check(&Value::from(3), &input::<Opts>(), "parameter"),
            Some("parameter should be Object instead of Number;".into())
        );
    }

    #[test]
    fn nested_enums_arrays_maps() {
        let base = [("key", Value::from("k")), ("data", Value::Null)];
        let with = |extra: (&str, Value)| {
            let mut all = base.to_vec();
            all.push(extra);
            err(obj(&all))
        };
        assert_eq!(with(("method", "GET".into())), None);
        assert_eq!(
            with(("method", "PATCH".into())),
            Some(r#"parameter.method should be one of "GET", "POST" instead of "PATCH";"#.into())
        );
        assert_eq!(
            with(("list", vec![Value::from(1), Value::from("x")].into())),
            Some("parameter.list[1] should be Number instead of String;".into())
        );
        assert_eq!(
            with(("header", obj(&[("a", true.into())]))),
            Some("parameter.header.a should be String instead of Boolean;".into())
        );
        assert_eq!(
            with(("inner", obj(&[("left", "0".into())]))),
            Some("parameter.inner.left should be Number instead of String;".into())
        );
        assert_eq!(
            with(("maxCount", 1.5.into())),
            Some("parameter.maxCount should be an integer instead of 1.5;".into())
        );
    }

    #[test]
    fn paths_for_can_i_use() {
        let schema = input::<Opts>();
        assert!(has_path(&schema, &["key"]));
        assert!(has_path(&schema, &["method", "POST"]));
        assert!(!has_path(&schema, &["method", "PATCH"]));
        assert!(has_path(&schema, &["inner", "left"]));
        assert!(!has_path(&schema, &["inner", "right"]));
        assert!(!has_path(&schema, &["nope"]));
    }
}
