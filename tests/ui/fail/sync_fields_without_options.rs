use wx_core::wx_async;

#[wx_async(sync(key))]
async fn clear_storage() {}

fn main() {}
