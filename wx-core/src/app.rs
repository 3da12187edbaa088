//! [`App`]: the context every API receives: which mini-program is calling, where
//! its files live, the host's services and per-app state, and the tokio runtime
//! its futures run on.

use std::any::{Any, TypeId};
// TypeIds are already hashes: FxHash, not SipHash, for a lookup every call makes.
use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::runtime::Handle;

type AnyArc = Arc<dyn Any + Send + Sync>;

/// One running mini-program, as the APIs see it. Cheap to clone (an `Arc`).
///
/// An API asks for it by taking `app: &App` as a parameter; the macros inject it.
///
/// ```
/// let app = wx_core::App::builder("wx-demo").data_dir("/tmp/wx-demo").build();
/// assert_eq!(app.app_id(), "wx-demo");
/// ```
#[derive(Clone)]
pub struct App(Arc<AppInner>);

struct AppInner {
    app_id: String,
    data_dir: PathBuf,
    runtime: Handle,
    services: HashMap<TypeId, AnyArc>,
    state: Mutex<HashMap<TypeId, AnyArc>>,
}

impl App {
    /// Starts building the context of the mini-program `app_id`.
    pub fn builder(app_id: impl Into<String>) -> AppBuilder {
        AppBuilder {
            app_id: app_id.into(),
            data_dir: None,
            runtime: None,
            services: HashMap::default(),
        }
    }

    /// The mini-program's app id.
    pub fn app_id(&self) -> &str {
        &self.0.app_id
    }

    /// The folder this mini-program's data lives in (storage, files):
    /// [`default_data_root`]`/<app id>` unless the builder was given one.
    pub fn data_dir(&self) -> &Path {
        &self.0.data_dir
    }

    /// The tokio runtime async APIs and event sources run on.
    pub fn runtime(&self) -> &Handle {
        &self.0.runtime
    }

    /// A service the host installed with [`AppBuilder::service`] (a login code
    /// provider, a device profile, ...).
    pub fn service<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        let service = self.0.services.get(&TypeId::of::<T>())?.clone();
        service.downcast().ok()
    }

    /// Per-app state of type `T`, created by `init` on first use and shared by every
    /// later call (a database connection, a socket table, ...).
    pub fn state<T: Any + Send + Sync>(&self, init: impl FnOnce() -> T) -> Arc<T> {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        let slot = state
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(init()));
        slot.clone()
            .downcast()
            .expect("state is keyed by its own TypeId")
    }
}

impl App {
    /// Tells the host developer what lies behind a failure whose errMsg JS sees in
    /// WeChat's words (`request:fail net::ERR_CONNECTION_REFUSED` behind an OS
    /// error): passed to the host's [`Diagnostics`] service, if it installed one.
    /// wx-core calls it for every failed call whose error kept a detail
    /// ([`crate::WxError::with_detail`]); an API may call it directly too.
    pub fn diagnose(&self, api: &str, detail: &dyn fmt::Display) {
        if let Some(diagnostics) = self.service::<Diagnostics>() {
            (diagnostics.0)(api, &detail.to_string());
        }
    }
}

/// Where [`App::diagnose`] sends its lines (`(api, detail)`); a host installs it
/// with `App::builder(..).service(Diagnostics::new(..))`. None by default.
#[derive(Clone)]
pub struct Diagnostics(Arc<WriteDiagnostic>);

type WriteDiagnostic = dyn Fn(&str, &str) + Send + Sync;

impl Diagnostics {
    /// Diagnostics written by `write`.
    pub fn new(write: impl Fn(&str, &str) + Send + Sync + 'static) -> Self {
        Diagnostics(Arc::new(write))
    }
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("app_id", &self.0.app_id)
            .field("data_dir", &self.0.data_dir)
            .finish_non_exhaustive()
    }
}

/// Checks that `id` is safe to use as an app id, which hosts turn into a folder
/// name: 1 to 64 ASCII letters, digits, `-`, `_` or `.`, not starting with `.`.
/// WeChat's own ids (`wx` and 16 hex digits) are of this kind; `../x`, absolute
/// paths, path separators, control characters and the empty id are not.
///
/// ```
/// assert!(wx_core::check_app_id("wx1234567890abcdef").is_ok());
/// assert!(wx_core::check_app_id("../x").is_err());
/// ```
pub fn check_app_id(id: &str) -> Result<(), String> {
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if id.is_empty() || id.len() > 64 || id.starts_with('.') || !id.chars().all(safe) {
        return Err(format!(
            "invalid app id {:?}: use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.' (WeChat's look like wx0123456789abcdef)",
            crate::brief(id, 80)
        ));
    }
    Ok(())
}

/// Builds an [`App`].
pub struct AppBuilder {
    app_id: String,
    data_dir: Option<PathBuf>,
    runtime: Option<Handle>,
    services: HashMap<TypeId, AnyArc>,
}

impl AppBuilder {
    /// Where the app's data lives; default: `wx-data/<app id>` in the system temp folder.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Runs async APIs on this runtime instead of wx-core's default one.
    pub fn runtime(mut self, handle: Handle) -> Self {
        self.runtime = Some(handle);
        self
    }

    /// Installs a host service that APIs find with [`App::service`].
    pub fn service<T: Any + Send + Sync>(mut self, service: T) -> Self {
        self.services.insert(TypeId::of::<T>(), Arc::new(service));
        self
    }

    /// Finishes the context.
    pub fn build(self) -> App {
        let data_dir = self
            .data_dir
            .unwrap_or_else(|| default_data_root().join(&self.app_id));
        App(Arc::new(AppInner {
            app_id: self.app_id,
            data_dir,
            runtime: self.runtime.unwrap_or_else(default_runtime),
            services: self.services,
            state: Mutex::new(HashMap::default()),
        }))
    }
}

/// Where apps keep their data when the host does not say: `wx-rs/` in the
/// per-user data folder (`$XDG_DATA_HOME` or `~/.local/share` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows), or in the
/// temp folder when there is none. One folder per app id below it: what
/// `App::builder(id).build()` and `wx-host` both use.
pub fn default_data_root() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("wx-rs")
}

/// wx-core's own runtime, started on first use: two worker threads named
/// `wx-worker`, living as long as the process.
pub fn default_runtime() -> Handle {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("wx-worker")
                .enable_all()
                .build()
                .expect("the default tokio runtime starts")
        })
        .handle()
        .clone()
}
