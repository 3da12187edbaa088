//! # wx-host
//!
//! The reference host: runs a mini-program's logic-layer JavaScript in QuickJS
//! with a global `wx` built from the wx registry (every API of every linked
//! crate), `console`, timers and Promises.
//!
//! ```
//! use wx_host::{CapturedConsole, MiniProgram};
//!
//! let console = CapturedConsole::default();
//! let app = wx_core::App::builder("wx-doc").data_dir(std::env::temp_dir().join("wx-doc")).build();
//! let program = MiniProgram::new(app, console.clone()).unwrap();
//! program.eval("doc.js", "wx.login().then(res => console.log(typeof res.code, res.errMsg))");
//! let outcome = program.run(None);
//! assert_eq!(outcome.uncaught_errors, 0);
//! assert_eq!(console.stdout(), "string login:ok\n");
//! ```
//!
//! A mini-program package: the app's `PageStack` service is given the host's
//! [`PageQueue`], and [`MiniProgram::launch`] runs `app.js`, the pages and the
//! launch page's lifecycles.
//!
//! ```
//! use std::sync::Arc;
//! use wx_host::{CapturedConsole, Launch, MiniProgram, Package, PageQueue};
//!
//! let dir = std::env::temp_dir().join("wx-doc-package");
//! std::fs::create_dir_all(dir.join("pages/index")).unwrap();
//! std::fs::write(dir.join("app.json"), r#"{ "pages": ["pages/index/index"] }"#).unwrap();
//! std::fs::write(dir.join("app.js"), "App({ onLaunch(o) { console.log('launch', o.path) } })").unwrap();
//! std::fs::write(dir.join("pages/index/index.js"), "Page({ onReady() { console.log('ready', this.route) } })").unwrap();
//!
//! let package = Package::open(&dir).unwrap();
//! let queue = PageQueue::default();
//! let stack = wx_apis::route::PageStack::new(package.pages().clone(), Arc::new(queue.clone()));
//! let app = wx_core::App::builder("wx-doc").data_dir(dir.join(".data")).service(stack).build();
//! let console = CapturedConsole::default();
//! let program = MiniProgram::new(app, console.clone()).unwrap();
//! program.launch(&package, &queue, &Launch::default()).unwrap();
//! assert!(program.run(None).passed());
//! assert_eq!(console.stdout(), "launch pages/index/index\nready pages/index/index\n");
//! ```

#![warn(missing_docs)]

mod atoms;
mod console;
mod convert;
mod functions;
mod native;
mod package;
mod program;
mod shapes;
mod timers;
pub mod ui;
mod worker;

pub use console::{CapturedConsole, Console, Level, StdConsole};
pub use package::{Package, PackageError};
pub use program::{
    Launch, LaunchError, MiniProgram, Outcome, PageQueue, StartError, DEFAULT_MEMORY_LIMIT,
};
pub use worker::QuickJsWorkers;

/// Keeps every API crate the host serves linked in (see `wx_apis::link`).
pub fn link_apis() {
    wx_apis::link();
}
