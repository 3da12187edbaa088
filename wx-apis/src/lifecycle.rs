//! The app's lifecycle events: `wx.onAppShow`, `wx.onAppHide`, `wx.onError`,
//! `wx.onUnhandledRejection`, `wx.onPageNotFound` (with their `off` twins).
//!
//! Their payloads come from the host's JS world (a thrown error, a foreground
//! event), so the host fires them: it reads the listeners with
//! `wx_core::Host::listeners` and calls them in place, where WeChat calls them.
//! Their sources return at once; nothing here runs, and a listener on these
//! events never keeps a run alive.

use serde::Serialize;
use wx_core::{wx_event, EventSink, JsonSchema, Object, Value};

/// The launch or foreground options `App.onLaunch`, `App.onShow` and `wx.onAppShow` get.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LaunchOptions {
    /// The page opened (the current page on a later show), without a leading `/`.
    pub path: String,
    /// That page's query.
    pub query: Object,
    /// The scene value: 1001 (from the mini-program list) unless the host says otherwise.
    pub scene: f64,
    /// The share ticket, when opened from a shared card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_ticket: Option<String>,
    /// Where the user came from: `{ appId, extraData }`, `{}` when not from another app.
    pub referrer_info: Object,
}

/// What `wx.onError` listeners get: the error's message and stack, as one string.
pub type ErrorText = String;

/// What `wx.onUnhandledRejection` listeners get.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnhandledRejection {
    /// The rejection reason.
    pub reason: Value,
    /// The rejected Promise (the host passes the real object).
    pub promise: Value,
}

/// Listens for the app coming to the foreground (also the launch).
#[wx_event(since = "2.1.2")]
async fn on_app_show(_sink: EventSink<LaunchOptions>) {}

/// Listens for the app going to the background.
#[wx_event(since = "2.1.2")]
async fn on_app_hide(_sink: EventSink<Object>) {}

/// Listens for script errors (what `App.onError` gets too): the message and stack.
#[wx_event(since = "2.1.2")]
async fn on_error(_sink: EventSink<ErrorText>) {}

/// Listens for Promise rejections nobody handled.
#[wx_event(since = "2.10.0")]
async fn on_unhandled_rejection(_sink: EventSink<UnhandledRejection>) {}

/// Listens for a launch whose page does not exist (before the host falls back to the entry page).
#[wx_event(since = "2.1.2")]
async fn on_page_not_found(_sink: EventSink<crate::route::PageNotFound>) {}
