use wx_core::wx_sync;

#[wx_sync]
fn echo_sync<T: Clone>(value: T) -> T {
    value
}

fn main() {}
