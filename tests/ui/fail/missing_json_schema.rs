use serde::Deserialize;
use wx_core::wx_sync;

#[derive(Deserialize)]
struct Key {
    name: String,
}

#[wx_sync]
fn get_sync(key: Key) -> String {
    key.name
}

fn main() {}
