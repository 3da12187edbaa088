//! The internal model of one API: what the function and its attribute declare,
//! checked against WeChat's naming rules and the shapes wx-core can call.

use crate::case::{camel, is_on_name};
use crate::kind::Kind;
use crate::options::Options;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, Ident, ItemFn, Pat, PathArguments, ReturnType, Type};

/// One parameter of the user's function, by the role it plays.
pub enum Param {
    /// `&App` (or `App`): injected.
    App { by_ref: bool },
    /// `Task`: the call's native object (async APIs with `task = "..."`).
    Task,
    /// `CallForm`: whether the async form or its Sync twin is running.
    Form,
    /// `EventSink<T>`: where an event source emits `T`.
    Sink { payload: Type },
    /// The options object of an async API.
    Options { ty: Type },
    /// A positional argument of a sync API, with its JS name.
    Positional { name: String, ty: Type },
}

/// One event of a class.
pub struct Event {
    /// The `on` name (`onHeadersReceived`).
    pub name: String,
    pub since: String,
    /// The `off` twin's version; `None` with `no_off`.
    pub off_since: Option<String>,
    /// The listener's argument type.
    pub payload: Type,
    /// `single_listener`: a new listener replaces the one there.
    pub single_listener: bool,
}

/// The class of the object a task API returns.
pub struct Class {
    pub name: String,
    pub events: Vec<Event>,
    /// (method name, the API name its callbacks' errMsg uses, its options type).
    pub methods: Vec<(String, String, Option<Type>)>,
    /// Whether the object has the built-in `abort()`.
    pub abort: bool,
    pub abort_since: String,
    pub properties: Vec<Property>,
    /// One object per app (`singleton`).
    pub singleton: bool,
}

/// A property of the returned object.
pub struct Property {
    /// The JS name (`currentTime`).
    pub name: String,
    pub ty: Type,
    pub readonly: bool,
    pub since: String,
    pub check: Option<syn::Path>,
}

/// The `offXxx` twin of an event API.
pub struct Off {
    pub since: String,
    pub summary: String,
}

/// The `xxxSync` twin of an async API.
pub struct SyncTwin {
    pub name: String,
    /// Option fields filled by the positional arguments, as (Rust name, JS name).
    pub fields: Vec<(Ident, String)>,
    /// The success-data field the twin returns, or `None` for all of it.
    pub result: Option<(Ident, String)>,
}

/// What the function returns: `T` or `Result<T, E>`.
pub struct Output {
    pub fallible: bool,
    /// `T`, the data JS receives (`()` when the function returns nothing).
    pub data: Type,
    /// Where the return type is written (the function's name when it has none),
    /// for errors about what it returns.
    pub span: Span,
}

pub struct Api {
    pub kind: Kind,
    pub js_name: String,
    pub ident: Ident,
    pub summary: String,
    pub since: String,
    pub err_code: bool,
    pub class: Option<Class>,
    pub params: Vec<Param>,
    pub output: Output,
    pub sync_twin: Option<SyncTwin>,
    /// Async APIs without an object: a call with no callbacks returns a Promise.
    pub promise: bool,
    /// Event APIs: the `offXxx` twin, unless `no_off`.
    pub off: Option<Off>,
    pub single_listener: bool,
}

/// Collects every error instead of stopping at the first, so one build shows them all.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, span: impl Spanned, message: impl std::fmt::Display) {
        let err = syn::Error::new(span.span(), message);
        match &mut self.0 {
            Some(all) => all.combine(err),
            None => self.0 = Some(err),
        }
    }

    fn finish<T>(self, value: T) -> syn::Result<T> {
        self.0.map_or(Ok(value), Err)
    }
}

