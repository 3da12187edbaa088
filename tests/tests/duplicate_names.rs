//! Two linked declarations of one name stop the host at start-up with both places.

mod a {
    /// One.
    #[wx_core::wx_sync(name = "sameSync")]
    fn same() -> u8 {
        1
    }
}

mod b {
    /// Two.
    #[wx_core::wx_sync(name = "sameSync")]
    fn same() -> u8 {
        2
    }
}

#[test]
fn the_host_refuses_to_start() {
    let err = wx_core::Host::new(wx_core::App::builder("dup").build())
        .err()
        .expect("duplicate detected");
    let message = err.to_string();
    assert!(
        message.starts_with("wx API `sameSync` is declared twice: by duplicate_names::a::same ("),
        "{message}"
    );
    assert!(message.contains("duplicate_names::b::same ("), "{message}");
}
