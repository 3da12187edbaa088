use wx_core::wx_sync;

#[wx_sync]
unsafe fn get_sync() -> u8 {
    1
}

fn main() {}
