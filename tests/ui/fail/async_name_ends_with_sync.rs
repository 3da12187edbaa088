use wx_core::wx_async;

#[wx_async]
async fn get_thing_sync() {}

fn main() {}
