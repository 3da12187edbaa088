use wx_core::{wx_async, wx_event, EventSink};

// A task API never returns a Promise; an object without abort() has no abort_since.
#[wx_async(task = "SocketTask", no_promise, no_abort, abort_since = "1.4.0")]
async fn connect() {}

// No `off` twin, yet its version is given.
#[wx_event(no_off, off_since = "2.0.0")]
async fn on_legacy(_sink: EventSink<u32>) {}

fn main() {}
