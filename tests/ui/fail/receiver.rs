use wx_core::wx_sync;

struct Storage;

impl Storage {
    #[wx_sync]
    fn get_sync(&self) -> u8 {
        1
    }
}

fn main() {}
