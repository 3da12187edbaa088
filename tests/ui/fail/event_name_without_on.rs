use wx_core::{wx_event, App, EventSink};

#[wx_event(name = "compassChange")]
async fn compass(_app: &App, _sink: EventSink<u32>) {}

fn main() {}
