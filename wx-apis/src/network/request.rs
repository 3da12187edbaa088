//! `wx.request` and its `RequestTask`.

use super::{reason, response_header, text_of, DomainKind, Network};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wx_core::{wx_async, App, JsonSchema, Millis, Object, Task, Value, WxError};

/// The largest response body `wx.request` takes in (a larger one fails the call
/// before it is all read: memory stays bounded whatever a server sends).
pub const MAX_RESPONSE: usize = 64 * 1024 * 1024;

/// `method` of `wx.request`, in any case (WeChat upper-cases it before checking).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum Method {
    Options,
    #[default]
    Get,
    Head,
    Post,
    Put,
    Delete,
    Trace,
    Connect,
}

impl<'de> Deserialize<'de> for Method {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(match text.to_ascii_uppercase().as_str() {
            "OPTIONS" => Method::Options,
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            "TRACE" => Method::Trace,
            "CONNECT" => Method::Connect,
            _ => return Err(serde::de::Error::custom(format!("unknown method {text}"))),
        })
    }
}

impl Method {
    fn as_http(self) -> reqwest::Method {
        match self {
            Method::Options => reqwest::Method::OPTIONS,
            Method::Get => reqwest::Method::GET,
            Method::Head => reqwest::Method::HEAD,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
            Method::Trace => reqwest::Method::TRACE,
            Method::Connect => reqwest::Method::CONNECT,
        }
    }
}

/// `responseType` of `wx.request`; as in WeChat, any other string means `text`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ResponseType {
    /// The body as text (parsed as JSON when `dataType` is `json`).
    #[default]
    Text,
    /// The body as an `ArrayBuffer`.
    Arraybuffer,
}

impl<'de> Deserialize<'de> for ResponseType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match String::deserialize(d)?.as_str() {
            "arraybuffer" => ResponseType::Arraybuffer,
            _ => ResponseType::Text,
        })
    }
}

/// `redirect` of `wx.request`; any other string means `follow`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Redirect {
    /// Follow redirects (at most 10).
    #[default]
    Follow,
    /// Give the redirect response itself to `success`.
    Manual,
}

impl<'de> Deserialize<'de> for Redirect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match String::deserialize(d)?.as_str() {
            "manual" => Redirect::Manual,
            _ => Redirect::Follow,
        })
    }
}

/// The schema of `wx.request`'s `data`: a string, an object or an ArrayBuffer.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum RequestData {
    Text(String),
    Object(BTreeMap<String, Value>),
    Buffer(wx_core::schema::ArrayBuffer),
}

/// Options of `wx.request`. The options this host has no use for are accepted
/// (and typed, so a wrong type is still a parameter error) and ignored.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
pub struct RequestOptions {
    /// The server URL.
    pub url: String,
    /// The request data: an object (query string for GET, JSON or a form
    /// otherwise, by `content-type`), a string or an ArrayBuffer as it is.
    #[schemars(with = "Option<RequestData>")]
    pub data: Option<Value>,
    /// Request headers; `Referer` cannot be set.
    pub header: Option<BTreeMap<String, Value>>,
    /// Milliseconds before failing with `timeout` (default 60000).
    pub timeout: Option<Millis>,
    /// The HTTP method (default `GET`).
    #[serde(default)]
    pub method: Method,
    /// `json` (default): parse a JSON body; anything else: leave the text.
    pub data_type: Option<String>,
    /// `text` (default) or `arraybuffer`.
    #[serde(default)]
    pub response_type: ResponseType,
    /// Deliver the body in pieces through `RequestTask.onChunkReceived`.
    #[serde(default)]
    pub enable_chunked: bool,
    /// `follow` (default) or `manual`: give a redirect response to `success`.
    #[serde(default)]
    pub redirect: Redirect,
    /// Accepted; the host's HTTP client has no response cache.
    pub enable_cache: Option<bool>,
    /// Accepted; HTTP/2 is used when the server offers it over TLS.
    #[serde(rename = "enableHttp2")]
    pub enable_http2: Option<bool>,
    /// Accepted; this host has no HttpDNS service.
    #[serde(rename = "enableHttpDNS")]
    pub enable_http_dns: Option<bool>,
    /// Accepted; this host has no HttpDNS service.
    #[serde(rename = "enableHttpDNSFallback")]
    pub enable_http_dns_fallback: Option<bool>,
    /// Accepted; `profile` is always filled in.
    pub enable_profile: Option<bool>,
    /// Accepted; QUIC is not used.
    pub enable_quic: Option<bool>,
    /// Accepted; a desktop host has no cellular network.
    pub force_cellular_network: Option<bool>,
    /// Accepted; this host has no HttpDNS service.
    #[serde(rename = "httpDNSServiceId")]
    pub http_dns_service_id: Option<String>,
    /// Accepted; this host has no HttpDNS service.
    #[serde(rename = "httpDNSTimeout")]
    pub http_dns_timeout: Option<f64>,
    /// Accepted; there is one performance mode here.
    pub use_high_performance_mode: Option<bool>,
}

