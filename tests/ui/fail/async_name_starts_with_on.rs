use wx_core::wx_async;

#[wx_async]
async fn on_thing() {}

fn main() {}
