//! The route family: `navigateTo`, `redirectTo`, `navigateBack`, `switchTab`,
//! `reLaunch`. Every rule (url resolution, which pages exist, tabBar rules, the
//! ten-page limit, `delta`, the lifecycle order of each route type) lives here,
//! over a [`PageStack`] service; the host only runs the lifecycle calls a
//! [`Transition`] lists, on its JS thread, and says when they are done.

mod stack;
pub mod url;

pub use stack::{Page, PageId, Pages, Stack, Step, MAX_PAGES};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;
use wx_core::{wx_async, App, FunctionId, JsonSchema, Loose, Value, WxError};

/// The route type of a transition (WeChat's `openType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OpenType {
    /// The first page of the run.
    AppLaunch,
    /// `wx.navigateTo`.
    NavigateTo,
    /// `wx.redirectTo`.
    RedirectTo,
    /// `wx.navigateBack`.
    NavigateBack,
    /// `wx.switchTab`.
    SwitchTab,
    /// `wx.reLaunch`.
    ReLaunch,
}

/// What the host must do for one route: run `steps` in order on its JS thread,
/// then [`Transition::finish`]. The route API succeeds only then.
#[derive(Debug)]
pub struct Transition {
    /// The route type.
    pub open_type: OpenType,
    /// The lifecycle calls, in order.
    pub steps: Vec<Step>,
    /// For `navigateTo`: an EventChannel joins the opener and the page it opens;
    /// these are the `events` option's listeners on the opener's side.
    pub channel: Option<Vec<(String, FunctionId)>>,
    reply: Option<oneshot::Sender<Result<Value, WxError>>>,
}

impl Transition {
    /// The steps have run. For `navigateTo`, `event_channel` is the opener's end
    /// of the channel as JS will see it (an object of functions); otherwise
    /// `Value::Undefined`.
    pub fn finish(mut self, event_channel: Value) {
        if let Some(reply) = self.reply.take() {
            let _ = reply.send(Ok(event_channel));
        }
    }

    /// The host could not run the steps; the route API fails with an internal error.
    pub fn fail(mut self, reason: impl Into<String>) {
        if let Some(reply) = self.reply.take() {
            let _ = reply.send(Err(WxError::internal(reason.into())));
        }
    }
}

/// The host's side of the page stack: runs the lifecycle calls of a
/// [`Transition`] on its JS thread, in order, then finishes it.
pub trait PageHost: Send + Sync + 'static {
    /// Queues `transition`. Called during the route API's call (on the thread that
    /// made it); the steps must run later, from the host's loop, never inside the call.
    fn perform(&self, transition: Transition);
}

/// A launch that could not open its page: WeChat fires `onPageNotFound` with
/// this (it is that event's payload).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageNotFound {
    /// The route asked for.
    pub path: String,
    /// Its query.
    pub query: wx_core::Object,
    /// It was the launch's page.
    pub is_entry_page: bool,
}

/// The page stack of one running mini-program: a host service
/// (`App::builder(..).service(PageStack::new(pages, host))`).
///
/// Route calls made before the launch page opens (`wx.reLaunch` in
/// `App.onLaunch`, a redirect in `onPageNotFound`) wait and run right after
/// it, in order, as WeChat runs them.
pub struct PageStack {
    state: Mutex<State>,
    host: Arc<dyn PageHost>,
}

struct State {
    stack: Stack,
    /// Routes asked for before the launch; `None` once launched.
    waiting: Option<Vec<Request>>,
}

/// How a route changes the stack: the steps, or WeChat's refusal.
type Plan = Box<dyn FnOnce(&mut Stack) -> Result<Vec<Step>, WxError> + Send>;

/// One route call, planned when the stack is ready for it.
struct Request {
    open_type: OpenType,
    plan: Plan,
    channel: Option<Vec<(String, FunctionId)>>,
    reply: oneshot::Sender<Result<Value, WxError>>,
}

