use serde::Deserialize;
use wx_core::JsonSchema;
use wx_core::wx_async;

#[derive(Deserialize, JsonSchema)]
struct A {}

#[wx_async]
async fn thing(_a: &A) {}

fn main() {}
