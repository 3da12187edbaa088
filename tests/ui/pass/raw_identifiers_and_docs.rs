//! Raw identifiers, attributes kept on the function, and no doc comment at all.

use wx_core::wx_sync;

#[wx_sync]
#[inline]
#[allow(clippy::unnecessary_wraps)]
fn r#type_sync(value: f64) -> String {
    format!("{value}")
}

#[wx_sync(name = "getMenuButtonBoundingClientRect")]
fn menu_button() {}

fn main() {
    assert_eq!(r#type_sync(1.5), "1.5");
    menu_button();
}
