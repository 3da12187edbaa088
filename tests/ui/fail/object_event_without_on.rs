use wx_core::wx_async;

#[wx_async(task = "DownloadTask", events(progress_update(u32)))]
async fn download() {}

fn main() {}
