//! Running a mini-program package: the framework's native side (module
//! loading for `require` and `import`, the page stack's transitions run as JS
//! lifecycle calls) and the launch. The rules of routing are wx-apis' (the
//! `PageStack` service); this module only carries out the steps it lists.

use super::errors::report_caught;
use super::{Saved, Shared};
use crate::console::Level;
use crate::convert::JsValue;
use crate::package::{is_es_module, Package};
use rquickjs::context::EvalOptions;
use rquickjs::loader::{Loader, Resolver};
use rquickjs::{CatchResultExt, Ctx, Function, Module, Object, Persistent};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use wx_apis::route::{PageHost, PageStack, Step, Transition};
use wx_core::{FunctionId, Value};

/// The reference host's [`PageHost`]: route APIs queue their transitions here
/// during the call; the loop runs them. Install it with
/// `App::builder(..).service(PageStack::new(pages, Arc::new(queue.clone())))`
/// and hand the same queue to [`super::MiniProgram::launch`].
#[derive(Clone, Default)]
pub struct PageQueue(Arc<Mutex<VecDeque<Transition>>>);

impl PageHost for PageQueue {
    fn perform(&self, transition: Transition) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(transition);
    }
}

impl PageQueue {
    fn take(&self) -> Vec<Transition> {
        let mut queue = self.0.lock().unwrap_or_else(|e| e.into_inner());
        queue.drain(..).collect()
    }
}

/// A transition the loop will run, with the `events` listeners of a
/// `navigateTo` held by the host (their ids are swept when the call ends).
pub(super) struct Adopted {
    transition: Transition,
    events: Vec<(String, Saved<Function<'static>>)>,
}

/// The package a program runs, and what the native side of its framework needs.
pub(super) struct Running {
    pub(super) package: Rc<Package>,
    pub(super) queue: PageQueue,
}

/// How the launch went wrong in a way the run cannot go on from.
#[derive(Debug)]
pub enum LaunchError {
    /// `app.js` ran without calling `App()`.
    NoApp,
    /// The framework itself failed (out of memory, a closed program).
    Engine(String),
}

impl std::fmt::Display for LaunchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LaunchError::NoApp => {
                f.write_str("app.js did not call App(): a mini-program needs one")
            }
            LaunchError::Engine(e) => write!(f, "the mini-program could not start: {e}"),
        }
    }
}

impl std::error::Error for LaunchError {}

/// Moves the transitions route calls queued into the loop's own queue, keeping
/// their `events` functions: called right after each native call, before the
/// function table sweeps what the call converted.
pub(super) fn adopt<'js>(ctx: &Ctx<'js>, shared: &Shared) {
    let Some(queue) = shared.running.borrow().as_ref().map(|r| r.queue.clone()) else {
        return;
    };
    for transition in queue.take() {
        let events = transition
            .channel
            .iter()
            .flatten()
            .filter_map(|(name, id)| {
                let function = shared.tables.functions.borrow().get(ctx, *id)?;
                Some((name.clone(), Persistent::save(ctx, function)))
            })
            .collect();
        shared
            .routes
            .borrow_mut()
            .push_back(Adopted { transition, events });
    }
}

/// Runs one queued transition's lifecycle calls; `false` if none was queued.
pub(super) fn run_next<'js>(ctx: &Ctx<'js>, shared: &Shared) -> bool {
    adopt(ctx, shared);
    let Some(Adopted { transition, events }) = shared.routes.borrow_mut().pop_front() else {
        return false;
    };
    match run(ctx, shared, &transition, events) {
        Ok(channel) => transition.finish(channel),
        Err(err) => {
            let reason = err.to_string();
            transition.fail(reason);
        }
    }
    adopt(ctx, shared);
    true
}

