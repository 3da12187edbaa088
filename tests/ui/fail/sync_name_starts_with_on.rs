use wx_core::wx_sync;

#[wx_sync(name = "onThingSync")]
fn thing_sync() {}

fn main() {}
