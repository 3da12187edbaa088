use wx_core::{wx_async, Task};

#[wx_async(task = "DownloadTask", sync)]
async fn download(_task: Task) {}

fn main() {}
