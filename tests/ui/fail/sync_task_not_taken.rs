use wx_core::wx_sync;

#[wx_sync(task = "Worker", methods(post_message))]
fn create_worker(_path: String) {}

fn main() {}
