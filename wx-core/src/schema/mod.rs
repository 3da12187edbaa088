//! Type metadata: the JSON schemas of an API's options, parameters, results and
//! event payloads, derived from the Rust types by `schemars` (this module), and
//! what wx-core reads from them, one module each: WeChat-style parameter errors
//! (`check`), `canIUse` paths (`paths`), and type descriptions for signatures
//! and typings (`describe`). Walking a schema (`$ref`s, properties through
//! unions) is the private `Walker`'s, shared by all three.
//!
//! Schemas are generated lazily (on the first `canIUse` or the first bad call),
//! so a well-formed call never pays for them.

mod check;
mod describe;
mod paths;

pub use check::check;
pub use describe::{fields, js_type, FieldType, JsType};
pub use paths::has_path;

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
    root(settings(), TypeSchema::of::<T>())
}

/// The schema of an output type (results, event payloads): how it serialises.
pub fn output<T: JsonSchema>() -> Schema {
    root(settings().for_serialize(), TypeSchema::of::<T>())
}

/// A type's `JsonSchema` functions as pointers: what lets one copy of
/// schemars' root-schema builder serve every type (a crate of APIs would
/// otherwise build a copy of it for each options and result type).
#[derive(Clone, Copy)]
pub struct TypeSchema {
    /// `schema_name`.
    pub name: fn() -> Cow<'static, str>,
    /// `schema_id`.
    pub id: fn() -> Cow<'static, str>,
    /// `json_schema`.
    pub schema: fn(&mut SchemaGenerator) -> Schema,
    /// `inline_schema`.
    pub inline: fn() -> bool,
}

impl TypeSchema {
    /// `T`'s functions.
    pub fn of<T: JsonSchema + ?Sized>() -> Self {
        TypeSchema {
            name: T::schema_name,
            id: T::schema_id,
            schema: T::json_schema,
            inline: T::inline_schema,
        }
    }
}

thread_local! {
    /// The type [`RootType`] stands for while its root schema is built.
    static ROOT: std::cell::Cell<Option<TypeSchema>> = const { std::cell::Cell::new(None) };
}

/// Stands for the type whose root schema is being built, answering with its
/// functions: schemars' builder is generic over the type, and this is the one
/// type it is instantiated with.
struct RootType;

impl RootType {
    fn current() -> TypeSchema {
        ROOT.get().expect("a root schema is being built")
    }
}

impl JsonSchema for RootType {
    fn schema_name() -> Cow<'static, str> {
        (Self::current().name)()
    }
    fn schema_id() -> Cow<'static, str> {
        (Self::current().id)()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        (Self::current().schema)(generator)
    }
    fn inline_schema() -> bool {
        (Self::current().inline)()
    }
}

/// `ty`'s root schema (what schemars' `into_root_schema_for` gives), not generic.
fn root(settings: SchemaSettings, ty: TypeSchema) -> Schema {
    /// Puts back the type an enclosing build stood for, even after a panic in a
    /// user's `json_schema`.
    struct Restore(Option<TypeSchema>);
    impl Drop for Restore {
        fn drop(&mut self) {
            ROOT.set(self.0);
        }
    }
    let _restore = Restore(ROOT.replace(Some(ty)));
    settings.into_generator().into_root_schema_for::<RootType>()
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
    let walker = Walker {
        root: whole.as_value(),
    };
    let found = walker.property(whole.as_value(), field).cloned();
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

/// Walks one schema: follows `$ref`s into its root, finds properties through
/// unions and intersections. The parameter checker, `canIUse` paths and type
/// descriptions all walk with it.
struct Walker<'s> {
    root: &'s Json,
}

impl<'s> Walker<'s> {
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
}

/// The names an object schema marks required.
fn required(schema: &Json) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect()
}

