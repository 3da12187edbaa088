use wx_core::wx_async;

#[wx_async(task = "download task")]
async fn download() {}

fn main() {}
