use wx_core::wx_async;

#[wx_async(events(on_progress_update))]
async fn download() {}

fn main() {}
