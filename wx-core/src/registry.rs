//! The [`Registry`]: every API that `#[wx_async]`, `#[wx_sync]` and `#[wx_event]`
//! declared in any linked crate, collected at start-up through `inventory`.

use crate::panic::BoxFuture;
use crate::schema::{self, Schema, SchemaFn};
use crate::{App, Args, CallForm, Emitter, Sink, Task, Value, WxError};

use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::sync::OnceLock;

/// How JS calls an API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKind {
    /// `wx.xxxSync(a, b)`: returns a value or throws.
    Sync,
    /// `wx.xxx({ ..., success, fail, complete })`, or a Promise.
    Async,
    /// `wx.onXxx(listener)`.
    On,
    /// `wx.offXxx(listener?)`, the twin every `on` API gets.
    Off,
}

impl ApiKind {
    /// `"sync"`, `"async"`, `"on"` or `"off"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiKind::Sync => "sync",
            ApiKind::Async => "async",
            ApiKind::On => "on",
            ApiKind::Off => "off",
        }
    }
}

impl fmt::Display for ApiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The wrapper a sync API becomes: decodes positional arguments, calls the
/// user's function, encodes the result. A sync API that returns an object
/// (`wx.createWorker`) receives its [`Task`].
pub type SyncFn = fn(&App, Args<'_>, Option<Task>, &mut dyn Sink) -> Result<(), WxError>;
/// The wrapper an async API becomes: decodes the options object (argument 0;
/// its callbacks are not options) and returns the call's future; a decode
/// error fails the call. The [`CallForm`] says whether the async form or its
/// Sync twin is running.
pub type AsyncFn = fn(
    &App,
    Args<'_>,
    Option<Task>,
    CallForm,
) -> Result<BoxFuture<Result<crate::Encoded, WxError>>, WxError>;
/// The wrapper an event source becomes: a future that runs while anyone listens.
pub type SourceFn = fn(&App, Emitter) -> BoxFuture<()>;

/// What runs when JS calls the API.
#[derive(Clone, Copy)]
pub enum Handler {
    /// See [`SyncFn`].
    Sync(SyncFn),
    /// See [`AsyncFn`].
    Async(AsyncFn),
    /// An `onXxx`/`offXxx` pair; the source, if any, starts with the first listener.
    Event(Option<SourceFn>),
}

/// A positional parameter of a sync API.
#[derive(Clone, Copy)]
pub struct ParamDef {
    /// Its JS name, used in parameter errors (`parameter.key`).
    pub name: &'static str,
    /// Its schema.
    pub schema: SchemaFn,
}

/// A method of a native object besides `abort` and the `on`/`off` pairs: JS calls
/// reach the running call as [`crate::TaskMessage`]s.
#[derive(Debug)]
pub struct MethodDef {
    /// The method's name (`send`).
    pub name: &'static str,
    /// The API name its callbacks' errMsg uses (`SocketTask.send` reports
    /// `"sendSocketMessage:ok"`).
    pub api: &'static str,
    /// The schema of its options object, if it takes one.
    pub options: Option<SchemaFn>,
}

/// An event of a native object (`RequestTask.onHeadersReceived`) and its `off` twin.
#[derive(Debug)]
pub struct EventDef {
    /// The `on` name (`onHeadersReceived`).
    pub name: &'static str,
    /// The base library version the `on` method appeared in, or `""`.
    pub since: &'static str,
    /// The `off` twin, by the version it appeared in (WeChat sometimes added it
    /// later); `None` where WeChat has none (`SocketTask` events).
    pub off_since: Option<&'static str>,
    /// The schema of the listener's argument.
    pub payload: SchemaFn,
    /// Whether a new listener adds to the others or replaces the one there
    /// (`Worker.onMessage` keeps only the last, as WeChat's does).
    pub listeners: Listeners,
}

/// A property of a native object (`BackgroundAudioManager.src`): JS reads it
/// like a plain property and, unless it is read-only, assigns it.
pub struct PropertyDef {
    /// The JS name (`src`, `currentTime`).
    pub name: &'static str,
    /// The base library version it appeared in, or `""`.
    pub since: &'static str,
    /// Read-only: JS gets a getter and no setter.
    pub readonly: bool,
    /// The schema of its value.
    pub schema: SchemaFn,
    /// Checks and normalises an assigned value (its type, then the API's own
    /// check); the error is thrown to the assigning JS.
    pub assign: fn(&Value) -> Result<Value, crate::WxError>,
}

impl std::fmt::Debug for PropertyDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PropertyDef")
            .field("name", &self.name)
            .field("readonly", &self.readonly)
            .finish_non_exhaustive()
    }
}