fn run<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    transition: &Transition,
    events: Vec<(String, Saved<Function<'static>>)>,
) -> rquickjs::Result<Value> {
    let framework = framework(ctx, shared)?;
    let opener = match transition.channel {
        Some(_) => {
            let listeners = Object::new(ctx.clone())?;
            for (name, function) in events {
                listeners.set(name, function.restore(ctx)?)?;
            }
            let open: Function = framework.get("openChannel")?;
            Some(open.call::<_, Object>((listeners,))?)
        }
        None => None,
    };
    let step: Function = framework.get("step")?;
    let mut opened = None;
    for s in &transition.steps {
        let undefined = || JsValue::new_undefined(ctx.clone());
        let (kind, id, route, query) = match s {
            Step::Load { page, route, query } => {
                opened = Some(*page);
                let object = Object::new(ctx.clone())?;
                for (k, v) in query {
                    object.set(k.as_str(), v.as_str())?;
                }
                let route = rquickjs::String::from_str(ctx.clone(), route)?.into_value();
                ("load", page.0, route, object.into_value())
            }
            Step::Show(p) => ("show", p.0, undefined(), undefined()),
            Step::Ready(p) => ("ready", p.0, undefined(), undefined()),
            Step::Hide(p) => ("hide", p.0, undefined(), undefined()),
            Step::Unload(p) => {
                // The channel functions `navigateTo` handed out die with the page.
                let ids = shared.channels.borrow_mut().remove(&p.0);
                let mut functions = shared.tables.functions.borrow_mut();
                ids.into_iter()
                    .flatten()
                    .for_each(|id| functions.release(id));
                ("unload", p.0, undefined(), undefined())
            }
        };
        if let Err(error) = step
            .call::<_, ()>((kind, id as f64, route, query))
            .catch(ctx)
        {
            report_caught(ctx, shared, "Uncaught", error);
        }
    }
    let Some(opener) = opener else {
        return Ok(Value::Undefined);
    };
    // The opener's end as plain data: an object of four functions wx-core carries
    // to `success` by id; the host holds them while the opened page lives.
    let mut channel = wx_core::Object::new();
    let mut ids: Vec<FunctionId> = Vec::new();
    for name in ["emit", "on", "once", "off"] {
        let function: Function = opener.get(name)?;
        let id = shared.tables.functions.borrow_mut().id_of(ctx, &function)?;
        shared.tables.functions.borrow_mut().retain(id);
        ids.push(id);
        channel.insert(name.to_owned(), Value::Function(id));
    }
    if let Some(page) = opened {
        shared.channels.borrow_mut().insert(page.0, ids);
    }
    Ok(Value::from(channel))
}

pub(super) fn framework<'js>(ctx: &Ctx<'js>, shared: &Shared) -> rquickjs::Result<Object<'js>> {
    match shared.framework.borrow().clone() {
        Some(framework) => framework.restore(ctx),
        None => Err(rquickjs::Error::new_from_js("undefined", "framework")),
    }
}

/// The page ids on the stack, bottom first (for `getCurrentPages`).
pub(super) fn stack_ids(shared: &Shared) -> Vec<f64> {
    shared
        .host
        .app()
        .service::<PageStack>()
        .map(|stack| stack.current().iter().map(|p| p.id.0 as f64).collect())
        .unwrap_or_default()
}

/// Compiles a CommonJS module: its source inside a function, on the same first
/// line so stack traces show the file's own lines. As in WeChat's module
/// wrapper, the browser's globals are parameters left `undefined`: a UMD bundle
/// that passes `window` as its root finds no window and takes its CommonJS path.
pub(crate) fn compile<'js>(
    ctx: &Ctx<'js>,
    package: &Package,
    path: &str,
) -> rquickjs::Result<Function<'js>> {
    let source = package
        .source(path)
        .map_err(|e| rquickjs::Exception::throw_message(ctx, &e))?;
    let wrapped = format!(
        "(function (exports, require, module, __filename, __dirname, {BROWSER_GLOBALS}) {{{source}\n}})"
    );
    let mut options = EvalOptions::default();
    options.filename = Some(path.to_owned());
    options.strict = false;
    ctx.eval_with_options(wrapped, options)
}

/// The browser globals a module sees as `undefined` (WeChat's module wrapper hides them).
const BROWSER_GLOBALS: &str = "window, document, frames, self, location, navigator, localStorage, history, Caches, screen, alert, confirm, prompt, XMLHttpRequest, WebSocket";

/// Evaluates an ES module through the engine's module graph (so it is one
/// instance however it is reached) and gives its namespace. A one-line module
/// importing it is evaluated in place: the graph runs synchronously (no Promise
/// job of anyone else's runs meanwhile), and its namespace is exported back.
pub(super) fn eval_module<'js>(ctx: &Ctx<'js>, path: &str) -> rquickjs::Result<Object<'js>> {
    // `/` makes the resolver read it from the package root.
    let specifier = serde_json::to_string(&format!("/{path}")).unwrap_or_default();
    let source = format!("import * as namespace from {specifier}; export {{ namespace }};");
    let (module, promise) =
        Module::declare(ctx.clone(), format!("{path} (required)"), source)?.eval()?;
    match promise.state() {
        rquickjs::promise::PromiseState::Resolved => module.namespace()?.get("namespace"),
        rquickjs::promise::PromiseState::Rejected => {
            // Thrown to whoever required it, not left as an unhandled rejection.
            promise.catch()?.call::<_, ()>((
                rquickjs::function::This(promise.clone()),
                Function::new(ctx.clone(), || ())?,
            ))?;
            Err(promise
                .result::<()>()
                .and_then(Result::err)
                .unwrap_or(rquickjs::Error::Exception))
        }
        rquickjs::promise::PromiseState::Pending => Err(rquickjs::Exception::throw_message(
            ctx,
            &format!("{path}: a module that awaits at top level cannot be required"),
        )),
    }
}

