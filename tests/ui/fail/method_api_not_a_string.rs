use wx_core::wx_async;

#[wx_async(task = "SocketTask", methods(send = sendSocketMessage))]
async fn connect_socket() {}

fn main() {}