impl Api {
    pub fn from_fn(kind: Kind, options: Options, func: &ItemFn) -> syn::Result<Api> {
        let mut errors = Errors::default();
        let sig = &func.sig;
        let macro_name = kind.macro_name();

        let (js_name, name_span) = match &options.name {
            Some(lit) => (lit.value(), lit.span()),
            None => (camel(&sig.ident.to_string()), sig.ident.span()),
        };
        check_name(kind, &js_name, name_span, &mut errors);

        let generic = sig.generics.params.first().map(Spanned::span);
        if let Some(span) =
            generic.or_else(|| sig.generics.where_clause.as_ref().map(Spanned::span))
        {
            errors.push(
                span,
                format_args!(
                    "{macro_name} functions cannot be generic: JS calls one concrete function"
                ),
            );
        }
        if let Some(constness) = &sig.constness {
            errors.push(
                constness,
                format_args!("{macro_name} cannot be a `const fn`"),
            );
        }
        if let Some(unsafety) = &sig.unsafety {
            errors.push(
                unsafety,
                format_args!(
                    "{macro_name} cannot be an `unsafe fn`: JS cannot uphold its contract"
                ),
            );
        }
        if let Some(abi) = &sig.abi {
            errors.push(
                abi,
                format_args!("{macro_name} cannot have an `extern` ABI"),
            );
        }
        if let Some(variadic) = &sig.variadic {
            errors.push(variadic, format_args!("{macro_name} cannot be variadic"));
        }
        match (kind, &sig.asyncness) {
            (Kind::Sync, Some(asyncness)) => {
                errors.push(asyncness, "#[wx_sync] runs on the JS thread and returns at once: remove `async`, or use #[wx_async]")
            }
            (Kind::Async | Kind::Event, None) => errors.push(
                sig.fn_token,
                format_args!("{macro_name} needs an `async fn`"),
            ),
            _ => {}
        }

        let class = match &options.task {
            Some(lit) => {
                let name = lit.value();
                if !is_class_name(&name) {
                    errors.push(lit, "a task class name is an identifier in UpperCamelCase, such as \"RequestTask\"");
                }
                let methods = methods_of(&name, &options.methods, &mut errors);
                let events = events_of(&options.events, &mut errors);
                // A sync API's object has no pending call for `abort` to stop.
                let abort = kind == Kind::Async && options.no_abort.is_none();
                if let (Some(lit), false) = (&options.abort_since, abort) {
                    errors.push(
                        lit,
                        "`abort_since` dates `abort()`, and this object has none",
                    );
                }
                let properties = properties_of(&options.properties, &methods, &events, &mut errors);
                Some(Class {
                    name,
                    events,
                    methods,
                    abort,
                    abort_since: version_of(options.abort_since.as_ref(), &mut errors),
                    properties,
                    singleton: options.singleton.is_some(),
                })
            }
            None => {
                let first = options
                    .events
                    .first()
                    .map(|e| &e.ident)
                    .or(options.methods.first().map(|(m, _, _)| m))
                    .or(options.properties.first().map(|p| &p.ident));
                if let Some(first) = first.or(options.no_abort.as_ref()) {
                    errors.push(first, "`events`, `methods`, `properties` and `no_abort` describe the returned object: add `task = \"ClassName\"`");
                }
                if let Some(singleton) = &options.singleton {
                    errors.push(
                        singleton,
                        "`singleton` describes the returned object: add `task = \"ClassName\"`",
                    );
                }
                if let Some(lit) = &options.abort_since {
                    errors.push(lit, "`abort_since` dates the returned object's `abort()`: add `task = \"ClassName\"`");
                }
                None
            }
        };

        let params = params_of(kind, func, class.is_some(), &mut errors);
        if let (Kind::Sync, Some(lit)) = (kind, &options.task) {
            if !params.iter().any(|p| matches!(p, Param::Task)) {
                errors.push(lit, "a sync API that returns an object takes its `Task` and keeps it for as long as the object lives (move it into a spawned future)");
            }
        }
        let output = output_of(kind, sig, &mut errors);
        let sync_twin = sync_twin_of(&options, &js_name, &params, class.is_some(), &mut errors);
        if let (Some(flag), true) = (&options.no_promise, class.is_some()) {
            errors.push(
                flag,
                "an API that returns an object never returns a Promise: remove `no_promise`",
            );
        }
        let promise = kind == Kind::Async && class.is_none() && options.no_promise.is_none();
        let since = version_of(options.since.as_ref(), &mut errors);
        let off = off_of(kind, &options, &js_name, &since, &mut errors);

        let api = Api {
            kind,
            js_name,
            ident: sig.ident.clone(),
            summary: summary_of(func),
            since,
            err_code: options.err_code,
            class,
            params,
            output,
            sync_twin,
            promise,
            off,
            single_listener: options.single_listener.is_some(),
        };
        errors.finish(api)
    }

    /// The success-data (async), return (sync) or payload (event) type.
    pub fn result_type(&self) -> &Type {
        match self.kind {
            Kind::Event => self
                .params
                .iter()
                .find_map(|p| match p {
                    Param::Sink { payload } => Some(payload),
                    _ => None,
                })
                .unwrap_or(&self.output.data),
            _ => &self.output.data,
        }
    }
}