/// Resolves `import` specifiers as `require` does, from the importing module's path.
pub(super) struct PackageResolver(pub(super) Rc<Package>);

impl Resolver for PackageResolver {
    fn resolve<'js>(
        &mut self,
        _ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        _attributes: Option<rquickjs::loader::ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        self.0.resolve(base, name).ok_or_else(|| {
            match name.starts_with('.') || name.starts_with('/') {
                true => rquickjs::Error::new_resolving(base, name),
                // A package name: WeChat DevTools' "build npm" makes miniprogram_npm/.
                false => rquickjs::Error::new_resolving_message(
                    base,
                    name,
                    "no such file in the package nor in miniprogram_npm/ (is npm built?)",
                ),
            }
        })
    }
}

/// Loads what an `import` names: an ES module from its source; a CommonJS
/// module or JSON file as a module re-exporting what `require` gives (through
/// the one module cache), its keys as named exports.
pub(super) struct PackageLoader {
    pub(super) package: Rc<Package>,
    pub(super) shared: std::rc::Weak<Shared>,
}

impl Loader for PackageLoader {
    fn load<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &str,
        _attributes: Option<rquickjs::loader::ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js, rquickjs::module::Declared>> {
        let source = self
            .package
            .source(name)
            .map_err(|e| rquickjs::Exception::throw_message(ctx, &e))?;
        if name.ends_with(".js") && is_es_module(&source) {
            // Real projects `require` inside ES modules too (WeChat DevTools
            // compiles both to CommonJS): each gets its own, on its first line.
            let path = serde_json::to_string(name).unwrap_or_default();
            let mut source = format!(
                "const {{ require, module, exports }} = globalThis.__wxModuleScope({path});{source}"
            );
            // A file that `import`s but exports with `module.exports` (as
            // WeChat DevTools' CommonJS output allows): what it assigned is its
            // default export, read when its body has run.
            if assigns_module_exports(&source) && !has_default_export(&source) {
                source.push_str("\n;export default module.exports;");
            }
            return Module::declare(ctx.clone(), name, source);
        }
        let shared = self
            .shared
            .upgrade()
            .ok_or_else(|| rquickjs::Error::new_loading(name))?;
        let framework = framework(ctx, &shared)?;
        let load: Function = framework.get("load")?;
        let exports: JsValue = load.call((name,))?;
        let mut facade = format!(
            "const m = globalThis.__wxRequire({});\nexport default (m && m.__esModule && 'default' in m) ? m.default : m;\n",
            serde_json::to_string(name).unwrap_or_default()
        );
        if let Some(object) = exports.as_object() {
            for key in object.keys::<String>().flatten() {
                if key != "default" && is_identifier(&key) {
                    facade.push_str(&format!("export const {key} = m.{key};\n"));
                }
            }
        }
        Module::declare(ctx.clone(), name, facade)
    }
}

fn assigns_module_exports(source: &str) -> bool {
    source.contains("module.exports") || source.contains("exports.")
}

fn has_default_export(source: &str) -> bool {
    source
        .lines()
        .any(|line| line.trim_start().starts_with("export default"))
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !matches!(
            key,
            "break"
                | "case"
                | "catch"
                | "class"
                | "const"
                | "continue"
                | "debugger"
                | "delete"
                | "do"
                | "else"
                | "enum"
                | "export"
                | "extends"
                | "false"
                | "finally"
                | "for"
                | "function"
                | "if"
                | "import"
                | "in"
                | "instanceof"
                | "new"
                | "null"
                | "return"
                | "super"
                | "switch"
                | "this"
                | "throw"
                | "true"
                | "try"
                | "typeof"
                | "var"
                | "void"
                | "while"
                | "with"
                | "yield"
                | "let"
                | "static"
                | "await"
        )
}

