use wx_core::wx_async;

#[wx_async(sync(key = 1))]
async fn get_thing() {}

fn main() {}
