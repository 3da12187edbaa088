// wx-core's `JsonSchema` derive: schemars' errors point at the user's tokens,
// and a container `default` without `Default` names the item's type.
use serde::Deserialize;
use wx_core::JsonSchema;

#[derive(Deserialize, JsonSchema)]
#[serde(default)]
struct NoDefault {
    title: String,
}

#[derive(Deserialize, JsonSchema)]
struct UnknownAttribute {
    #[schemars(nonsense = 1)]
    title: String,
}

fn main() {}