impl PageStack {
    /// A stack for the package's `pages`, whose lifecycles `host` runs.
    pub fn new(pages: Pages, host: Arc<dyn PageHost>) -> PageStack {
        PageStack {
            state: Mutex::new(State {
                stack: Stack::new(pages),
                waiting: Some(Vec::new()),
            }),
            host,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The live pages on the stack, bottom first (what `getCurrentPages` lists).
    pub fn current(&self) -> Vec<Page> {
        self.state().stack.current().to_vec()
    }

    /// The package's pages.
    pub fn pages(&self) -> Pages {
        self.state().stack.pages().clone()
    }

    /// Opens the launch page: `path` (package-root, with an optional query) or
    /// the entry page, then the routes that waited for it. A `path` that is no
    /// page gives [`PageNotFound`] and opens nothing: the host fires
    /// `onPageNotFound`, then calls [`PageStack::launch_after_not_found`].
    pub fn launch(&self, path: Option<&str>) -> Result<(), PageNotFound> {
        let mut state = self.state();
        let url = match path {
            Some(path) => format!("/{}", path.trim_start_matches('/')),
            None => format!("/{}", state.stack.pages().entry()),
        };
        let target = url::resolve("", &url).map_err(|_| PageNotFound {
            path: url.trim_start_matches('/').to_owned(),
            query: wx_core::Object::new(),
            is_entry_page: true,
        })?;
        let steps = state.stack.launch(&target).map_err(|_| PageNotFound {
            path: target.route.clone(),
            query: target
                .query
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect(),
            is_entry_page: true,
        })?;
        let mut transitions = vec![Transition {
            open_type: OpenType::AppLaunch,
            steps,
            channel: None,
            reply: None,
        }];
        transitions.extend(release(&mut state));
        drop(state);
        transitions.into_iter().for_each(|t| self.host.perform(t));
        Ok(())
    }

    /// After `onPageNotFound`: the routes its listeners asked for, or else the entry page.
    pub fn launch_after_not_found(&self) {
        let mut state = self.state();
        if state.waiting.as_ref().is_some_and(|w| !w.is_empty()) {
            let transitions = release(&mut state);
            drop(state);
            transitions.into_iter().for_each(|t| self.host.perform(t));
        } else {
            drop(state);
            // The entry page is a page: `Pages::new` checked it.
            let _ = self.launch(None);
        }
    }

    /// Plans one route under the lock (so routes called back to back see each
    /// other; before the launch it waits for it), hands it to the host, and
    /// waits until its lifecycles have run.
    async fn route(
        &self,
        open_type: OpenType,
        plan: Plan,
        channel: Option<Vec<(String, FunctionId)>>,
    ) -> Result<Value, WxError> {
        let (reply, done) = oneshot::channel();
        let request = Request {
            open_type,
            plan,
            channel,
            reply,
        };
        let transition = {
            let mut state = self.state();
            match &mut state.waiting {
                Some(waiting) => {
                    waiting.push(request);
                    None
                }
                None => plan_one(&mut state.stack, request),
            }
        };
        if let Some(transition) = transition {
            self.host.perform(transition);
        }
        done.await
            .unwrap_or_else(|_| Err(WxError::internal("the host dropped the route")))
    }
}

/// Ends the wait for the launch: plans every waiting route, in order.
fn release(state: &mut State) -> Vec<Transition> {
    let waiting = state.waiting.take().unwrap_or_default();
    waiting
        .into_iter()
        .filter_map(|request| plan_one(&mut state.stack, request))
        .collect()
}

/// The transition of one route, or its refusal sent back to the call.
fn plan_one(stack: &mut Stack, request: Request) -> Option<Transition> {
    match (request.plan)(stack) {
        Ok(steps) => Some(Transition {
            open_type: request.open_type,
            steps,
            channel: request.channel,
            reply: Some(request.reply),
        }),
        Err(err) => {
            let _ = request.reply.send(Err(err));
            None
        }
    }
}

/// The app's page stack; an app run without pages (a single script) has none,
/// and every page is then "not found".
fn page_stack(app: &App, url: &str) -> Result<Arc<PageStack>, WxError> {
    app.service::<PageStack>().ok_or_else(|| {
        let target = url::resolve("", url).unwrap_or_else(|_| url::Target {
            route: url.to_owned(),
            query: Vec::new(),
            encoded_query: String::new(),
        });
        stack::not_found(&target).with_detail("this host runs no pages (no PageStack service)")
    })
}

/// What each route API that takes a url does: resolve it from the top page,
/// plan the route with `plan`, and wait until the host has run its lifecycles.
async fn go(
    pages: Arc<PageStack>,
    url: &str,
    open_type: OpenType,
    plan: fn(&mut Stack, &url::Target) -> Result<Vec<Step>, WxError>,
    channel: Option<Vec<(String, FunctionId)>>,
) -> Result<Value, WxError> {
    let url = url.to_owned();
    let route = move |stack: &mut Stack| {
        let target = url::resolve(stack.base(), &url)?;
        plan(stack, &target)
    };
    pages.route(open_type, Box::new(route), channel).await
}

/// Options of `wx.navigateTo`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NavigateToOptions {
    /// The page: `/pages/detail/detail?id=1` (package-root), or relative to the
    /// current page (`detail`, `./detail`, `../list/list`). Not a tabBar page.
    pub url: String,
    /// Listeners for what the opened page emits on its `getOpenerEventChannel()`:
    /// `{ eventName(...args) {} }`.
    pub events: Option<BTreeMap<String, Value>>,
    /// Custom route configuration (Skyline); accepted and ignored.
    pub route_config: Option<BTreeMap<String, Value>>,
    /// Custom route options (Skyline); accepted and ignored.
    pub route_options: Option<BTreeMap<String, Value>>,
    /// A custom route type (Skyline); accepted and ignored.
    pub route_type: Option<String>,
    /// An OpenContainer transition (Skyline); accepted and ignored.
    pub with_open_container: Option<BTreeMap<String, Value>>,
}

/// What `wx.navigateTo` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NavigateToResult {
    /// The opener's end of the channel to the opened page: `emit`, `on`, `once`, `off`.
    #[schemars(with = "EventChannel")]
    pub event_channel: Value,
}