fn check_name(kind: Kind, name: &str, span: Span, errors: &mut Errors) {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        errors.push(span, format_args!("`{name}` is not a valid JS API name: use letters and digits, starting with a letter"));
        return;
    }
    match kind {
        Kind::Event if !is_on_name(name) => errors.push(
            span,
            format_args!("event APIs are named `onXxx` (the `offXxx` twin is generated); `{name}` does not start with `on`"),
        ),
        Kind::Async | Kind::Sync if is_on_name(name) => errors.push(
            span,
            format_args!("`{name}` starts with `on`, which WeChat reserves for event listeners: use #[wx_event]"),
        ),
        Kind::Async | Kind::Event if name.ends_with("Sync") => errors.push(
            span,
            format_args!("`{name}` ends with `Sync`, which WeChat reserves for sync APIs: use #[wx_sync]"),
        ),
        _ => {}
    }
}

/// A base library version (`"2.21.3"`: one to three dot-separated numbers), or `""` if none is given.
fn version_of(lit: Option<&syn::LitStr>, errors: &mut Errors) -> String {
    let Some(lit) = lit else {
        return String::new();
    };
    let value = lit.value();
    let parts: Vec<&str> = value.split('.').collect();
    let valid = parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !valid {
        errors.push(
            lit,
            format_args!("`{value}` is not a base library version: write it as \"2.21.3\""),
        );
    }
    value
}

/// The `offXxx` twin an event API gets: dated and summarised by `off_since` and
/// `off_summary`, or absent with `no_off`.
fn off_of(
    kind: Kind,
    options: &Options,
    js_name: &str,
    since: &str,
    errors: &mut Errors,
) -> Option<Off> {
    if kind != Kind::Event {
        return None;
    }
    let off_since = version_of(options.off_since.as_ref(), errors);
    if options.no_off.is_some() {
        if let Some(lit) = options.off_since.as_ref().or(options.off_summary.as_ref()) {
            errors.push(
                lit,
                "this event has no `off` twin (`no_off`): remove the `off_` options",
            );
        }
        return None;
    }
    let summary = options.off_summary.as_ref().map_or_else(
        || {
            format!(
                "Stops calling `listener` for `{js_name}`, or every listener when none is given."
            )
        },
        syn::LitStr::value,
    );
    Some(Off {
        since: if options.off_since.is_some() {
            off_since
        } else {
            since.to_owned()
        },
        summary,
    })
}

fn is_class_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Declared methods as (JS name, errMsg API name); the API name defaults to `Class.method`.
fn methods_of(
    class: &str,
    methods: &[(Ident, Option<Type>, Option<syn::LitStr>)],
    errors: &mut Errors,
) -> Vec<(String, String, Option<Type>)> {
    let idents: Vec<Ident> = methods.iter().map(|(m, _, _)| m.clone()).collect();
    let names = names_of(&idents, false, errors);
    names
        .into_iter()
        .zip(methods)
        .map(|(name, (_, options, api))| {
            let api = api
                .as_ref()
                .map_or_else(|| format!("{class}.{name}"), syn::LitStr::value);
            (name, api, options.clone())
        })
        .collect()
}

/// The class's properties, each with its type; a name may not be a method's or an event's.
fn properties_of(
    properties: &[crate::options::PropertyOption],
    methods: &[(String, String, Option<Type>)],
    events: &[Event],
    errors: &mut Errors,
) -> Vec<Property> {
    let mut seen: Vec<String> = Vec::new();
    properties
        .iter()
        .filter_map(|p| {
            let name = camel(&p.ident.to_string());
            let Some(ty) = p.ty.clone() else {
                errors.push(
                    &p.ident,
                    format_args!("name the property's type: `{}(String)`", p.ident),
                );
                return None;
            };
            let taken = name == "abort"
                || is_on_name(&name)
                || name.starts_with("off")
                || methods.iter().any(|(m, _, _)| *m == name)
                || events.iter().any(|e| e.name == name);
            if taken || seen.contains(&name) {
                errors.push(
                    &p.ident,
                    format_args!(
                        "`{}` is a method, an event or another property of this object already",
                        p.ident
                    ),
                );
            }
            seen.push(name.clone());
            Some(Property {
                name,
                ty,
                readonly: p.readonly.is_some(),
                since: version_of(p.since.as_ref(), errors),
                check: p.check.clone(),
            })
        })
        .collect()
}

