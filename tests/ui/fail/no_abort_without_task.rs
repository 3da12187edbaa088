use wx_core::wx_async;

#[wx_async(no_abort)]
async fn connect() {}

fn main() {}
