//! Workers: `wx.createWorker(scriptPath)` returns a `Worker` whose script runs
//! in a JS engine of its own, on a thread of its own. The engine is the host's
//! (a [`WorkerHost`] service); the rules are here: one live worker per app, a
//! leading `/` stripped from the path, WeChat's logged (not thrown) failures,
//! messages in order both ways, nothing after `terminate()`.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wx_core::{wx_sync, App, Emitter, JsonSchema, Loose, Task, Value, WxError};

/// At most this many live workers per app (WeChat's default).
pub const MAX_WORKERS: usize = 1;

/// Where a worker's messages and errors go: emit from the worker's thread.
pub struct WorkerEvents {
    /// `worker.postMessage(value)`: the value, to the `Worker`'s `onMessage`.
    pub message: Emitter,
    /// An uncaught error in the worker: a [`WorkerError`], to `onError`.
    pub error: Emitter,
}

/// The app side's hold on a running worker.
pub trait WorkerHandle: Send {
    /// Delivers `message` to the worker's `worker.onMessage` handlers.
    fn post(&self, message: Value);
    /// Stops the worker, even in the middle of a loop that never yields.
    fn terminate(&self);
}

/// Why a worker could not start.
#[derive(Debug)]
pub enum WorkerStartError {
    /// No such script (`createWorker: Worker "<path>" does not exists.`).
    NotFound,
    /// Anything else (`createWorker: unknown error.`), with what lies behind it.
    Other(String),
}

/// Runs worker scripts: the host's JS engine, started on a thread per worker.
pub trait WorkerHost: Send + Sync + 'static {
    /// Starts `script` (a package path such as `workers/index.js`).
    fn start(
        &self,
        script: &str,
        events: WorkerEvents,
    ) -> Result<Box<dyn WorkerHandle>, WorkerStartError>;
}

/// The app's worker engine: `App::builder(..).service(Workers::new(host))`.
/// Without one, `createWorker` fails as WeChat does for an unknown error.
#[derive(Clone)]
pub struct Workers(Arc<dyn WorkerHost>);

impl Workers {
    /// Workers run by `host`.
    pub fn new(host: impl WorkerHost) -> Self {
        Workers(Arc::new(host))
    }
}

/// Options of `wx.createWorker`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkerOptions {
    /// An experimental worker (iOS); accepted, and run as a normal one.
    pub use_experimental_worker: Option<bool>,
}

/// What a worker's uncaught error gives `Worker.onError`: an error-like object.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WorkerError {
    /// The error's message.
    pub message: String,
    /// Its stack, with the worker script's file and lines.
    pub stack: String,
}

/// What `Worker.onProcessKilled` listeners get.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProcessKilled {
    /// Why the worker's process ended.
    pub err_msg: String,
}

/// The live workers of one app.
#[derive(Default)]
struct Live(AtomicUsize);

impl Live {
    /// Whether fewer than `max` workers live. At the limit it waits a moment:
    /// a `terminate()` just called is counted by the worker's task, on another
    /// thread, within microseconds, and WeChat counts it at once.
    fn wait_below(&self, max: usize) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(20);
        loop {
            if self.0.load(Ordering::Acquire) < max {
                return true;
            }
            if std::time::Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
    }
}

/// Starts a worker running `scriptPath` (a path in the package, such as
/// `workers/index.js`), returning its `Worker`. Failures are logged and give
/// `undefined`, as WeChat's base library does.
#[wx_sync(
    since = "1.9.90",
    task = "Worker",
    events(
        on_message(Value, no_off, single_listener),
        on_error(WorkerError, no_off, single_listener),
        on_process_killed(ProcessKilled, no_off, single_listener)
    ),
    methods(post_message, terminate, test_on_process_killed)
)]
fn create_worker(
    app: &App,
    mut task: Task,
    script_path: Loose<String>,
    options: Option<CreateWorkerOptions>,
) -> Result<(), WxError> {
    let _ = options;
    let path = match &script_path.value {
        Value::String(path) => path.clone(),
        other => {
            wx_core::json_stringify(other).map_or_else(|| "undefined".to_owned(), |j| j.to_string())
        }
    };
    // The worker requires the path from the package root: `/a` is `a`.
    let script = path.strip_prefix('/').unwrap_or(&path).to_owned();
    let live = app.state(Live::default);
    if !live.wait_below(MAX_WORKERS) {
        return Err(WxError::console(
            "createWorker: exceed max concurrent workers limit.",
        ));
    }
    let Some(host) = app.service::<Workers>() else {
        return Err(WxError::console("createWorker: unknown error.")
            .with_detail("this host runs no workers (no Workers service)"));
    };
    let events = WorkerEvents {
        message: task.emitter("onMessage").expect("declared above"),
        error: task.emitter("onError").expect("declared above"),
    };
    let handle = host.0.start(&script, events).map_err(|err| match err {
        WorkerStartError::NotFound => {
            WxError::console(format!("createWorker: Worker \"{path}\" does not exists."))
        }
        WorkerStartError::Other(detail) => {
            WxError::console("createWorker: unknown error.").with_detail(detail)
        }
    })?;
    live.0.fetch_add(1, Ordering::AcqRel);
    app.runtime().spawn(async move {
        while let Some(message) = task.next_message().await {
            match message.method.as_str() {
                "postMessage" => handle.post(message.args.into_iter().next().unwrap_or_default()),
                "terminate" => break,
                "testOnProcessKilled" => {
                    task.emit(
                        "onProcessKilled",
                        &ProcessKilled {
                            err_msg: "worker has been killed".into(),
                        },
                    );
                    break;
                }
                _ => {}
            }
        }
        // Terminated (or every handle on the object is gone): the worker stops,
        // and dropping the task ends the object, so nothing more reaches JS.
        handle.terminate();
        live.0.fetch_sub(1, Ordering::AcqRel);
    });
    Ok(())
}