/// The object an API returns (`RequestTask`, `SocketTask`, ...): its class name,
/// its own methods and its events.
#[derive(Debug)]
pub struct ClassDef {
    /// The class name, as `canIUse("RequestTask.abort")` spells it.
    pub name: &'static str,
    /// Methods besides the built-in `abort`, forwarded to the running call.
    pub methods: &'static [MethodDef],
    /// `onXxx` events; each has an `offXxx` twin.
    pub events: &'static [EventDef],
    /// Whether the object has the built-in `abort()` (`SocketTask` has not: it closes).
    pub abort: bool,
    /// The base library version `abort()` appeared in, or `""`.
    pub abort_since: &'static str,
    /// Properties JS reads (and assigns, unless read-only).
    pub properties: &'static [PropertyDef],
    /// One object per app: the API returns the same object while it lives
    /// (`wx.getBackgroundAudioManager()`).
    pub singleton: bool,
}

impl ClassDef {
    /// The property called `name`.
    pub fn property(&self, name: &str) -> Option<&'static PropertyDef> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Whether `name` is a method of this class (`abort`, a declared method, or an `on`/`off` of an event).
    pub fn has_method(&self, name: &str) -> bool {
        (name == "abort" && self.abort)
            || self.method(name).is_some()
            || self.event_of(name).is_some()
    }

    /// The declared method called `name`.
    pub fn method(&self, name: &str) -> Option<&'static MethodDef> {
        self.methods.iter().find(|m| m.name == name)
    }

    /// The event called `name` (its `on` name).
    pub fn event(&self, name: &str) -> Option<&'static EventDef> {
        self.events.iter().find(|e| e.name == name)
    }

    /// The event an `onXxx`/`offXxx` method name refers to, as the `on` name.
    pub fn event_of(&self, method: &str) -> Option<&'static EventDef> {
        match off_to_on(method) {
            Some(on) => self
                .events
                .iter()
                .find(|e| e.name == on && e.off_since.is_some()),
            None => self.event(method),
        }
    }
}

/// Classes are compared by identity: each is one `static`.
impl PartialEq for ClassDef {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The name of an `on` event's `off` twin: `onCompassChange` → `offCompassChange`.
/// The one place the naming rule lives.
pub fn on_to_off(on: &str) -> Option<String> {
    on.strip_prefix("on").map(|rest| ["off", rest].concat())
}

/// The `on` name an `off` name undoes: `offCompassChange` → `onCompassChange`.
pub fn off_to_on(off: &str) -> Option<String> {
    off.strip_prefix("off").map(|rest| ["on", rest].concat())
}

/// The `offXxx` twin of an event API, as its declaration describes it.
#[derive(Debug, Clone, Copy)]
pub struct OffDef {
    /// The base library version the twin appeared in (`offCompassChange`: 2.9.3), or `""`.
    pub since: &'static str,
    /// Its one-line summary.
    pub summary: &'static str,
}

/// How an event API keeps its listeners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listeners {
    /// Every function registered is called, duplicates included (`wx.onCompassChange`).
    Many,
    /// Registering replaces the one listener (the legacy `wx.onSocketOpen` family).
    Single,
}

/// One API, as its macro declares it. Hosts read these through the [`Registry`];
/// a host building its own registry ([`Registry::from_defs`]) may copy one
/// under another name.
#[derive(Clone, Copy)]
pub struct ApiDef {
    /// The JS name (`getStorage`, `onCompassChange`).
    pub name: &'static str,
    /// `Sync`, `Async` or `On` (the `Off` twin is derived).
    pub kind: ApiKind,
    /// The first line of the function's rustdoc.
    pub summary: &'static str,
    /// The base library version the API appeared in, or `""`.
    pub since: &'static str,
    /// The Rust function behind it (`module::function`).
    pub rust_path: &'static str,
    /// Where it is declared.
    pub file: &'static str,
    /// The line it is declared on.
    pub line: u32,
    /// Whether results carry `errCode` (0 on success).
    pub err_code: bool,
    /// The object the call returns, if any.
    pub class: Option<&'static ClassDef>,
    /// What runs.
    pub handler: Handler,
    /// The options object's schema (async APIs).
    pub options: Option<SchemaFn>,
    /// Positional parameters (sync APIs).
    pub params: &'static [ParamDef],
    /// The success data (async), return value (sync) or listener argument (events).
    pub result: Option<SchemaFn>,
    /// Async APIs: whether a call with no truthy `success`, `fail` or `complete`
    /// returns a Promise (WeChat's `promised` APIs). Always `false` for task APIs.
    pub promise: bool,
    /// Event APIs: the `offXxx` twin, if WeChat has one (the legacy socket
    /// listeners have none).
    pub off: Option<OffDef>,
    /// Event APIs: how listeners are kept.
    pub listeners: Listeners,
}

