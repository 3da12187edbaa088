use wx_core::wx_sync;

struct MyError;

#[wx_sync]
fn get_sync() -> Result<u8, MyError> {
    Err(MyError)
}

fn main() {}
