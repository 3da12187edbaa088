use wx_core::{wx_async, wx_event, EventSink};

#[wx_async(since = "2.x")]
async fn first() {}

#[wx_event(since = "1.1.0", off_since = "latest")]
async fn on_second(_sink: EventSink<u32>) {}

fn main() {}
