//! A crate of your own `wx` APIs: what a team adds beside `wx-apis` for its
//! super-app. Each API is a plain Rust function; the attributes register it, and
//! any host that links this crate (call [`link`]) serves it as `wx.<name>`.
//!
//! - `wx.getGreeting({ name, success, fail, complete })` (or a Promise);
//! - `wx.shoutSync(text)`, which returns or throws;
//! - `wx.onTick(listener)` / `wx.offTick(listener)`, an event while anyone listens;
//! - `wx.countdown({ from })`, which returns a `CountdownTask` with `abort()` and
//!   `onStep(listener)`.

#![warn(missing_docs)]

use serde::{Deserialize, Serialize};
use std::time::Duration;
use wx_core::{wx_async, wx_event, wx_sync, App, EventSink, JsonSchema, Task, WxError};

/// Options of `wx.getGreeting`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GreetingOptions {
    /// Who to greet.
    pub name: String,
}

/// What `wx.getGreeting` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Greeting {
    /// The greeting.
    pub text: String,
}

/// Greets `name` from this app (`getGreeting:fail name is empty` for "").
#[wx_async(since = "1.0.0")]
async fn get_greeting(app: &App, opts: GreetingOptions) -> Result<Greeting, WxError> {
    if opts.name.is_empty() {
        return Err(WxError::new("name is empty"));
    }
    Ok(Greeting {
        text: format!("hello {} from {}", opts.name, app.app_id()),
    })
}

/// Upper-cases `text`.
#[wx_sync]
fn shout_sync(text: String) -> String {
    text.to_uppercase()
}

/// One tick of `wx.onTick`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Tick {
    /// Ticks since the first listener came.
    pub n: u32,
}

/// Ticks every 10 ms while anyone listens (the source stops with the last `offTick`).
#[wx_event]
async fn on_tick(sink: EventSink<Tick>) {
    for n in 0.. {
        tokio::time::sleep(Duration::from_millis(10)).await;
        if !sink.emit(&Tick { n }) {
            return;
        }
    }
}

/// Options of `wx.countdown`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CountdownOptions {
    /// Where to count down from.
    pub from: u32,
}

/// One step of a `CountdownTask`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Step {
    /// What is left.
    pub left: u32,
}

/// Counts down from `from`, one step every 5 ms; returns a `CountdownTask`.
#[wx_async(task = "CountdownTask", events(on_step(Step)))]
async fn countdown(task: Task, opts: CountdownOptions) -> Result<(), WxError> {
    for left in (0..opts.from).rev() {
        tokio::time::sleep(Duration::from_millis(5)).await;
        task.emit("onStep", &Step { left });
    }
    Ok(())
}

/// Keeps this crate's registrations in a statically linked host.
#[inline(never)]
pub fn link() {}
