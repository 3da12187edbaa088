use wx_core::wx_sync;

#[wx_sync]
fn add_sync((a, b): (u8, u8)) -> u8 {
    a + b
}

fn main() {}
