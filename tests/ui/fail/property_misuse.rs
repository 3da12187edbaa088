use wx_core::{wx_async, wx_sync, Task};

// A property needs its type.
#[wx_sync(task = "Player", properties(src))]
fn get_player(_task: Task) {}

// An unknown property option, and a name a method has already.
#[wx_sync(task = "Radio", properties(volume(f64, loud)), methods(play))]
fn get_radio(_task: Task) {}

#[wx_sync(task = "Tv", properties(play(bool)), methods(play))]
fn get_tv(_task: Task) {}

// Properties and `singleton` describe a returned object.
#[wx_sync(properties(src(String)), singleton)]
fn no_object() {}

// `singleton` is for sync APIs: an async call returns a new task each time.
#[wx_async(task = "Download", singleton)]
async fn download(_task: Task) {}

fn main() {}
