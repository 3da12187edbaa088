use wx_core::wx_sync;

#[wx_sync]
fn get_sync() -> &'static str {
    "x"
}

fn main() {}
