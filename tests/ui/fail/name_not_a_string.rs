use wx_core::wx_async;

#[wx_async(name = thing)]
async fn thing() {}

fn main() {}
