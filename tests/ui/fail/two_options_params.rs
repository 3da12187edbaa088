use serde::Deserialize;
use wx_core::JsonSchema;
use wx_core::wx_async;

#[derive(Deserialize, JsonSchema)]
struct A {}

#[derive(Deserialize, JsonSchema)]
struct B {}

#[wx_async]
async fn thing(_a: A, _b: B) {}

fn main() {}
