use wx_core::wx_sync;

#[wx_sync]
struct GetSync;

fn main() {}
