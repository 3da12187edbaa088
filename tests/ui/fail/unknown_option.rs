use wx_core::wx_async;

#[wx_async(nmae = "thing")]
async fn thing() {}

fn main() {}
