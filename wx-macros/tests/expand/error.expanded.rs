fn compass_change(app: &App) {}
::core::compile_error! {
    "event APIs are named `onXxx` (the `offXxx` twin is generated); `compassChange` does not start with `on`"
}
::core::compile_error! {
    "#[wx_event] needs an `async fn`"
}
::core::compile_error! {
    "an event source needs an `EventSink<Payload>` parameter to emit through"
}
