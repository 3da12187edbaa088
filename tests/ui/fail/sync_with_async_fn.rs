use wx_core::wx_sync;

#[wx_sync]
async fn get_sync() {}

fn main() {}
