use wx_core::{wx_sync, Task};

#[wx_sync(
    task = "Worker",
    events(on_message(wx_core::Value, single_listener, single_listener)),
    methods(post_message)
)]
fn create_worker(_task: Task, _path: String) {}

#[wx_sync(
    task = "OtherWorker",
    events(on_message(wx_core::Value, single)),
    methods(post_message)
)]
fn create_other_worker(_task: Task, _path: String) {}

fn main() {}
