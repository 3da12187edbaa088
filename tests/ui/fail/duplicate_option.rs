use wx_core::wx_async;

#[wx_async(name = "a", name = "b")]
async fn thing() {}

fn main() {}
