use serde::{Deserialize, Serialize};
use wx_core::{wx_async, JsonSchema, Value};

#[derive(Deserialize, JsonSchema)]
struct GetOptions {
    key: String,
}

#[derive(Serialize, JsonSchema)]
struct GetResult {
    data: Value,
}

// `kee` and `dta` are not fields: the twin would pass and return nothing.
#[wx_async(sync(kee), sync_result = dta)]
async fn get(opts: GetOptions) -> GetResult {
    GetResult { data: opts.key.into() }
}

fn main() {}