inventory::collect!(ApiDef);

/// An entry the registry answers lookups with: the definition, and whether the
/// name is its `off` twin.
#[derive(Clone, Copy)]
pub struct Api {
    /// The name looked up (`offCompassChange` for a twin).
    pub name: &'static str,
    /// The kind of this name (`Off` for a twin).
    pub kind: ApiKind,
    /// The declaration.
    pub def: &'static ApiDef,
}

impl Api {
    /// The base library version this name appeared in (an `off` twin's own), or `""`.
    pub fn since(&self) -> &'static str {
        match (self.kind, self.def.off) {
            (ApiKind::Off, Some(off)) => off.since,
            _ => self.def.since,
        }
    }

    /// This name's one-line summary (an `off` twin's own).
    pub fn summary(&self) -> &'static str {
        match (self.kind, self.def.off) {
            (ApiKind::Off, Some(off)) => off.summary,
            _ => self.def.summary,
        }
    }
}

/// Two declarations of one JS name.
#[derive(Debug, Clone)]
pub struct DuplicateApi {
    /// The JS name.
    pub name: &'static str,
    /// The two declarations, as `rust::path (file:line)`.
    pub places: [String; 2],
}

impl fmt::Display for DuplicateApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wx API `{}` is declared twice: by {} and by {}",
            self.name, self.places[0], self.places[1]
        )
    }
}

impl std::error::Error for DuplicateApi {}

/// Why the program's registry cannot serve a host.
#[derive(Debug, Clone)]
pub enum RegistryError {
    /// Two declarations share a JS name.
    Duplicate(DuplicateApi),
    /// Nothing registered any API: the crates that declare them were not linked.
    ///
    /// ```
    /// // This program declares no API and links no API crate.
    /// let Err(err) = wx_core::Host::new(wx_core::App::builder("wx-empty").build()) else {
    ///     panic!("an empty registry serves no host");
    /// };
    /// assert!(err.to_string().contains("call `wx_apis::link()`"), "{err}");
    /// ```
    Empty,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryError::Duplicate(duplicate) => duplicate.fmt(f),
            RegistryError::Empty => f.write_str(
                "no wx API is registered: the linker dropped the crates that declare them. \
                 Reference each API crate from the host (call `wx_apis::link()` for wx-apis)",
            ),
        }
    }
}

impl std::error::Error for RegistryError {}

impl From<DuplicateApi> for RegistryError {
    fn from(duplicate: DuplicateApi) -> Self {
        RegistryError::Duplicate(duplicate)
    }
}

