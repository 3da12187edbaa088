//! Type descriptions: the JS type a schema describes ([`JsType`]) and the fields
//! of an object schema ([`FieldType`]), for signatures and typings. Read-only:
//! it never judges a value (that is `check`'s).

use super::{schema_types, Walker, JS_TYPE};
use schemars::Schema;
use serde_json::Value as Json;

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
    /// For objects with declared properties (a nested struct): its fields, in
    /// order; empty for maps and free-form objects (`IAnyObject`).
    pub fields: Vec<FieldType>,
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

/// How deep nested structs are spelled out; deeper (or recursive) ones are
/// `IAnyObject`.
const MAX_NESTING: usize = 4;

impl FieldType {
    /// TypeScript's key of the property: `name`, `name?`, `'x-y'?`.
    pub fn key(&self) -> String {
        let plain = self
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        let optional = if self.required { "" } else { "?" };
        match plain {
            true => format!("{}{optional}", self.name),
            false => {
                let quoted = self.name.replace('\\', "\\\\").replace('\'', "\\'");
                format!("'{quoted}'{optional}")
            }
        }
    }

    /// The property's type as TypeScript declares it. An optional property is
    /// already `T | undefined`; Rust's `Option` also admits `null`, which
    /// WeChat's typings never list, so it is left out there.
    pub fn declared_type(&self) -> std::borrow::Cow<'_, JsType> {
        let mut ty = std::borrow::Cow::Borrowed(&self.ty);
        if !self.required && ty.kinds.len() > 1 {
            ty.to_mut().kinds.remove("null");
        }
        ty
    }
}

/// TypeScript's spelling of a property: `name: T`, `'x-y'?: T`.
impl std::fmt::Display for FieldType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key(), self.declared_type())
    }
}

/// TypeScript's spelling: `string`, `'a' | 'b'`, `number[]`, `{ a: string; b?: number }`, `any`.
impl std::fmt::Display for JsType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.values.is_empty() {
            let values: Vec<String> = self
                .values
                .iter()
                .map(|v| {
                    match v.starts_with(['{', '['])
                        || v.parse::<f64>().is_ok()
                        || v == "true"
                        || v == "false"
                        || v == "null"
                    {
                        true => v.clone(),
                        false => format!("'{v}'"),
                    }
                })
                .collect();
            return f.write_str(&values.join(" | "));
        }
        if self.kinds.is_empty() {
            return f.write_str("any");
        }
        let names: Vec<String> = self
            .kinds
            .iter()
            .map(|kind| match *kind {
                "array" => match &self.items {
                    Some(items) if items.kinds.len() <= 1 && items.values.is_empty() => {
                        format!("{items}[]")
                    }
                    Some(items) => format!("Array<{items}>"),
                    None => "any[]".to_owned(),
                },
                "object" if !self.fields.is_empty() => {
                    let fields: Vec<String> = self.fields.iter().map(|f| f.to_string()).collect();
                    format!("{{ {} }}", fields.join("; "))
                }
                "object" => "IAnyObject".to_owned(),
                "function" => "Function".to_owned(),
                other => other.to_owned(),
            })
            .collect();
        f.write_str(&names.join(" | "))
    }
}

/// The type `schema` describes.
pub fn js_type(schema: &Schema) -> JsType {
    Walker {
        root: schema.as_value(),
    }
    .js_type(schema.as_value(), 0)
}

/// The properties of an object schema, in declared order (none for other schemas).
pub fn fields(schema: &Schema) -> Vec<FieldType> {
    let walker = Walker {
        root: schema.as_value(),
    };
    let mut out = Vec::new();
    walker.collect_fields(schema.as_value(), 0, &mut out);
    out
}

impl<'s> Walker<'s> {
    /// `depth`: how many structs enclose this one (see [`MAX_NESTING`]).
    fn js_type(&self, schema: &'s Json, depth: usize) -> JsType {
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
                ty.items = Some(Box::new(self.js_type(items, depth)));
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
                let branch = self.js_type(branch, depth);
                if branch.is_any() {
                    return JsType::default();
                }
                ty.kinds.extend(branch.kinds);
                ty.values.extend(branch.values);
                ty.items = ty.items.or(branch.items);
                if ty.fields.is_empty() {
                    ty.fields = branch.fields;
                }
            }
        }
        if ty.kinds.contains("object") && depth < MAX_NESTING {
            self.collect_fields(schema, depth + 1, &mut ty.fields);
        }
        ty
    }

    fn collect_fields(&self, schema: &'s Json, depth: usize, out: &mut Vec<FieldType>) {
        let schema = self.resolve(schema);
        let required = super::required(schema);
        for (name, sub) in schema
            .get("properties")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
            out.push(FieldType {
                name: name.clone(),
                required: required.contains(&name.as_str()),
                ty: self.js_type(sub, depth),
            });
        }
        // Flattened structs appear as `allOf` branches.
        for branch in schema
            .get("allOf")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            self.collect_fields(branch, depth, out);
        }
    }
}
