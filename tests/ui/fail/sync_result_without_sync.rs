use serde::Serialize;
use wx_core::{wx_async, JsonSchema};

#[derive(Serialize, JsonSchema)]
struct Info {
    keys: Vec<String>,
}

#[wx_async(sync_result = keys)]
async fn get_info() -> Info {
    Info { keys: Vec::new() }
}

fn main() {}
