use wx_core::wx_sync;

type Result = std::result::Result<u8, wx_core::WxError>;

#[wx_sync]
fn get_sync() -> Result {
    Ok(1)
}

fn main() {}
