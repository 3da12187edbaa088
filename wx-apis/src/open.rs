//! The open-platform family: `login`, and `checkSession` for the session a
//! login opens (its lifetime is the host's choice, `LoginProvider`; it is kept
//! in the app's data folder, so it outlives a restart as WeChat's does).

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use wx_core::{wx_async, App, JsonSchema, Millis, WxError};

/// Issues `wx.login` codes and says how long the session a login opens lasts.
/// A host installs its own with `App::builder(..).service(LoginProvider::new(..))`
/// (a real code service, a fixed code for tests); the default issues a fresh
/// 32-character code per call, and sessions last [`LoginProvider::DEFAULT_SESSION`].
#[derive(Clone)]
pub struct LoginProvider {
    issue: Arc<IssueCode>,
    session: std::time::Duration,
}

type IssueCode = dyn Fn(&App) -> Result<String, WxError> + Send + Sync;

impl LoginProvider {
    /// How long a session lasts unless the host says otherwise: three days.
    pub const DEFAULT_SESSION: std::time::Duration = std::time::Duration::from_secs(3 * 24 * 3600);

    /// A provider backed by `issue`.
    pub fn new(issue: impl Fn(&App) -> Result<String, WxError> + Send + Sync + 'static) -> Self {
        LoginProvider {
            issue: Arc::new(issue),
            session: Self::DEFAULT_SESSION,
        }
    }

    /// The same provider, with sessions that last `lifetime` after each login.
    pub fn with_session_lifetime(mut self, lifetime: std::time::Duration) -> Self {
        self.session = lifetime;
        self
    }

    /// A provider that always gives `code`.
    pub fn fixed(code: impl Into<String>) -> Self {
        let code = code.into();
        LoginProvider::new(move |_| Ok(code.clone()))
    }
}

impl Default for LoginProvider {
    fn default() -> Self {
        LoginProvider::new(|app| Ok(fresh_code(app.app_id())))
    }
}

/// 32 characters of the alphabet WeChat codes use, different every call.
fn fresh_code(app_id: &str) -> String {
    use std::hash::BuildHasher;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let state = std::collections::hash_map::RandomState::new();
    let mut code = String::with_capacity(32);
    for part in 0..4u8 {
        let mut bits = state.hash_one((app_id, COUNTER.fetch_add(1, Ordering::Relaxed), part));
        for _ in 0..8 {
            code.push(ALPHABET[(bits % ALPHABET.len() as u64) as usize] as char);
            bits /= ALPHABET.len() as u64;
        }
    }
    code
}

/// Options of `wx.login`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct LoginOptions {
    /// Milliseconds before the call fails with errMsg `"request timeout"` (a
    /// later code is dropped), as WeChat's base library does.
    pub timeout: Option<Millis>,
}

/// What `wx.login` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LoginResult {
    /// The temporary login code, valid for five minutes on WeChat's servers.
    pub code: String,
}

/// Gets a temporary login code for the mini-program's back end.
#[wx_async]
async fn login(app: &App, opts: LoginOptions) -> Result<LoginResult, WxError> {
    let provider = provider(app);
    let session = provider.session;
    let issuing = app.clone();
    let issue = tokio::task::spawn_blocking(move || (provider.issue)(&issuing));
    let code = match opts.timeout {
        Some(ms) => tokio::time::timeout(ms.duration(), issue)
            .await
            // The base library's text, without the `login:fail` prefix.
            .map_err(|_| WxError::verbatim("request timeout"))?,
        None => issue.await,
    };
    let code = code.map_err(|err| WxError::internal(format!("login provider: {err}")))??;
    Session::of(app).open(session);
    Ok(LoginResult { code })
}

fn provider(app: &App) -> LoginProvider {
    app.service::<LoginProvider>()
        .map(|p| (*p).clone())
        .unwrap_or_default()
}

/// The session of the last login: when it ends, in ms since the Unix epoch,
/// kept in `<data dir>/login-session` so a restart keeps it.
struct Session {
    file: std::path::PathBuf,
    lock: std::sync::Mutex<()>,
}

impl Session {
    fn of(app: &App) -> Arc<Session> {
        let file = app.data_dir().join("login-session");
        app.state(|| Session {
            file,
            lock: std::sync::Mutex::new(()),
        })
    }

    fn now_ms() -> u128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    }

    /// A login succeeded: the session lasts `lifetime` from now. A session that
    /// cannot be written is not fatal to the login: `checkSession` will fail.
    fn open(&self, lifetime: std::time::Duration) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let until = Self::now_ms().saturating_add(lifetime.as_millis());
        if let Some(dir) = self.file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(&self.file, until.to_string());
    }

    /// `Ok` while the session lasts; otherwise why not, for the diagnostics.
    fn check(&self) -> Result<(), String> {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let text = std::fs::read_to_string(&self.file)
            .map_err(|_| "no session: wx.login has not succeeded for this app".to_owned())?;
        let until: u128 = text
            .trim()
            .parse()
            .map_err(|_| format!("{}: not a session", self.file.display()))?;
        let now = Self::now_ms();
        match now < until {
            true => Ok(()),
            false => Err(format!("the session ended {} ms ago", now - until)),
        }
    }
}

/// Checks that the session of the last `wx.login` is still valid.
#[wx_async]
async fn check_session(app: &App) -> Result<(), WxError> {
    Session::of(app).check().map_err(|why| {
        // WeChat's words (its devtools add `系统错误，错误码：-13001,`).
        WxError::new("session time out, need relogin").with_detail(why)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_fresh_and_well_formed() {
        let (a, b) = (fresh_code("wx1"), fresh_code("wx1"));
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
