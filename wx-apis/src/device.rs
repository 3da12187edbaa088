//! The device family: sensors, simulated for a desktop host.

use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use wx_core::{schemars, wx_event, App, EventSink, JsonSchema};

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
/// `App::builder(..).service(CompassSource::new(..))`; the default turns 15° per reading.
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

/// Listens for compass readings (five a second); listening starts the compass.
#[wx_event(
    off_since = "2.9.3",
    off_summary = "Stops calling `listener` for compass readings (every listener when none is given); the compass keeps running."
)]
async fn on_compass_change(app: &App, sink: EventSink<CompassChange>) {
    let source = app
        .service::<CompassSource>()
        .map(|s| (*s).clone())
        .unwrap_or_default();
    let mut ticks = tokio::time::interval(source.interval);
    ticks.tick().await; // the first tick is immediate; a real compass needs a moment
    for n in 0.. {
        ticks.tick().await;
        if !sink.emit(&(source.readings)(n)) {
            return; // the host is gone
        }
    }
}
