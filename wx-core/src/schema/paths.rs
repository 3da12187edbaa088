//! `canIUse` paths: whether `safeArea.left` or `method.GET` names a property, a
//! nested property or an enum value of a schema. Never an error: unknown is `false`.

use super::Walker;
use schemars::Schema;
use serde_json::Value as Json;

/// Whether `path` (e.g. `["safeArea", "left"]` or `["method", "GET"]`) names a
/// property, a nested property or, as its last step, an enum value, in `schema`.
pub fn has_path(schema: &Schema, path: &[&str]) -> bool {
    let walker = Walker {
        root: schema.as_value(),
    };
    let mut here = schema.as_value();
    for (i, step) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match walker.property(here, step) {
            Some(next) => here = next,
            None => return last && walker.has_enum_value(here, step),
        }
    }
    true
}

impl<'s> Walker<'s> {
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
