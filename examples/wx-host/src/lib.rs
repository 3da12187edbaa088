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

#![warn(missing_docs)]

mod console;
mod convert;
mod functions;
mod package;
mod program;
mod timers;

pub use console::{CapturedConsole, Console, Level, StdConsole};
pub use package::{Package, PackageError};
pub use program::{
    Launch, LaunchError, MiniProgram, Outcome, PageQueue, StartError, DEFAULT_MEMORY_LIMIT,
};

/// Keeps every API crate the host serves linked in (see `wx_apis::link`).
pub fn link_apis() {
    wx_apis::link();
}
