use serde::{Deserialize, Serialize};
use wx_core::{wx_async, JsonSchema};

#[derive(Deserialize, JsonSchema)]
struct GetOptions {
    key: String,
}

#[derive(Serialize, JsonSchema)]
struct GetResult {
    data: String,
}

#[wx_async(sync(key), sync_result = "data")]
async fn get_thing(opts: GetOptions) -> GetResult {
    GetResult { data: opts.key }
}

fn main() {}
