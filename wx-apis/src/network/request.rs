//! `wx.request` and its `RequestTask`.

use super::{reason, response_header, text_of, DomainKind, Network};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;
use wx_core::{schemars, wx_async, App, JsonSchema, Object, Task, Value, WxError};

/// `method` of `wx.request`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
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

/// `responseType` of `wx.request`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ResponseType {
    /// The body as text (parsed as JSON when `dataType` is `json`).
    #[default]
    Text,
    /// The body as an `ArrayBuffer`.
    Arraybuffer,
}

/// Options of `wx.request`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestOptions {
    /// The server URL.
    pub url: String,
    /// The request data: an object (query string for GET, JSON or a form
    /// otherwise, by `content-type`), a string or an ArrayBuffer as it is.
    pub data: Option<Value>,
    /// Request headers; `Referer` cannot be set.
    pub header: Option<BTreeMap<String, Value>>,
    /// Milliseconds before failing with `timeout` (default 60000).
    pub timeout: Option<f64>,
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
}

/// What `wx.request` gives `success` (for every HTTP status).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestResult {
    /// The body: parsed JSON, text, or an ArrayBuffer.
    pub data: Value,
    /// The HTTP status code.
    pub status_code: u16,
    /// Response headers.
    pub header: BTreeMap<String, Value>,
    /// `Set-Cookie` values.
    pub cookies: Vec<String>,
}

#[derive(Serialize)]
struct HeadersReceived<'a> {
    header: &'a Object,
}

#[derive(Serialize)]
struct ChunkReceived {
    data: Value,
}

/// Makes an HTTPS request; returns a RequestTask (abort, onHeadersReceived, onChunkReceived).
#[wx_async(
    task = "RequestTask",
    events(on_headers_received, on_chunk_received),
    since = "1.0.0"
)]
async fn request(app: &App, task: Task, opts: RequestOptions) -> Result<RequestResult, WxError> {
    let network = Network::of(app);
    let mut url = network.checked_url(DomainKind::Request, &opts.url)?;
    let timeout = Duration::from_secs_f64(opts.timeout.unwrap_or(60_000.0).max(0.0) / 1000.0);
    let headers = opts.header.unwrap_or_default();
    let content_type = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| text_of(v))
        .unwrap_or_else(|| "application/json".to_owned());
    let body = encode_data(opts.method, &content_type, opts.data.as_ref(), &mut url)?;

    let mut builder = network.client()?.request(opts.method.as_http(), url);
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
        let status_code = response.status().as_u16();
        let (header, cookies) = response_header(response.headers());
        task.emit("onHeadersReceived", &HeadersReceived { header: &header });
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| reason(&e))? {
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
        Ok::<_, WxError>((status_code, header, cookies, bytes))
    };
    let (status_code, header, cookies, bytes) = tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| WxError::new("timeout"))??;
    let data = decode_data(
        bytes,
        opts.response_type,
        opts.data_type.as_deref().unwrap_or("json"),
    );
    Ok(RequestResult {
        data,
        status_code,
        header: header.into_iter().collect(),
        cookies,
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
        other => Some(
            serde_json::to_vec(other)
                .map_err(|e| WxError::parameter(format!("parameter.data: {e};")))?,
        ),
    })
}

fn decode_data(bytes: Vec<u8>, response_type: ResponseType, data_type: &str) -> Value {
    if response_type == ResponseType::Arraybuffer {
        return Value::ArrayBuffer(bytes);
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if data_type == "json" {
        // WeChat gives the text back when it is not JSON.
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
            return from_json(json);
        }
    }
    Value::String(text)
}

/// JSON as the JS values `JSON.parse` gives: plain data, nothing read as a marker.
fn from_json(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::Array(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => Value::from(
            map.into_iter()
                .map(|(k, v)| (k, from_json(v)))
                .collect::<Object>(),
        ),
    }
}