/// The class's events, each named `onXxx` and given its listener's argument type.
fn events_of(events: &[crate::options::EventOption], errors: &mut Errors) -> Vec<Event> {
    let idents: Vec<Ident> = events.iter().map(|e| e.ident.clone()).collect();
    let names = names_of(&idents, true, errors);
    let mut seen = Vec::new();
    names
        .into_iter()
        .zip(events)
        .map(|(name, event)| {
            if seen.contains(&name) {
                errors.push(
                    &event.ident,
                    format_args!("the event `{name}` is listed twice"),
                );
            }
            seen.push(name.clone());
            let payload = event.payload.clone().unwrap_or_else(|| {
                errors.push(
                    &event.ident,
                    format_args!(
                        "name the listener's argument type: `{}(Payload)`",
                        event.ident
                    ),
                );
                syn::parse_quote!(())
            });
            let since = version_of(event.since.as_ref(), errors);
            let off_since = match (&event.off_since, &event.no_off) {
                (Some(lit), Some(_)) => {
                    errors.push(
                        lit,
                        "`off_since` dates an `off` twin, and `no_off` says there is none",
                    );
                    None
                }
                (Some(_), None) => Some(version_of(event.off_since.as_ref(), errors)),
                (None, Some(_)) => None,
                (None, None) => Some(since.clone()),
            };
            Event {
                name,
                since,
                off_since,
                payload,
                single_listener: event.single_listener.is_some(),
            }
        })
        .collect()
}

/// `on_progress_update` → `onProgressUpdate`, checking that events start with `on`.
fn names_of(idents: &[Ident], events: bool, errors: &mut Errors) -> Vec<String> {
    idents
        .iter()
        .map(|ident| {
            let name = camel(&ident.to_string());
            if events && !is_on_name(&name) {
                errors.push(
                    ident,
                    format_args!(
                        "object events are named `on_xxx`; `{ident}` does not start with `on_`"
                    ),
                );
            }
            if !events && (name == "abort" || is_on_name(&name) || name.starts_with("off")) {
                errors.push(
                    ident,
                    format_args!(
                        "`{ident}` is provided by the object already or belongs in `events(...)`"
                    ),
                );
            }
            name
        })
        .collect()
}

fn sync_twin_of(
    options: &Options,
    js_name: &str,
    params: &[Param],
    has_class: bool,
    errors: &mut Errors,
) -> Option<SyncTwin> {
    let Some((keyword, fields)) = &options.sync else {
        if let Some(result) = &options.sync_result {
            errors.push(
                result,
                "`sync_result` describes the Sync twin: add `sync` or `sync(field, ...)`",
            );
        }
        return None;
    };
    if has_class || params.iter().any(|p| matches!(p, Param::Task)) {
        errors.push(
            keyword,
            "a Sync twin returns a value, not an object: an API that returns an object (`task = ...`) cannot have one",
        );
    }
    let has_options = params.iter().any(|p| matches!(p, Param::Options { .. }));
    if let (Some(first), false) = (fields.first(), has_options) {
        errors.push(
            first,
            "positional arguments fill fields of the options object, and this API takes none",
        );
    }
    let js = |ident: &Ident| (ident.clone(), camel(&ident.to_string()));
    Some(SyncTwin {
        name: format!("{js_name}Sync"),
        fields: fields.iter().map(js).collect(),
        result: options.sync_result.as_ref().map(js),
    })
}

/// The last path segment of a type, looking through one `&`: `&wx_core::App` → `App`.
fn last_segment(ty: &Type) -> Option<(&syn::PathSegment, bool)> {
    match ty {
        Type::Reference(r) => last_segment(&r.elem).map(|(seg, _)| (seg, true)),
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|seg| (seg, false)),
        Type::Group(g) => last_segment(&g.elem),
        _ => None,
    }
}

