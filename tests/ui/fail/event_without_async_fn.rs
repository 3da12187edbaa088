use wx_core::{wx_event, App, EventSink};

#[wx_event]
fn on_turn(_app: &App, _sink: EventSink<u32>) {}

fn main() {}
