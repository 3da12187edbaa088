use wx_core::{wx_event, App};

#[wx_event]
async fn on_turn(_app: &App) {}

fn main() {}
