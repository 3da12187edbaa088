use wx_core::wx_async;

#[wx_async(task = "DownloadTask", events(on_progress = 1))]
async fn download() {}

fn main() {}
