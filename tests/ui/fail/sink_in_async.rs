use wx_core::{wx_async, EventSink};

#[wx_async]
async fn thing(_sink: EventSink<u32>) {}

fn main() {}