/// What `wx.request` gives `success` (for every HTTP status).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestResult {
    /// The body: parsed JSON, text, or an ArrayBuffer.
    pub data: Value,
    /// The HTTP status code.
    pub status_code: u16,
    /// Response headers, in the order the server sent them.
    pub header: Object,
    /// `Set-Cookie` values.
    pub cookies: Vec<String>,
    /// When each step of the exchange happened.
    pub profile: super::RequestProfile,
    /// Retries the client made (none here).
    pub exception: RequestException,
    /// Whether HttpDNS resolved the host (never here).
    #[serde(rename = "useHttpDNS")]
    pub use_http_dns: bool,
}

/// `exception` of a request result: the retries made and why.
#[derive(Debug, Default, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestException {
    /// How many times the request was retried.
    pub retry_count: u32,
    /// Why, one entry per retry.
    pub reasons: Vec<Value>,
}

/// `RequestTask.onHeadersReceived`'s argument, lent from what the result
/// will hold (encoded where it is emitted, so nothing is copied for it).
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct HeadersReceived<'a> {
    header: &'a Object,
    status_code: u16,
    cookies: &'a [String],
}

/// `RequestTask.onChunkReceived`'s argument: one piece of the body.
#[derive(Serialize, JsonSchema)]
struct ChunkReceived {
    #[schemars(with = "wx_core::schema::ArrayBuffer")]
    data: Value,
}

/// Makes an HTTPS request; returns a RequestTask (abort, onHeadersReceived, onChunkReceived).
#[wx_async(
    task = "RequestTask",
    events(
        on_headers_received(HeadersReceived<'static>, since = "2.1.0"),
        on_chunk_received(ChunkReceived, since = "2.20.1")
    ),
    abort_since = "1.4.0"
)]
async fn request(app: &App, task: Task, opts: RequestOptions) -> Result<RequestResult, WxError> {
    let network = Network::of(app);
    let mut url = network.checked_url(DomainKind::Request, &opts.url)?;
    let timeout = super::timeout_of(opts.timeout);
    let headers = opts.header.unwrap_or_default();
    let content_type = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| text_of(v))
        .unwrap_or_else(|| "application/json".to_owned());
    let body = encode_data(opts.method, &content_type, opts.data.as_ref(), &mut url)?;
    let mut profile = super::RequestProfile::start();

    let redirects = match opts.redirect {
        Redirect::Follow => super::Redirects::Follow,
        Redirect::Manual => super::Redirects::Manual,
    };
    let client = network.client(DomainKind::Request, redirects)?;
    // The checks above fail at once; building the request, connecting and
    // sending happen on a worker, so a turn that starts many requests starts
    // them in parallel and the JS thread goes on to the next call sooner.
    wx_core::to_runtime().await;
    let sent_bytes = body.as_ref().map_or(0, Vec::len);
    let mut builder = client.request(opts.method.as_http(), url);
    for (name, value) in &headers {
        if !name.eq_ignore_ascii_case("referer") {
            builder = builder.header(name.as_str(), text_of(value));
        }
    }
    if !headers
        .keys()
        .any(|k| k.eq_ignore_ascii_case("content-type"))
        && body.is_some()
    {
        builder = builder.header("content-type", "application/json");
    }
    builder = builder.header(
        "referer",
        format!(
            "https://servicewechat.com/{}/devtools/page-frame.html",
            app.app_id()
        ),
    );
    if let Some(body) = body {
        builder = builder.body(body);
    }
    let exchange = async {
        let mut response = builder.send().await.map_err(|e| reason(&e))?;
        profile.request_end = super::now_ms();
        profile.response(&response);
        let status_code = response.status().as_u16();
        let (header, cookies) = response_header(response.headers());
        task.emit(
            "onHeadersReceived",
            &HeadersReceived {
                header: &header,
                status_code,
                cookies: &cookies,
            },
        );
        let too_large = || {
            WxError::new(format!(
                "response data exceeds the limit of {MAX_RESPONSE} bytes"
            ))
            .with_errno(super::errno::NETWORK)
        };
        if response
            .content_length()
            .is_some_and(|n| n > MAX_RESPONSE as u64)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| reason(&e))? {
            if bytes.len() + chunk.len() > MAX_RESPONSE {
                return Err(too_large());
            }
            if opts.enable_chunked {
                task.emit(
                    "onChunkReceived",
                    &ChunkReceived {
                        data: Value::ArrayBuffer(chunk.to_vec()),
                    },
                );
            }
            bytes.extend_from_slice(&chunk);
        }
        profile.response_end = super::now_ms();
        profile.received_byted_count = bytes.len() as f64;
        profile.send_bytes_count = sent_bytes as f64;
        Ok::<_, WxError>((status_code, header, cookies, bytes, profile))
    };
    let (status_code, header, cookies, bytes, profile) = tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| WxError::new("timeout").with_errno(super::errno::TIMEOUT))??;
    let data = decode_data(
        bytes,
        opts.response_type,
        opts.data_type.as_deref().unwrap_or("json"),
    );
    Ok(RequestResult {
        data,
        status_code,
        header,
        cookies,
        profile,
        exception: RequestException::default(),
        use_http_dns: false,
    })
}