fn first_generic(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

fn params_of(kind: Kind, func: &ItemFn, has_class: bool, errors: &mut Errors) -> Vec<Param> {
    let mut params = Vec::new();
    let macro_name = kind.macro_name();
    let mut seen_options = false;
    for input in &func.sig.inputs {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                errors.push(receiver.self_token, format_args!("{macro_name} goes on a free function, not a method: JS has no `self` to pass"));
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        let ty = &*typed.ty;
        let role = last_segment(ty).map(|(seg, by_ref)| (seg.ident.to_string(), seg, by_ref));
        let param = match role
            .as_ref()
            .map(|(name, seg, by_ref)| (name.as_str(), *seg, *by_ref))
        {
            Some(("App", _, by_ref)) => {
                if let Type::Reference(reference) = ty {
                    if let Some(mutability) = &reference.mutability {
                        errors.push(
                            mutability,
                            "take `&App`: every call of every API shares the app, none may borrow it mutably (keep mutable state in `App::state`)",
                        );
                    }
                }
                Param::App { by_ref }
            }
            Some(("Task", _, by_ref)) => {
                if kind == Kind::Event {
                    errors.push(
                        ty,
                        "a `Task` belongs to an API's returned object; #[wx_event] returns none",
                    );
                } else if !has_class {
                    errors.push(
                        ty,
                        format_args!(
                            "taking a `Task` needs `task = \"ClassName\"` in {macro_name}"
                        ),
                    );
                } else if by_ref {
                    errors.push(
                        ty,
                        "take the `Task` by value: the call owns its object's side",
                    );
                }
                Param::Task
            }
            Some(("CallForm", _, by_ref)) => {
                if kind != Kind::Async {
                    errors.push(ty, format_args!("`CallForm` tells an async API from its Sync twin; {macro_name} has no twin"));
                } else if by_ref {
                    errors.push(ty, "take the `CallForm` by value");
                }
                Param::Form
            }
            Some(("EventSink", seg, _)) => {
                if kind != Kind::Event {
                    errors.push(
                        ty,
                        format_args!(
                            "an `EventSink` belongs to #[wx_event]; {macro_name} cannot take one"
                        ),
                    );
                }
                match first_generic(seg) {
                    Some(payload) => Param::Sink {
                        payload: payload.clone(),
                    },
                    None => {
                        errors.push(ty, "name the payload type: `EventSink<Payload>`");
                        Param::Sink {
                            payload: syn::parse_quote!(()),
                        }
                    }
                }
            }
            _ => {
                match kind {
                    Kind::Async => {
                        if seen_options {
                            errors.push(ty, "an async API takes one options object; put every field in one struct");
                        }
                        seen_options = true;
                        if let Type::Reference(r) = ty {
                            errors.push(
                                r.and_token,
                                "take the options by value: they are decoded for this call",
                            );
                        }
                        Param::Options { ty: ty.clone() }
                    }
                    Kind::Sync => match &*typed.pat {
                        Pat::Ident(pat) if !matches!(ty, Type::Reference(_)) => Param::Positional {
                            name: camel(&pat.ident.to_string()),
                            ty: ty.clone(),
                        },
                        Pat::Ident(_) => {
                            errors.push(ty, "take positional arguments by value: they are decoded for this call");
                            continue;
                        }
                        pat => {
                            errors.push(pat, "positional arguments need a plain name: it is the name parameter errors use");
                            continue;
                        }
                    },
                    Kind::Event => {
                        errors.push(
                            ty,
                            "an event source takes `&App` and `EventSink<Payload>` only",
                        );
                        continue;
                    }
                }
            }
        };
        params.push(param);
    }
    if kind == Kind::Event && !params.iter().any(|p| matches!(p, Param::Sink { .. })) {
        errors.push(
            &func.sig.ident,
            "an event source needs an `EventSink<Payload>` parameter to emit through",
        );
    }
    params
}

fn output_of(kind: Kind, sig: &syn::Signature, errors: &mut Errors) -> Output {
    let unit = |span| Output {
        fallible: false,
        data: syn::parse_quote!(()),
        span,
    };
    let ty = match &sig.output {
        ReturnType::Default => return unit(sig.ident.span()),
        ReturnType::Type(_, ty) => &**ty,
    };
    let span = ty.span();
    if let Type::ImplTrait(_) = ty {
        errors.push(
            ty,
            "return a concrete type: `T` or `Result<T, WxError>` with `T: Serialize`",
        );
        return unit(span);
    }
    if kind == Kind::Event {
        if !matches!(ty, Type::Tuple(t) if t.elems.is_empty()) {
            errors.push(
                ty,
                "an event source returns nothing: it emits through its `EventSink` until dropped",
            );
        }
        return unit(span);
    }
    if let Type::Reference(r) = ty {
        errors.push(
            r.and_token,
            "return owned data: the result outlives this call",
        );
    }
    match last_segment(ty) {
        Some((seg, false)) if seg.ident == "Result" => match first_generic(seg) {
            Some(data) => Output {
                fallible: true,
                data: data.clone(),
                span,
            },
            None => {
                errors.push(ty, "spell out the success type: `Result<T, WxError>`");
                Output {
                    fallible: true,
                    ..unit(span)
                }
            }
        },
        _ => Output {
            fallible: false,
            data: ty.clone(),
            span,
        },
    }
}

/// The first line of the function's doc comment: the summary `--list-apis` shows.
fn summary_of(func: &ItemFn) -> String {
    func.attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| line.trim().to_owned())
        .find(|line| !line.is_empty())
        .unwrap_or_default()
}
