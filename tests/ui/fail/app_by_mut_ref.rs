use wx_core::{wx_sync, App};

#[wx_sync]
fn touch_sync(app: &mut App) -> String {
    app.app_id().to_owned()
}

fn main() {}
