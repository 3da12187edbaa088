//! The open-platform family: login.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use wx_core::{schemars, wx_async, App, JsonSchema, Millis, WxError};

/// Issues `wx.login` codes. A host installs its own with
/// `App::builder(..).service(LoginProvider::new(..))` (a real code service, a
/// fixed code for tests); the default issues a fresh 32-character code per call.
#[derive(Clone)]
pub struct LoginProvider(Arc<IssueCode>);

type IssueCode = dyn Fn(&App) -> Result<String, WxError> + Send + Sync;

impl LoginProvider {
    /// A provider backed by `issue`.
    pub fn new(issue: impl Fn(&App) -> Result<String, WxError> + Send + Sync + 'static) -> Self {
        LoginProvider(Arc::new(issue))
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
    let provider = app
        .service::<LoginProvider>()
        .map(|p| (*p).clone())
        .unwrap_or_default();
    let app = app.clone();
    let issue = tokio::task::spawn_blocking(move || (provider.0)(&app));
    let code = match opts.timeout {
        Some(ms) => tokio::time::timeout(ms.duration(), issue)
            .await
            // The base library's text, without the `login:fail` prefix.
            .map_err(|_| WxError::verbatim("request timeout"))?,
        None => issue.await,
    };
    let code = code.map_err(|err| WxError::internal(format!("login provider: {err}")))??;
    Ok(LoginResult { code })
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
