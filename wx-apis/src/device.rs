//! The device family: sensors, simulated for a desktop host. The compass runs
//! while anyone listens and is switched on and off by `startCompass` and
//! `stopCompass` (listening switches it on, as WeChat's base library does;
//! `offCompassChange` does not switch it off).

use crate::system::DeviceProfile;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wx_core::{wx_async, wx_event, App, EventSink, JsonSchema};

/// One reading of `wx.onCompassChange`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CompassChange {
    /// Degrees from north, 0 to 360.
    pub direction: f64,
    /// `"high"`, `"medium"`, `"low"`, `"no-contact"`, `"unreliable"` (Android's
    /// strings; iOS reports a number).
    #[schemars(with = "Accuracy")]
    pub accuracy: String,
}

/// The schema of `accuracy`: a string on Android, a number on iOS.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum Accuracy {
    Android(String),
    Ios(f64),
}

/// Where compass readings come from. A host installs its own with
/// `App::builder(..).service(CompassSource::new(..))`; without one they come
/// from the device profile's `compass` (a heading script), else the compass
/// turns 15° per reading.
#[derive(Clone)]
pub struct CompassSource {
    readings: Arc<dyn Fn(u64) -> CompassChange + Send + Sync>,
    interval: Duration,
}

impl CompassSource {
    /// A source that gives `reading(n)` for the n-th reading (from 0), every `interval`.
    pub fn new(
        interval: Duration,
        reading: impl Fn(u64) -> CompassChange + Send + Sync + 'static,
    ) -> Self {
        CompassSource {
            readings: Arc::new(reading),
            interval,
        }
    }
}

impl Default for CompassSource {
    /// Deterministic: 0°, 15°, 30°, ... at WeChat's rate of five readings a second.
    fn default() -> Self {
        CompassSource::new(Duration::from_millis(200), |n| CompassChange {
            direction: (n * 15 % 360) as f64,
            accuracy: "high".into(),
        })
    }
}

/// The app's compass: on or off, and how many readings it has given (a
/// scripted heading sequence goes on where it stopped).
#[derive(Default)]
struct Compass {
    on: AtomicBool,
    readings: AtomicU64,
}

fn compass(app: &App) -> Arc<Compass> {
    app.state(Compass::default)
}

/// The readings of this app: the host's source, else the profile's script.
fn source(app: &App) -> CompassSource {
    if let Some(source) = app.service::<CompassSource>() {
        return (*source).clone();
    }
    let profile = DeviceProfile::of(app).compass.clone();
    if profile.headings.is_empty() {
        return CompassSource::default();
    }
    let accuracy = profile.accuracy.unwrap_or_else(|| "high".into());
    CompassSource::new(Duration::from_millis(200), move |n| CompassChange {
        direction: profile.headings[(n % profile.headings.len() as u64) as usize],
        accuracy: accuracy.clone(),
    })
}

/// Listens for compass readings (five a second); listening starts the compass.
#[wx_event(
    off_since = "2.9.3",
    off_summary = "Stops calling `listener` for compass readings (every listener when none is given); the compass keeps running."
)]
async fn on_compass_change(app: &App, sink: EventSink<CompassChange>) {
    let source = source(app);
    let state = compass(app);
    // Listening switches the compass on, whatever `stopCompass` did before.
    state.on.store(true, Ordering::Release);
    let mut ticks = tokio::time::interval(source.interval);
    ticks.tick().await; // the first tick is immediate; a real compass needs a moment
    loop {
        ticks.tick().await;
        if !state.on.load(Ordering::Acquire) {
            continue; // stopped: no reading until `startCompass`
        }
        let n = state.readings.fetch_add(1, Ordering::AcqRel);
        if !sink.emit(&(source.readings)(n)) {
            return; // the host is gone
        }
    }
}

/// Starts the compass: readings reach the `onCompassChange` listeners again.
#[wx_async(since = "1.1.0")]
async fn start_compass(app: &App) {
    compass(app).on.store(true, Ordering::Release);
}

/// Stops the compass: listeners stay registered but get no reading until `startCompass`.
#[wx_async(since = "1.1.0")]
async fn stop_compass(app: &App) {
    compass(app).on.store(false, Ordering::Release);
}
