use wx_core::{wx_async, JsonSchema};

#[derive(JsonSchema)]
struct LoginOptions {
    timeout: u32,
}

#[wx_async]
async fn login(opts: LoginOptions) -> u32 {
    opts.timeout
}

fn main() {}
