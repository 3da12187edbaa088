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
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Once};
use wx_core::JsonSchema;
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

/// How a client treats redirect responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Redirects {
    /// Follow them (at most 10), each hop checked against the calling API's list.
    Follow,
    /// Follow only those that keep the method and body (307, 308): a POST is
    /// never silently turned into a body-less GET (`uploadFile`).
    KeepMethod,
    /// Give the redirect response back (`request` with `redirect: 'manual'`).
    Manual,
}

/// An app's network state: its config and one HTTP client per (API kind,
/// redirect rule), built on first use, whose redirect policy checks every hop
/// against the domain list of the API making the request.
pub(crate) struct Network {
    config: NetworkConfig,
    clients: std::sync::Mutex<Vec<((DomainKind, Redirects), reqwest::Client)>>,
    unchecked_notice: Once,
}

impl Network {
    pub(crate) fn of(app: &App) -> Arc<Network> {
        app.state(|| Network {
            config: app
                .service::<NetworkConfig>()
                .map(|c| (*c).clone())
                .unwrap_or_default(),
            clients: std::sync::Mutex::new(Vec::new()),
            unchecked_notice: Once::new(),
        })
    }

    /// The client for `kind` with `redirects` (a clone shares its connection pool).
    pub(crate) fn client(
        &self,
        kind: DomainKind,
        redirects: Redirects,
    ) -> Result<reqwest::Client, WxError> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, client)) = clients.iter().find(|(key, _)| *key == (kind, redirects)) {
            return Ok(client.clone());
        }
        let domains = self.config.domains.clone();
        let policy = match redirects {
            Redirects::Manual => reqwest::redirect::Policy::none(),
            _ => reqwest::redirect::Policy::custom(move |attempt| {
                let keeps_method = matches!(attempt.status().as_u16(), 307 | 308);
                if redirects == Redirects::KeepMethod && !keeps_method {
                    return attempt.stop();
                }
                let allowed = domains
                    .as_ref()
                    .is_none_or(|d| d.allows(kind, attempt.url()));
                match (allowed, attempt.previous().len()) {
                    (false, _) => attempt.error(NOT_IN_LIST),
                    (true, 0..10) => attempt.follow(),
                    (true, _) => attempt.error("too many redirects"),
                }
            }),
        };
        let client = reqwest::Client::builder()
            .redirect(policy)
            .build()
            .map_err(|e| {
                WxError::new("net::ERR_FAILED")
                    .with_errno(errno::NETWORK)
                    .with_detail(e)
            })?;
        clients.push(((kind, redirects), client.clone()));
        Ok(client)
    }

    /// Parses `url` and checks it against the domain list for `kind`.
    pub(crate) fn checked_url(&self, kind: DomainKind, url: &str) -> Result<Url, WxError> {
        let invalid = || WxError::new("invalid url").with_errno(errno::INVALID_URL);
        let parsed = Url::parse(url).map_err(|_| invalid())?;
        let schemes: &[&str] = if kind == DomainKind::Socket {
            &["ws", "wss"]
        } else {
            &["http", "https"]
        };
        if !schemes.contains(&parsed.scheme()) {
            return Err(invalid());
        }
        match &self.config.domains {
            Some(domains) if !domains.allows(kind, &parsed) => {
                Err(WxError::new(NOT_IN_LIST).with_errno(errno::NOT_IN_DOMAIN_LIST))
            }
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

/// The schema of a `string | ArrayBuffer` value (socket messages), for
/// `#[schemars(with = "...")]` on a [`Value`] field.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum TextOrBuffer {
    Text(String),
    Buffer(wx_core::schema::ArrayBuffer),
}

/// A JS value as a header or form field value: strings as they are, anything
/// else as `JSON.stringify` writes it (numbers and booleans as JS writes them).
pub(crate) fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => wx_core::format_number(*n),
        Value::Bool(b) => b.to_string(),
        Value::Undefined => String::new(),
        other => wx_core::json_stringify(other)
            .map(|json| json.to_string())
            .unwrap_or_default(),
    }
}

/// WeChat's unified `errno` values for network failures (its "PublicErrno"
/// page; 5 is the generic "timed out").
pub mod errno {
    /// The call timed out.
    pub const TIMEOUT: i64 = 5;
    /// A network error (connection refused or reset, name not resolved, TLS).
    pub const NETWORK: i64 = 600001;
    /// The URL is outside the app's domain list.
    pub const NOT_IN_DOMAIN_LIST: i64 = 600002;
    /// The connection broke off in the middle of the exchange.
    pub const INTERRUPTED: i64 = 600003;
    /// The URL is not a valid URL.
    pub const INVALID_URL: i64 = 600009;
}

