use wx_core::wx_sync;

#[wx_sync]
fn get_sync(key: &str) -> usize {
    key.len()
}

fn main() {}
