use wx_core::{wx_event, EventSink, JsonSchema};

#[derive(JsonSchema)]
struct Turn {
    direction: f64,
}

#[wx_event]
async fn on_turn(sink: EventSink<Turn>) {
    let _ = sink;
}

fn main() {}
