//! Every kind of API, with the shapes the docs show, compiles and stays callable
//! from plain Rust.

use serde::{Deserialize, Serialize};
use wx_core::{wx_async, wx_event, wx_sync, App, EventSink, JsonSchema, Task, Value, WxError};

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetStorageOptions {
    key: String,
}

#[derive(Serialize, JsonSchema)]
pub struct GetStorageResult {
    data: Value,
}

/// wx.getStorage({ key, success, fail, complete })
#[wx_async]
async fn get_storage(app: &App, opts: GetStorageOptions) -> Result<GetStorageResult, WxError> {
    let _ = (app.app_id(), opts.key);
    Ok(GetStorageResult { data: Value::Null })
}

/// wx.getStorageSync(key)
#[wx_sync]
fn get_storage_sync(_app: &App, key: String) -> Result<Value, WxError> {
    Ok(Value::String(key))
}

#[derive(Serialize, JsonSchema)]
pub struct CompassChange {
    direction: f64,
}

/// wx.onCompassChange(cb)
#[wx_event]
async fn on_compass_change(_app: &App, sink: EventSink<CompassChange>) {
    sink.emit(&CompassChange { direction: 1.0 });
}

/// A task API with an object event and a method.
#[wx_async(task = "DownloadTask", events(on_progress_update(wx_core::Value)), methods(pause), err_code, since = "1.0.0")]
async fn download_file(app: App, mut task: Task) -> Result<(), WxError> {
    let _ = (app, task.next_message().await);
    Ok(())
}

/// A name given explicitly, an infallible sync API with no context.
#[wx_sync(name = "canIUseSync")]
fn anything(_schema: String) -> bool {
    true
}

/// Error types that convert into WxError work with `?`.
#[wx_sync]
fn read_sync(path: String) -> Result<String, std::io::Error> {
    std::fs::read_to_string(path)
}

fn main() {
    // The functions are still plain Rust functions.
    assert_eq!(get_storage_sync(&App::builder("x").build(), "k".into()), Ok(Value::from("k")));
    assert!(anything(String::new()));
    let _ = read_sync(String::new());
    let _ = (get_storage, on_compass_change, download_file);
}
