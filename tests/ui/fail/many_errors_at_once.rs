use wx_core::wx_async;

struct S;

impl S {
    #[wx_async(name = "getSync")]
    fn get<T>(&self) {}
}

fn main() {}
