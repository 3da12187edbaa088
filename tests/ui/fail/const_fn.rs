use wx_core::wx_sync;

#[wx_sync]
const fn get_sync() -> u8 {
    1
}

fn main() {}
