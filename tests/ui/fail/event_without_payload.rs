use wx_core::wx_async;

#[wx_async(task = "DownloadTask", events(on_progress_update, on_done(u32, since = "1.4.0")))]
async fn download() {}

fn main() {}
