//! The network family: `request`, `downloadFile`, `uploadFile`, `connectSocket`
//! and the legacy socket APIs, on reqwest (rustls) and tokio-tungstenite.
//!
//! A host configures the app's allowed domains with a [`NetworkConfig`] service.
//! Without one, nothing is checked (the developer mode of WeChat's devtools); with
//! one, a URL outside the list fails with `"<api>:fail url not in domain list"`
//! before a byte is sent, redirects included.

mod request;
mod socket;
mod transfer;

use reqwest::Url;
use serde::Deserialize;
use std::sync::{Arc, Once};
use wx_core::{App, Value, WxError};

/// Which list a URL is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainKind {
    /// `wx.request`.
    Request,
    /// `wx.connectSocket`.
    Socket,
    /// `wx.uploadFile`.
    UploadFile,
    /// `wx.downloadFile`.
    DownloadFile,
}

/// The server domains a mini-program may reach, per kind, as its console
/// configures them (`"https://api.example.com"`, a port if not the default).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DomainList {
    /// For `wx.request`.
    #[serde(default)]
    pub request: Vec<String>,
    /// For `wx.connectSocket`.
    #[serde(default)]
    pub socket: Vec<String>,
    /// For `wx.uploadFile`.
    #[serde(default)]
    pub upload_file: Vec<String>,
    /// For `wx.downloadFile`.
    #[serde(default)]
    pub download_file: Vec<String>,
    /// Only `https`/`wss` (the platform's rule); a test host may allow plain schemes.
    #[serde(default = "yes")]
    pub https_only: bool,
}

fn yes() -> bool {
    true
}

/// Empty lists, https only: the same defaults as a JSON file that says nothing.
impl Default for DomainList {
    fn default() -> Self {
        DomainList {
            request: Vec::new(),
            socket: Vec::new(),
            upload_file: Vec::new(),
            download_file: Vec::new(),
            https_only: true,
        }
    }
}

impl DomainList {
    fn entries(&self, kind: DomainKind) -> &[String] {
        match kind {
            DomainKind::Request => &self.request,
            DomainKind::Socket => &self.socket,
            DomainKind::UploadFile => &self.upload_file,
            DomainKind::DownloadFile => &self.download_file,
        }
    }

    /// Whether `url` may be reached for `kind`.
    pub fn allows(&self, kind: DomainKind, url: &Url) -> bool {
        let secure = match kind {
            DomainKind::Socket => url.scheme() == "wss",
            _ => url.scheme() == "https",
        };
        if self.https_only && !secure {
            return false;
        }
        let default_scheme = if kind == DomainKind::Socket {
            "wss://"
        } else {
            "https://"
        };
        self.entries(kind).iter().any(|entry| {
            let entry = if entry.contains("://") {
                entry.clone()
            } else {
                format!("{default_scheme}{entry}")
            };
            Url::parse(&entry).is_ok_and(|allowed| {
                allowed.host_str().map(str::to_ascii_lowercase)
                    == url.host_str().map(str::to_ascii_lowercase)
                    && allowed.port_or_known_default() == url.port_or_known_default()
                    && (allowed.scheme() == url.scheme() || !self.https_only)
            })
        })
    }
}

/// The host's network settings for an app, installed with `App::builder(..).service(..)`.
#[derive(Clone, Default)]
pub struct NetworkConfig {
    /// `None`: developer mode, nothing checked.
    pub domains: Option<DomainList>,
    /// Called once, the first time a URL goes unchecked (the CLI says so on stderr).
    pub on_unchecked: Option<Arc<dyn Fn() + Send + Sync>>,
}

/// An app's network state: its config and its HTTP client (whose redirect
/// policy enforces the same domain list).
pub(crate) struct Network {
    config: NetworkConfig,
    client: Result<reqwest::Client, String>,
    unchecked_notice: Once,
}

impl Network {
    pub(crate) fn of(app: &App) -> Arc<Network> {
        app.state(|| {
            let config = app
                .service::<NetworkConfig>()
                .map(|c| (*c).clone())
                .unwrap_or_default();
            let domains = config.domains.clone();
            let policy = reqwest::redirect::Policy::custom(move |attempt| {
                let allowed = domains
                    .as_ref()
                    .is_none_or(|d| d.allows(DomainKind::Request, attempt.url()));
                match (allowed, attempt.previous().len()) {
                    (false, _) => attempt.error(NOT_IN_LIST),
                    (true, 0..10) => attempt.follow(),
                    (true, _) => attempt.error("too many redirects"),
                }
            });
            let client = reqwest::Client::builder()
                .redirect(policy)
                .build()
                .map_err(|e| e.to_string());
            Network {
                config,
                client,
                unchecked_notice: Once::new(),
            }
        })
    }

