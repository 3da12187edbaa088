use wx_core::{wx_event, EventSink};

#[wx_event]
async fn on_turn(_sink: EventSink<u32>, _every: u32) {}

fn main() {}
