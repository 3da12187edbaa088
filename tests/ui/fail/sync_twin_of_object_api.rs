use wx_core::wx_async;

// The object is made even when the function does not take its Task.
#[wx_async(task = "DownloadTask", sync)]
async fn download() {}

fn main() {}
