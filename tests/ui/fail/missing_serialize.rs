use wx_core::{wx_async, JsonSchema};

#[derive(JsonSchema)]
struct LoginResult {
    code: String,
}

#[wx_async]
async fn login() -> LoginResult {
    LoginResult { code: String::new() }
}

fn main() {}
