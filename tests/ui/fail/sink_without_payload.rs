use wx_core::{wx_event, EventSink};

#[wx_event]
async fn on_turn(_sink: EventSink) {}

fn main() {}