/// WeChat's data rules: GET (and HEAD) objects go into the query string; other
/// methods send JSON, or a form for `application/x-www-form-urlencoded`;
/// strings and ArrayBuffers go as they are.
fn encode_data(
    method: Method,
    content_type: &str,
    data: Option<&Value>,
    url: &mut reqwest::Url,
) -> Result<Option<Vec<u8>>, WxError> {
    let Some(data) = data.filter(|d| !matches!(d, Value::Undefined | Value::Null)) else {
        return Ok(None);
    };
    let in_query = matches!(method, Method::Get | Method::Head);
    Ok(match data {
        Value::ArrayBuffer(bytes) => Some(bytes.clone()),
        Value::Object(map) if in_query => {
            url.query_pairs_mut()
                .extend_pairs(map.iter().map(|(k, v)| (k, text_of(v))));
            None
        }
        Value::String(s) if in_query => {
            if !s.is_empty() {
                let query = match url.query() {
                    Some(existing) if !existing.is_empty() => format!("{existing}&{s}"),
                    _ => s.clone(),
                };
                url.set_query(Some(&query));
            }
            None
        }
        Value::String(s) => Some(s.clone().into_bytes()),
        Value::Object(map)
            if content_type
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded") =>
        {
            let mut form = reqwest::Url::parse("form:").expect("a valid base");
            form.query_pairs_mut()
                .extend_pairs(map.iter().map(|(k, v)| (k, text_of(v))));
            Some(form.query().unwrap_or_default().as_bytes().to_vec())
        }
        // As WeChat's bridge sends it: JSON.stringify (functions left out, dates as
        // ISO strings), never an internal marker.
        other => Some(
            wx_core::json_stringify(other)
                .map(|json| json.to_string().into_bytes())
                .unwrap_or_default(),
        ),
    })
}

fn decode_data(bytes: Vec<u8>, response_type: ResponseType, data_type: &str) -> Value {
    if response_type == ResponseType::Arraybuffer {
        return Value::ArrayBuffer(bytes);
    }
    // Parsed straight into the `Value` a `JSON.parse` would give: plain data
    // (`Value`'s own deserializer reads its markers only from wx-core's values,
    // never from JSON), and no intermediate tree.
    if data_type == "json" {
        if let Ok(json) = serde_json::from_slice::<Value>(&bytes) {
            return json;
        }
    }
    // WeChat gives the text back when it is not JSON.
    match String::from_utf8(bytes) {
        Ok(text) => Value::String(text),
        Err(invalid) => Value::String(String::from_utf8_lossy(invalid.as_bytes()).into_owned()),
    }
}
