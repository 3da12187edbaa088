use wx_core::wx_sync;

#[wx_sync(err_code)]
fn thing_sync() {}

fn main() {}
