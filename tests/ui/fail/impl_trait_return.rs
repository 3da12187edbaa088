use wx_core::wx_sync;

#[wx_sync]
fn get_sync() -> impl Clone {
    1
}

fn main() {}
