use wx_core::wx_async;

#[wx_async(name = "get-thing")]
async fn thing() {}

fn main() {}
