use wx_core::wx_async;

#[wx_async(task = "DownloadTask", methods(abort))]
async fn download() {}

fn main() {}
