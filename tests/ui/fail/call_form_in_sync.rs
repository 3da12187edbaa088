use wx_core::{wx_sync, CallForm};

#[wx_sync]
fn get_sync(_form: CallForm) {}

fn main() {}
