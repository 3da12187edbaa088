use wx_core::wx_sync;

#[wx_sync]
fn echo_sync<'a>() -> u8 {
    1
}

fn main() {}