/// A network failure in WeChat's words: a stable reason (Chromium's `net::ERR_*`
/// names, as WeChat's devtools report them) and its errno. The error underneath
/// is kept as the error's detail, for the host's diagnostics, never the errMsg.
pub(crate) fn reason(err: &reqwest::Error) -> WxError {
    let mut texts = vec![err.to_string()];
    let mut kinds = Vec::new();
    let mut source: &dyn std::error::Error = err;
    while let Some(next) = source.source() {
        texts.push(next.to_string());
        if let Some(io) = next.downcast_ref::<std::io::Error>() {
            kinds.push(io.kind());
        }
        source = next;
    }
    let detail = texts.join(": ");
    if texts.iter().any(|t| t.contains(NOT_IN_LIST)) {
        return WxError::new(NOT_IN_LIST).with_errno(errno::NOT_IN_DOMAIN_LIST);
    }
    if err.is_timeout() {
        return WxError::new("timeout").with_errno(errno::TIMEOUT);
    }
    let text = texts.join(" ").to_ascii_lowercase();
    use std::io::ErrorKind as K;
    let (reason, errno) = if kinds.contains(&K::ConnectionRefused) {
        ("net::ERR_CONNECTION_REFUSED", errno::NETWORK)
    } else if kinds.contains(&K::ConnectionReset) {
        ("net::ERR_CONNECTION_RESET", errno::INTERRUPTED)
    } else if text.contains("dns") || text.contains("lookup") {
        ("net::ERR_NAME_NOT_RESOLVED", errno::NETWORK)
    } else if text.contains("certificate") || text.contains("tls") || text.contains("handshake") {
        ("net::ERR_SSL_PROTOCOL_ERROR", errno::NETWORK)
    } else if err.is_body()
        || err.is_decode()
        || kinds
            .iter()
            .any(|k| matches!(k, K::UnexpectedEof | K::ConnectionAborted | K::BrokenPipe))
        || text.contains("incomplete")
        || text.contains("closed")
    {
        ("net::ERR_CONNECTION_CLOSED", errno::INTERRUPTED)
    } else if err.is_redirect() {
        ("net::ERR_TOO_MANY_REDIRECTS", errno::NETWORK)
    } else {
        ("net::ERR_FAILED", errno::NETWORK)
    };
    WxError::new(reason).with_errno(errno).with_detail(detail)
}

/// A WebSocket failure in WeChat's words (see [`reason`]).
pub(crate) fn socket_failure(err: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error as E;
    match err {
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "net::ERR_CONNECTION_REFUSED".into()
        }
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionReset => {
            "net::ERR_CONNECTION_RESET".into()
        }
        E::Io(_) | E::ConnectionClosed | E::AlreadyClosed | E::Protocol(_) => {
            "net::ERR_CONNECTION_CLOSED".into()
        }
        E::Tls(_) => "net::ERR_SSL_PROTOCOL_ERROR".into(),
        E::Http(response) => format!("Unexpected response code: {}", response.status().as_u16()),
        E::Url(_) | E::HttpFormat(_) => "invalid url".into(),
        _ => "net::ERR_FAILED".into(),
    }
}

/// `profile` of a request, download or upload result: when each step happened,
/// in milliseconds since the Unix epoch, and what the connection was. Steps
/// this host cannot observe separately (DNS, TCP, TLS inside the HTTP client)
/// are 0; the counts and the protocol are measured.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct RequestProfile {
    pub invoke_start: f64,
    pub queue_start: f64,
    pub queue_end: f64,
    pub redirect_start: f64,
    pub redirect_end: f64,
    pub fetch_start: f64,
    pub domain_look_up_start: f64,
    pub domain_look_up_end: f64,
    pub connect_start: f64,
    #[serde(rename = "SSLconnectionStart")]
    pub ssl_connection_start: f64,
    #[serde(rename = "SSLconnectionEnd")]
    pub ssl_connection_end: f64,
    pub connect_end: f64,
    pub request_start: f64,
    pub request_end: f64,
    pub response_start: f64,
    pub response_end: f64,
    #[serde(rename = "httpDNSDomainLookUpStart")]
    pub http_dns_domain_look_up_start: f64,
    #[serde(rename = "httpDNSDomainLookUpEnd")]
    pub http_dns_domain_look_up_end: f64,
    pub rtt: f64,
    pub estimate_nettype: f64,
    pub http_rtt_estimate: f64,
    pub transport_rtt_estimate: f64,
    pub downstream_throughput_kbps_estimate: f64,
    pub throughput_kbps: f64,
    #[serde(rename = "peerIP")]
    pub peer_ip: String,
    pub port: f64,
    pub protocol: String,
    pub socket_reused: bool,
    pub send_bytes_count: f64,
    pub received_byted_count: f64,
    pub using_high_performance_mode: bool,
}

impl RequestProfile {
    /// Fills in what a response tells: the peer, the protocol.
    pub(crate) fn response(&mut self, response: &reqwest::Response) {
        self.response_start = now_ms();
        if let Some(addr) = response.remote_addr() {
            self.peer_ip = addr.ip().to_string();
            self.port = addr.port().into();
        }
        self.protocol = match response.version() {
            reqwest::Version::HTTP_09 => "http/0.9",
            reqwest::Version::HTTP_10 => "http/1.0",
            reqwest::Version::HTTP_2 => "h2",
            reqwest::Version::HTTP_3 => "h3",
            _ => "http/1.1",
        }
        .into();
    }

    /// A profile whose call started now.
    pub(crate) fn start() -> Self {
        let now = now_ms();
        RequestProfile {
            invoke_start: now,
            fetch_start: now,
            request_start: now,
            ..RequestProfile::default()
        }
    }
}

/// A transfer's time limit: the option, or WeChat's default of 60 s.
pub(crate) fn timeout_of(ms: Option<wx_core::Millis>) -> std::time::Duration {
    ms.map_or(
        std::time::Duration::from_secs(60),
        wx_core::Millis::duration,
    )
}

/// Now, in milliseconds since the Unix epoch (profiles' timestamps).
pub(crate) fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
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