#[derive(Default)]
struct Schemas {
    options: Option<Schema>,
    params: Vec<(&'static str, Schema)>,
    result: Option<Schema>,
}

/// Every registered API, with O(1) lookup by name and iteration in name order.
pub struct Registry {
    apis: Vec<Api>,
    by_name: HashMap<&'static str, usize>,
    classes: HashMap<&'static str, &'static ClassDef>,
    schemas: Vec<OnceLock<Schemas>>,
}

impl Registry {
    /// The registry of everything linked into this program, built on first use.
    ///
    /// Fails if two declarations share a JS name (naming both), or if nothing
    /// is registered at all (an API crate was not linked: see [`RegistryError::Empty`]).
    pub fn global() -> Result<&'static Registry, RegistryError> {
        static GLOBAL: OnceLock<Result<Registry, RegistryError>> = OnceLock::new();
        GLOBAL
            .get_or_init(|| {
                let registry = Registry::from_defs(inventory::iter::<ApiDef>())?;
                match registry.is_empty() {
                    true => Err(RegistryError::Empty),
                    false => Ok(registry),
                }
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Builds a registry from these declarations.
    pub fn from_defs(
        defs: impl IntoIterator<Item = &'static ApiDef>,
    ) -> Result<Registry, DuplicateApi> {
        let mut apis = Vec::new();
        for def in defs {
            apis.push(Api {
                name: def.name,
                kind: def.kind,
                def,
            });
            if let (ApiKind::On, Some(_)) = (def.kind, def.off) {
                let off = on_to_off(def.name).unwrap_or_else(|| def.name.to_owned());
                apis.push(Api {
                    name: Box::leak(off.into_boxed_str()),
                    kind: ApiKind::Off,
                    def,
                });
            }
        }
        apis.sort_by(|a, b| {
            a.name
                .cmp(b.name)
                .then_with(|| place(a.def).cmp(&place(b.def)))
        });
        if let Some(pair) = apis.windows(2).find(|w| w[0].name == w[1].name) {
            return Err(DuplicateApi {
                name: pair[0].name,
                places: [place(pair[0].def), place(pair[1].def)],
            });
        }
        let by_name = apis
            .iter()
            .enumerate()
            .map(|(i, api)| (api.name, i))
            .collect();
        let classes = apis
            .iter()
            .filter_map(|api| api.def.class)
            .map(|c| (c.name, c))
            .collect();
        let schemas = apis.iter().map(|_| OnceLock::new()).collect();
        Ok(Registry {
            apis,
            by_name,
            classes,
            schemas,
        })
    }

    /// The API called `name`.
    pub fn get(&self, name: &str) -> Option<Api> {
        self.by_name.get(name).map(|&i| self.apis[i])
    }

    /// Every API, in name order (stable across runs).
    pub fn iter(&self) -> impl Iterator<Item = Api> + '_ {
        self.apis.iter().copied()
    }

    /// How many names are registered (`off` twins included).
    pub fn len(&self) -> usize {
        self.apis.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.apis.is_empty()
    }

    /// The class called `name` (`RequestTask`).
    pub fn class(&self, name: &str) -> Option<&'static ClassDef> {
        self.classes.get(name).copied()
    }

    fn schemas(&self, name: &str) -> Option<(&Api, &Schemas)> {
        let &i = self.by_name.get(name)?;
        let api = &self.apis[i];
        let schemas = self.schemas[i].get_or_init(|| Schemas {
            options: api.def.options.map(|f| f()),
            params: api
                .def
                .params
                .iter()
                .map(|p| (p.name, (p.schema)()))
                .collect(),
            result: api.def.result.map(|f| f()),
        });
        Some((api, schemas))
    }

    /// Answers `wx.canIUse(schema)` from the declarations' metadata. Unknown or
    /// malformed schemas are `false`, never an error.
    ///
    /// Forms: `api`, `api.section` (`request.success`), `api.object.param[.sub…][.enumValue]`
    /// (also for a sync API's positional parameters), `api.success.field[.sub…]`,
    /// `api.return.field[.sub…]`, `onApi.callback.field[.sub…]`, `Class`, `Class.member`.
    pub fn can_i_use(&self, query: &str) -> bool {
        let mut steps = query.split('.');
        let Some(head) = steps.next().filter(|h| !h.is_empty()) else {
            return false;
        };
        let rest: Vec<&str> = steps.collect();
        if rest.iter().any(|s| s.is_empty()) {
            return false;
        }
        if let Some(class) = self.class(head) {
            return match rest.as_slice() {
                [] => true,
                [member] => class.has_method(member) || class.property(member).is_some(),
                _ => false,
            };
        }
        let Some((api, schemas)) = self.schemas(head) else {
            return false;
        };
        let Some((&section, path)) = rest.split_first() else {
            return true;
        };
        let schema = match (section, api.kind) {
            ("object", ApiKind::Async) => schemas.options.as_ref(),
            ("object", ApiKind::Sync) if !schemas.params.is_empty() => {
                let Some((first, sub)) = path.split_first() else {
                    return true;
                };
                return schemas.params.iter().any(|(name, s)| {
                    name == first && (sub.is_empty() || schema::has_path(s, sub))
                });
            }
            ("success", ApiKind::Async) | ("return", ApiKind::Sync) | ("callback", ApiKind::On) => {
                schemas.result.as_ref()
            }
            _ => return false,
        };
        // `api.section` alone asks whether the API has that section at all.
        schema.is_some_and(|s| path.is_empty() || schema::has_path(s, path))
    }
}

fn place(def: &ApiDef) -> String {
    format!("{} ({}:{})", def.rust_path, def.file, def.line)
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.apis.iter().map(|a| a.name))
            .finish()
    }
}
