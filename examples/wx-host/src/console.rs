//! Where `console.*` and error reports go.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// A `console` method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `console.log`
    Log,
    /// `console.info`
    Info,
    /// `console.debug`
    Debug,
    /// `console.warn`
    Warn,
    /// `console.error`, and uncaught errors.
    Error,
}

impl Level {
    pub(crate) fn parse(name: &str) -> Level {
        match name {
            "info" => Level::Info,
            "debug" => Level::Debug,
            "warn" => Level::Warn,
            "error" => Level::Error,
            _ => Level::Log,
        }
    }
}

/// Receives each line a mini-program prints.
pub trait Console {
    /// Prints one formatted `console.*` call or error report.
    fn print(&self, level: Level, text: &str);
}

/// The terminal: `log`, `info` and `debug` to stdout, `warn` and `error` to stderr.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdConsole;

impl Console for StdConsole {
    fn print(&self, level: Level, text: &str) {
        // A toast on the terminal's status line steps aside for the line.
        crate::ui::around_status_line(|| {
            // A closed pipe must not take the mini-program down: ignore write errors.
            let _ = match level {
                Level::Log | Level::Info | Level::Debug => {
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "{text}").and_then(|_| out.flush())
                }
                Level::Warn | Level::Error => writeln!(std::io::stderr().lock(), "{text}"),
            };
        });
    }
}

/// Keeps every line, for tests and embedders that show output their own way.
#[derive(Debug, Default, Clone)]
pub struct CapturedConsole(Arc<Mutex<Vec<(Level, String)>>>);

impl CapturedConsole {
    /// Everything printed so far.
    pub fn lines(&self) -> Vec<(Level, String)> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// What went to stdout (`log`, `info`, `debug`), one line each.
    pub fn stdout(&self) -> String {
        self.joined(|l| matches!(l, Level::Log | Level::Info | Level::Debug))
    }

    /// What went to stderr (`warn`, `error`).
    pub fn stderr(&self) -> String {
        self.joined(|l| matches!(l, Level::Warn | Level::Error))
    }

    fn joined(&self, keep: impl Fn(Level) -> bool) -> String {
        self.lines()
            .into_iter()
            .filter(|(l, _)| keep(*l))
            .map(|(_, t)| t + "\n")
            .collect()
    }
}

impl Console for CapturedConsole {
    fn print(&self, level: Level, text: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((level, text.to_owned()));
    }
}