fn schema_types(schema: &Json) -> impl Iterator<Item = &str> {
    let (one, many) = match schema.get("type") {
        Some(Json::String(t)) => (Some(t.as_str()), None),
        Some(Json::Array(ts)) => (None, Some(ts.iter().filter_map(Json::as_str))),
        _ => (None, None),
    };
    one.into_iter().chain(many.into_iter().flatten())
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

    #[allow(dead_code)]
    #[derive(Deserialize, JsonSchema)]
    struct Tree {
        label: String,
        child: Option<Box<Tree>>,
    }

    #[test]
    fn nested_structs_are_described_field_by_field_and_recursion_stops() {
        let fields = fields(&input::<Opts>());
        let inner = &fields.iter().find(|f| f.name == "inner").unwrap().ty;
        assert_eq!(inner.to_string(), "null | { left: number }");
        let header = &fields.iter().find(|f| f.name == "header").unwrap().ty;
        assert_eq!(
            header.to_string(),
            "null | IAnyObject",
            "a map has no declared fields"
        );
        let tree = js_type(&input::<Tree>()).to_string();
        assert_eq!(
            tree,
            "{ label: string; child?: { label: string; child?: { label: string; child?: \
             { label: string; child?: IAnyObject } } } }",
            "four levels of a recursive struct, then IAnyObject"
        );
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

/// wx-core's `#[derive(JsonSchema)]` (schemars' derive on a hidden twin) gives
/// the schema schemars' own derive gives, for every shape the APIs use.
#[cfg(test)]
mod derive_matches_schemars {
    use serde::Deserialize;

    /// Declares each item twice, in `ours` (wx-core's derive) and `theirs`
    /// (schemars'), from the same tokens.
    macro_rules! twice {
        ($($item:item)*) => {
            #[allow(dead_code)]
            mod ours {
                use super::*;
                $(#[derive(crate::JsonSchema)] $item)*
            }
            #[allow(dead_code)]
            mod theirs {
                use super::*;
                $(#[derive(schemars::JsonSchema)] $item)*
            }
        };
    }

    twice! {
        /// Options, documented.
        #[derive(Deserialize)]
        #[serde(default, rename_all = "camelCase")]
        pub struct Options {
            /// The title.
            pub title: String,
            pub duration_ms: u32,
            #[serde(rename = "mask")]
            pub with_mask: Option<bool>,
            #[schemars(with = "Option<Icon>")]
            pub icon: Option<String>,
            pub inner: Option<Inner>,
            #[serde(flatten)]
            pub extra: Extra,
            pub next: Option<Box<Options>>,
        }
        #[derive(Deserialize)]
        pub struct Inner {
            #[serde(default = "seven")]
            pub left: f64,
            #[serde(skip)]
            pub hidden: u8,
        }
        #[derive(Deserialize)]
        #[schemars(extend("required" = ["more"]))]
        pub struct Extra {
            #[serde(default)]
            pub more: Vec<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Icon { Success, Error, None }
        #[derive(Deserialize)]
        #[serde(tag = "type", content = "data")]
        pub enum Tagged { Text(String), Pair { a: u8, b: Option<u8> } }
        #[derive(Deserialize)]
        #[serde(untagged)]
        pub enum Either { Num(f64), Text(String) }
        #[derive(Deserialize)]
        #[serde(transparent)]
        pub struct Wrapped(Option<u32>);
        #[derive(Deserialize)]
        pub struct Generic<T> { pub t: T, pub list: Vec<T> }
        #[derive(Deserialize)]
        #[serde(rename = "Renamed")]
        pub struct Named(pub u8, pub String);
        #[derive(Deserialize)]
        #[serde(rename(serialize = "Out"))]
        pub struct SerializeRenamed { pub a: u8 }
    }

    impl Default for ours::Options {
        fn default() -> Self {
            Self::from_parts(1500)
        }
    }
    impl Default for theirs::Options {
        fn default() -> Self {
            Self::from_parts(1500)
        }
    }

    macro_rules! from_parts {
        ($($module:ident),*) => {$(
            impl $module::Options {
                fn from_parts(duration_ms: u32) -> Self {
                    Self {
                        title: "hi".into(),
                        duration_ms,
                        with_mask: Some(false),
                        icon: None,
                        inner: None,
                        extra: $module::Extra { more: vec!["x".into()] },
                        next: None,
                    }
                }
            }
        )*};
    }
    from_parts!(ours, theirs);

    fn seven() -> f64 {
        7.0
    }

    macro_rules! same {
        ($($ty:ident $(<$arg:ident>)?),*) => {$(
            assert_eq!(
                schemars::schema_for!(ours::$ty $(<ours::$arg>)?),
                schemars::schema_for!(theirs::$ty $(<theirs::$arg>)?),
                stringify!($ty)
            );
            assert_eq!(
                <ours::$ty $(<ours::$arg>)? as schemars::JsonSchema>::schema_name(),
                <theirs::$ty $(<theirs::$arg>)? as schemars::JsonSchema>::schema_name(),
            );
        )*};
    }

    #[test]
    fn same_schemas_names_and_defaults() {
        same!(
            Options,
            Inner,
            Extra,
            Icon,
            Tagged,
            Either,
            Wrapped,
            Generic<Icon>,
            Named
        );
        let schema = schemars::schema_for!(ours::Options);
        assert_eq!(schema.get("description").unwrap(), "Options, documented.");
        assert_eq!(
            schema.get("properties").unwrap()["durationMs"]["default"],
            1500
        );
        // Ids are the item's own (module path and name), as schemars gives them.
        assert!(<ours::Options as schemars::JsonSchema>::schema_id().ends_with("ours::Options"));
    }
}