/// The schema of an EventChannel: an object of four functions, named as WeChat's typings name it.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct EventChannel {}

/// Options of `wx.redirectTo`, `wx.switchTab` and `wx.reLaunch`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UrlOptions {
    /// The page, package-root (`/pages/a/a`) or relative to the current page.
    pub url: String,
}

/// Options of `wx.navigateBack`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct NavigateBackOptions {
    /// How many pages to go back: a number below 1 counts as 1, anything that is
    /// not a number as 1, more than the stack holds stops at the first page.
    #[serde(default)]
    pub delta: Loose<f64>,
}

/// The base library's reading of `delta`: not a number → 1; else its whole part, at least 1.
fn delta(value: &Value) -> usize {
    match value {
        Value::Number(n) if n.is_finite() && *n >= 1.0 => n.trunc().min(usize::MAX as f64) as usize,
        _ => 1,
    }
}

/// Opens a page above the current one (at most ten on the stack).
#[wx_async]
async fn navigate_to(app: &App, opts: NavigateToOptions) -> Result<NavigateToResult, WxError> {
    let pages = page_stack(app, &opts.url)?;
    let events = match &opts.events {
        Some(events) => events
            .iter()
            .filter_map(|(name, value)| value.as_function().map(|f| (name.clone(), f)))
            .collect(),
        None => Vec::new(),
    };
    let channel = go(
        pages,
        &opts.url,
        OpenType::NavigateTo,
        Stack::navigate_to,
        Some(events),
    )
    .await?;
    Ok(NavigateToResult {
        event_channel: channel,
    })
}

/// Closes the current page and opens another in its place (not a tabBar page).
#[wx_async]
async fn redirect_to(app: &App, opts: UrlOptions) -> Result<(), WxError> {
    let pages = page_stack(app, &opts.url)?;
    go(
        pages,
        &opts.url,
        OpenType::RedirectTo,
        Stack::redirect_to,
        None,
    )
    .await
    .map(drop)
}

/// Closes the current page (or `delta` pages) and goes back.
#[wx_async]
async fn navigate_back(app: &App, opts: Option<NavigateBackOptions>) -> Result<(), WxError> {
    let opts = opts.unwrap_or_default();
    let pages = app
        .service::<PageStack>()
        .ok_or_else(|| WxError::new("cannot navigate back at first page."))?;
    let delta = delta(&opts.delta.value);
    pages
        .route(
            OpenType::NavigateBack,
            Box::new(move |stack: &mut Stack| stack.navigate_back(delta)),
            None,
        )
        .await
        .map(drop)
}

/// Goes to a tabBar page, closing every page that is not a tab page. A query
/// is dropped with WeChat's warning.
#[wx_async]
async fn switch_tab(app: &App, opts: UrlOptions) -> Result<(), WxError> {
    let url = match opts.url.split_once('?') {
        Some((path, _)) => {
            // Printed at once, as the base library does, and the call goes on.
            wx_core::console_warn("wx.switchTab: url 不支持 queryString");
            path
        }
        None => opts.url.as_str(),
    };
    let pages = page_stack(app, url)?;
    go(pages, url, OpenType::SwitchTab, Stack::switch_tab, None)
        .await
        .map(drop)
}

/// Closes every page and opens the given one (any page, tabBar pages included, query kept).
#[wx_async(since = "1.1.0")]
async fn re_launch(app: &App, opts: UrlOptions) -> Result<(), WxError> {
    let pages = page_stack(app, &opts.url)?;
    go(pages, &opts.url, OpenType::ReLaunch, Stack::re_launch, None)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_as_the_base_library_reads_it() {
        let cases = [
            (Value::Undefined, 1),
            (Value::from("2"), 1),
            (Value::Number(2.7), 2),
            (Value::Number(0.0), 1),
            (Value::Number(-3.0), 1),
            (Value::Number(f64::NAN), 1),
            (Value::Number(f64::INFINITY), 1),
            (Value::Number(1e300), usize::MAX),
        ];
        for (value, want) in cases {
            assert_eq!(delta(&value), want, "{value:?}");
        }
    }
}