/// Installs the framework (`App`, `Page`, `require`, ...) and the test driver
/// (`miniProgram`, `expect`) with their native entry points.
pub(super) fn install<'js>(ctx: &Ctx<'js>, shared: &Rc<Shared>) -> rquickjs::Result<()> {
    let native = Object::new(ctx.clone())?;
    let s = shared.clone();
    native.set(
        "report",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, error: JsValue<'js>| {
            super::errors::report_error(&ctx, &s, "Uncaught", error)
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "listeners",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, event: String| {
            let ids = s.host.listeners(&event);
            let functions = s.tables.functions.borrow();
            ids.into_iter()
                .filter_map(|id| functions.get(&ctx, id))
                .collect::<Vec<_>>()
        })?,
    )?;
    let s = shared.clone();
    native.set("pages", Function::new(ctx.clone(), move || stack_ids(&s))?)?;
    let s = shared.clone();
    native.set(
        "resolve",
        Function::new(ctx.clone(), move |from: String, request: String| {
            package(&s).and_then(|p| p.resolve(&from, &request))
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "source",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, path: String| {
            let package = package(&s).ok_or_else(|| no_package(&ctx))?;
            package
                .source(&path)
                .map_err(|e| rquickjs::Exception::throw_message(&ctx, &e))
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "isModule",
        Function::new(ctx.clone(), move |path: String| {
            path.ends_with(".js")
                && package(&s)
                    .and_then(|p| p.source(&path).ok())
                    .is_some_and(|source| is_es_module(&source))
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "compile",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, path: String| {
            let package = package(&s).ok_or_else(|| no_package(&ctx))?;
            compile(&ctx, &package, &path)
        })?,
    )?;
    native.set(
        "evalModule",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, path: String| {
            eval_module(&ctx, &path)
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "idle",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, resolve: Function<'js>| {
            s.idle_waiters
                .borrow_mut()
                .push(Persistent::save(&ctx, resolve));
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "fail",
        Function::new(ctx.clone(), move |message: String| {
            s.failed_expectations.set(s.failed_expectations.get() + 1);
            s.console
                .print(Level::Error, &format!("Expectation failed: {message}"));
        })?,
    )?;
    let s = shared.clone();
    native.set(
        "uiShown",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>| -> rquickjs::Result<JsValue<'js>> {
                let shown =
                    s.ui.borrow()
                        .as_ref()
                        .map(|ui| ui.shown())
                        .unwrap_or_default();
                ctx.json_parse(serde_json::Value::Array(shown).to_string())
            },
        )?,
    )?;
    let s = shared.clone();
    native.set(
        "uiAnswer",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, kind: String, answer: JsValue<'js>| -> rquickjs::Result<()> {
                let ui = s.ui.borrow();
                let Some(scripted) = ui.as_ref().and_then(|ui| ui.scripted_answers()) else {
                    return Err(rquickjs::Exception::throw_message(
                        &ctx,
                        "miniProgram.ui: answers can be queued only with the scripted UI (--ui script)",
                    ));
                };
                let bad = |what: &str| rquickjs::Exception::throw_type(&ctx, what);
                match kind.as_str() {
                    "modal" => {
                        let object = answer.as_object().ok_or_else(|| bad("answerModal({ confirm, content? })"))?;
                        let confirm: bool = object.get("confirm").map_err(|_| bad("answerModal: confirm must be a boolean"))?;
                        let content: Option<String> = object.get("content").map_err(|_| bad("answerModal: content must be a string"))?;
                        scripted.queue_modal(wx_apis::interact::ModalAnswer { confirm, content });
                    }
                    _ => {
                        let pick = match answer.as_number() {
                            Some(n) if n >= 0.0 && n.fract() == 0.0 => Some(n as usize),
                            None if answer.is_null() || answer.is_undefined() => None,
                            _ => return Err(bad("answerActionSheet(index) takes an item index, or null to cancel")),
                        };
                        scripted.queue_action_sheet(pick);
                    }
                }
                Ok(())
            },
        )?,
    )?;
    let make: Function = eval_named(ctx, "wx-host/framework.js", include_str!("framework.js"))?;
    let framework: Object = make.call((ctx.globals(), native.clone()))?;
    let driver: Function = eval_named(ctx, "wx-host/driver.js", include_str!("driver.js"))?;
    driver.call::<_, ()>((ctx.globals(), framework.clone(), native))?;
    *shared.framework.borrow_mut() = Some(Persistent::save(ctx, framework));
    Ok(())
}

fn package(shared: &Shared) -> Option<Rc<Package>> {
    shared.running.borrow().as_ref().map(|r| r.package.clone())
}

fn no_package(ctx: &Ctx<'_>) -> rquickjs::Error {
    rquickjs::Exception::throw_message(ctx, "require: this program runs no package")
}

/// Evaluates one of the host's own scripts under its name (for stack traces).
fn eval_named<'js>(ctx: &Ctx<'js>, name: &str, source: &str) -> rquickjs::Result<Function<'js>> {
    let mut options = EvalOptions::default();
    options.filename = Some(name.to_owned());
    ctx.eval_with_options(source, options)
}
