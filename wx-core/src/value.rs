//! [`Value`]: a JavaScript value as plain Rust data.
//!
//! Hosts convert engine values into `Value` on the JS thread and back; nothing in
//! wx-core ever holds an engine handle, so a `Value` can cross to tokio workers.
//! Functions travel as [`FunctionId`]s the host hands out and keeps the real
//! function behind.

pub(crate) mod de;
pub(crate) mod encoded;
pub(crate) mod json;
pub(crate) mod lend;
pub(crate) mod pick;
pub(crate) mod ser;
pub(crate) mod sink;

use indexmap::IndexMap;
use std::fmt;

/// The properties of a JS object, in insertion order (as JS enumerates them).
pub type Object = IndexMap<String, Value>;

/// A host-assigned id standing for a JS function that stays on the JS thread.
///
/// wx-core only compares ids (listener identity for `offXxx(listener)`) and hands
/// them back in [`crate::Delivery`]s; the host owns the function itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FunctionId(pub u64);

/// A JavaScript value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `undefined`; also what a missing argument or property reads as.
    #[default]
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (JS has only doubles; `-0`, `NaN` and infinities included).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// A plain object (boxed: it keeps every `Value` at 32 bytes).
    Object(Box<Object>),
    /// An `ArrayBuffer`'s bytes.
    ArrayBuffer(Vec<u8>),
    /// A `Date`, as milliseconds since the Unix epoch.
    Date(f64),
    /// A function, known by its host id.
    Function(FunctionId),
}

impl Value {
    /// The name WeChat's parameter errors use for this value's type
    /// (`String`, `Number`, `Boolean`, `Object`, `Array`, `Function`, `Undefined`, `Null`, ...).
    pub fn js_type_name(&self) -> &'static str {
        match self {
            Value::Undefined => "Undefined",
            Value::Null => "Null",
            Value::Bool(_) => "Boolean",
            Value::Number(_) => "Number",
            Value::String(_) => "String",
            Value::Array(_) => "Array",
            Value::Object(_) => "Object",
            Value::ArrayBuffer(_) => "ArrayBuffer",
            Value::Date(_) => "Date",
            Value::Function(_) => "Function",
        }
    }

    /// What JS's `typeof` says (`"string"`, `"object"` for `null` and arrays, ...),
    /// as WeChat's console messages name types.
    pub fn type_of(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Function(_) => "function",
            Value::Null
            | Value::Array(_)
            | Value::Object(_)
            | Value::ArrayBuffer(_)
            | Value::Date(_) => "object",
        }
    }

    /// JS truthiness: `false` for `undefined`, `null`, `false`, `0`, `-0`, `NaN` and `""`.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            _ => true,
        }
    }

    /// An empty object.
    pub fn object() -> Value {
        Value::Object(Box::default())
    }

    /// The property `key` of an object, or `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number inside, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The function id inside, if this is a function.
    pub fn as_function(&self) -> Option<FunctionId> {
        match self {
            Value::Function(id) => Some(*id),
            _ => None,
        }
    }

    /// `true` for `undefined`.
    pub fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }
}

macro_rules! from_number {
    ($($t:ty)*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value { Value::Number(n as f64) }
        }
    )*};
}
from_number!(i8 i16 i32 i64 u8 u16 u32 u64 isize usize f32 f64);

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl From<Object> for Value {
    fn from(map: Object) -> Value {
        Value::Object(Box::new(map))
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}
impl From<FunctionId> for Value {
    fn from(id: FunctionId) -> Value {
        Value::Function(id)
    }
}

/// Writes the value roughly as `console.log` would for a plain value, with
/// strings quoted; meant for messages and tests, not as a serialisation format.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Undefined => f.write_str("undefined"),
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, " {k}: {v}")?;
                }
                f.write_str(if map.is_empty() { "}" } else { " }" })
            }
            Value::ArrayBuffer(bytes) => write!(f, "ArrayBuffer({})", bytes.len()),
            Value::Date(ms) => write!(f, "Date({})", format_number(*ms)),
            Value::Function(id) => write!(f, "[Function #{}]", id.0),
        }
    }
}

/// Formats a number the way JS prints it for the common cases
/// (`1`, `1.5`, `-0`, `NaN`, `Infinity`).
pub fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == 0.0 && n.is_sign_negative() {
        "-0".into()
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_follow_wechat() {
        assert_eq!(Value::Undefined.js_type_name(), "Undefined");
        assert_eq!(Value::from(1).js_type_name(), "Number");
        assert_eq!(Value::from("a").js_type_name(), "String");
        assert_eq!(Value::Function(FunctionId(1)).js_type_name(), "Function");
    }

    #[test]
    fn values_stay_small() {
        assert_eq!(std::mem::size_of::<Value>(), 32);
    }

    #[test]
    fn display_is_readable() {
        let mut map = Object::new();
        map.insert("a".into(), 1.into());
        map.insert("b".into(), vec!["x"].into());
        assert_eq!(Value::from(map).to_string(), r#"{ a: 1, b: ["x"] }"#);
        assert_eq!(Value::Number(-0.0).to_string(), "-0");
    }
}
