use wx_core::wx_async;

#[wx_async]
fn login() {}

fn main() {}