    pub(crate) fn client(&self) -> Result<&reqwest::Client, WxError> {
        self.client
            .as_ref()
            .map_err(|e| WxError::new(format!("network unavailable: {e}")))
    }

    /// Parses `url` and checks it against the domain list for `kind`.
    pub(crate) fn checked_url(&self, kind: DomainKind, url: &str) -> Result<Url, WxError> {
        let parsed =
            Url::parse(url).map_err(|e| WxError::new(format!("invalid url \"{url}\": {e}")))?;
        let schemes: &[&str] = if kind == DomainKind::Socket {
            &["ws", "wss"]
        } else {
            &["http", "https"]
        };
        if !schemes.contains(&parsed.scheme()) {
            return Err(WxError::new(format!(
                "invalid url \"{url}\": the scheme must be {}",
                schemes.join(" or ")
            )));
        }
        match &self.config.domains {
            Some(domains) if !domains.allows(kind, &parsed) => Err(WxError::new(NOT_IN_LIST)),
            Some(_) => Ok(parsed),
            None => {
                if let Some(notify) = &self.config.on_unchecked {
                    self.unchecked_notice.call_once(|| notify());
                }
                Ok(parsed)
            }
        }
    }
}

const NOT_IN_LIST: &str = "url not in domain list";

/// A JS value as a header or form field value: strings as they are, anything
/// else as JSON text (numbers and booleans come out as JS writes them).
pub(crate) fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => wx_core::format_number(*n),
        Value::Bool(b) => b.to_string(),
        Value::Undefined => String::new(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// WeChat's reason for a failed transfer: `timeout`, `url not in domain list`, or
/// the innermost cause (`Connection refused (os error 111)`).
pub(crate) fn reason(err: &reqwest::Error) -> WxError {
    if err.is_timeout() {
        return WxError::new("timeout");
    }
    let mut source: &dyn std::error::Error = err;
    let mut texts = vec![err.to_string()];
    while let Some(next) = source.source() {
        texts.push(next.to_string());
        source = next;
    }
    if texts.iter().any(|t| t.contains(NOT_IN_LIST)) {
        return WxError::new(NOT_IN_LIST);
    }
    WxError::new(texts.pop().unwrap_or_default())
}

/// The response headers as WeChat gives them: one string per name (repeated
/// headers joined by ", "), plus the `Set-Cookie` values on their own.
pub(crate) fn response_header(
    headers: &reqwest::header::HeaderMap,
) -> (wx_core::Object, Vec<String>) {
    let mut header = wx_core::Object::new();
    let mut cookies = Vec::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        if name == reqwest::header::SET_COOKIE {
            cookies.push(value.clone());
        }
        match header.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                header.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    (header, cookies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(https_only: bool) -> DomainList {
        DomainList {
            request: vec![
                "https://api.example.com".into(),
                "files.example.com:8443".into(),
            ],
            socket: vec!["wss://live.example.com".into()],
            https_only,
            ..DomainList::default()
        }
    }

    #[test]
    fn domains_match_scheme_host_and_port() {
        let url = |u: &str| Url::parse(u).unwrap();
        let strict = list(true);
        assert!(strict.allows(DomainKind::Request, &url("https://API.example.com/v1?x=1")));
        assert!(strict.allows(
            DomainKind::Request,
            &url("https://files.example.com:8443/a")
        ));
        assert!(!strict.allows(DomainKind::Request, &url("https://files.example.com/a")));
        assert!(!strict.allows(DomainKind::Request, &url("http://api.example.com/")));
        assert!(!strict.allows(DomainKind::Request, &url("https://evil.example.com/")));
        assert!(!strict.allows(DomainKind::DownloadFile, &url("https://api.example.com/")));
        assert!(strict.allows(DomainKind::Socket, &url("wss://live.example.com/ws")));
        assert!(!strict.allows(DomainKind::Socket, &url("ws://live.example.com/ws")));
    }
}
