//! Watching calls: per-API counters a host can read (`Host::stats`: calls,
//! failures and a latency distribution) and each call's `wx_call` tracing
//! span. Both are off until `Host::enable_stats` or a `wx` debug subscriber, so
//! an unwatched call pays one relaxed load and one level check, and builds
//! nothing (a disabled span still carries its metadata and looks fields up by
//! name).

use crate::WxError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Latency buckets: bucket `i` holds calls under 2^i microseconds (the last, the rest).
const BUCKETS: usize = 24;

/// What one API has done since stats were enabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiStats {
    /// The API (or method) name.
    pub name: &'static str,
    /// Calls made.
    pub calls: u64,
    /// Calls that failed.
    pub failures: u64,
    /// All their time together (an async call's from call to settlement).
    pub total: Duration,
    /// The longest.
    pub max: Duration,
    buckets: [u64; BUCKETS],
}

impl ApiStats {
    fn new(name: &'static str) -> Self {
        ApiStats {
            name,
            calls: 0,
            failures: 0,
            total: Duration::ZERO,
            max: Duration::ZERO,
            buckets: [0; BUCKETS],
        }
    }

    /// An upper bound of the `p`-th percentile (0 to 100) latency: the top of
    /// the power-of-two bucket it falls in.
    pub fn percentile(&self, p: f64) -> Duration {
        let wanted = ((p / 100.0) * self.calls as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, count) in self.buckets.iter().enumerate() {
            seen += count;
            if seen >= wanted {
                return Duration::from_micros(1 << i).min(self.max.max(Duration::from_nanos(1)));
            }
        }
        self.max
    }

    /// The mean latency.
    pub fn mean(&self) -> Duration {
        match self.calls {
            0 => Duration::ZERO,
            n => self.total / n as u32,
        }
    }
}

#[derive(Default)]
pub(super) struct Stats {
    enabled: AtomicBool,
    table: Mutex<Vec<ApiStats>>,
}

impl Stats {
    pub(super) fn enable(&self, on: bool) {
        self.enabled.store(on, Ordering::Relaxed);
    }

    /// Starts watching a call of `api` (an async one has its `call` id), if
    /// anyone watches: stats are on, or a subscriber wants `wx` debug spans.
    #[inline]
    pub(super) fn watch(&self, api: &'static str, call: Option<u64>) -> Option<Watched> {
        if !(self.enabled.load(Ordering::Relaxed)
            || tracing::enabled!(target: "wx", tracing::Level::DEBUG))
        {
            return None;
        }
        Some(Watched::start(api, call))
    }

    /// Ends a watched call: counted, and its outcome on its span.
    #[cold]
    pub(super) fn end(&self, watched: Watched, failed: Option<&WxError>) {
        let Watched { api, started, span } = watched;
        match failed {
            None => span.record("outcome", "ok"),
            Some(err) => span
                .record("outcome", "fail")
                .record("err_msg", err.err_msg(api).as_str()),
        };
        if self.enabled.load(Ordering::Relaxed) {
            self.record(api, started.elapsed(), failed.is_some());
        }
    }

    fn record(&self, name: &'static str, took: Duration, failed: bool) {
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let index = match table.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                table.push(ApiStats::new(name));
                table.len() - 1
            }
        };
        let entry = &mut table[index];
        entry.calls += 1;
        entry.failures += u64::from(failed);
        entry.total += took;
        entry.max = entry.max.max(took);
        let micros = took.as_micros().max(1) as u64;
        let bucket = (64 - micros.leading_zeros() as usize).min(BUCKETS - 1);
        entry.buckets[bucket] += 1;
    }

    pub(super) fn snapshot(&self) -> Vec<ApiStats> {
        let mut all = self.table.lock().unwrap_or_else(|e| e.into_inner()).clone();
        all.sort_by_key(|s| s.name);
        all
    }
}

/// A call being watched: its span, and when it started.
#[derive(Debug)]
pub(super) struct Watched {
    api: &'static str,
    started: Instant,
    span: tracing::Span,
}

impl Watched {
    #[cold]
    #[inline(never)]
    fn start(api: &'static str, call: Option<u64>) -> Watched {
        let span = match call {
            None => {
                tracing::debug_span!(target: "wx", "wx_call", api, kind = "sync", outcome = tracing::field::Empty, err_msg = tracing::field::Empty)
            }
            Some(call) => {
                tracing::debug_span!(target: "wx", "wx_call", api, call, kind = "async", outcome = tracing::field::Empty, err_msg = tracing::field::Empty)
            }
        };
        Watched {
            api,
            started: Instant::now(),
            span,
        }
    }

    /// Enters the call's span (around a sync call's body).
    pub(super) fn enter(&self) -> tracing::span::Entered<'_> {
        self.span.enter()
    }
}
