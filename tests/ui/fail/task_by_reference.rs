use wx_core::{wx_async, Task};

#[wx_async(task = "DownloadTask")]
async fn download(_task: &Task) {}

fn main() {}
