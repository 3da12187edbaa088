use wx_core::{wx_sync, Task};

#[wx_sync]
fn create_sync(_task: Task) {}

fn main() {}
