//! `wx.downloadFile` (DownloadTask) and `wx.uploadFile` (UploadTask).

use super::timeout_of;
use super::{reason, response_header, text_of, DomainKind, Network};
use crate::files::Sandbox;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;
use wx_core::{wx_async, App, JsonSchema, Millis, Object, Task, Value, WxError};

/// The largest file `downloadFile` accepts.
pub const MAX_DOWNLOAD: u64 = 200 * 1024 * 1024;

/// `onHeadersReceived`'s argument for downloads and uploads, lent (encoded
/// where it is emitted).
#[derive(Serialize, JsonSchema)]
struct HeadersReceived<'a> {
    header: &'a Object,
}

/// Options of `wx.downloadFile`; the ones this host has no use for are accepted and ignored.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
pub struct DownloadFileOptions {
    /// The file's URL.
    pub url: String,
    /// Request headers.
    pub header: Option<BTreeMap<String, Value>>,
    /// Milliseconds before failing with `timeout` (default 60000).
    pub timeout: Option<Millis>,
    /// Where to save it (inside `wx.env.USER_DATA_PATH`); otherwise a temporary file.
    pub file_path: Option<String>,
    /// Accepted; HTTP/2 is used when the server offers it over TLS.
    #[serde(rename = "enableHttp2")]
    pub enable_http2: Option<bool>,
    /// Accepted; `profile` is always filled in.
    pub enable_profile: Option<bool>,
    /// Accepted; QUIC is not used.
    pub enable_quic: Option<bool>,
}

/// What `wx.downloadFile` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DownloadFileResult {
    /// The temporary file (when no `filePath` was given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temp_file_path: Option<String>,
    /// The `filePath` it was saved to, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// The HTTP status code.
    pub status_code: u16,
    /// When each step of the download happened.
    pub profile: super::RequestProfile,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct DownloadProgress {
    progress: u32,
    total_bytes_written: u64,
    total_bytes_expected_to_write: u64,
}

/// A download being written beside its destination; removed unless it completed
/// and was moved into place, so a failure never touches a file already there.
struct Partial(Option<PathBuf>);

impl Partial {
    /// The part file for `path`: hidden, beside it, unique to this download.
    fn beside(path: &std::path::Path) -> Partial {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Partial(Some(path.with_file_name(format!(
            ".{name}.{}-{n}.part",
            std::process::id()
        ))))
    }

    fn path(&self) -> &std::path::Path {
        self.0.as_deref().expect("until moved into place")
    }

    /// Moves the finished file into place (replacing what was there, atomically).
    async fn finish(mut self, path: &std::path::Path) -> std::io::Result<()> {
        let part = self.0.take().expect("finished once");
        let moved = tokio::fs::rename(&part, path).await;
        if moved.is_err() {
            let _ = tokio::fs::remove_file(&part).await;
        }
        moved
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Downloads a file into the sandbox; returns a DownloadTask (abort, onProgressUpdate, onHeadersReceived).
#[wx_async(
    task = "DownloadTask",
    events(
        on_progress_update(DownloadProgress, since = "1.4.0", off_since = "2.1.0"),
        on_headers_received(HeadersReceived<'static>, since = "2.1.0")
    ),
    abort_since = "1.4.0"
)]
async fn download_file(
    app: &App,
    task: Task,
    opts: DownloadFileOptions,
) -> Result<DownloadFileResult, WxError> {
    let network = Network::of(app);
    let url = network.checked_url(DomainKind::DownloadFile, &opts.url)?;
    let sandbox = Sandbox::of(app);
    let (wx_path, path, given) = match &opts.file_path {
        Some(file_path) => (file_path.clone(), sandbox.resolve(file_path)?, true),
        None => {
            let extension = std::path::Path::new(url.path())
                .extension()
                .map(|e| format!(".{}", e.to_string_lossy()));
            let (wx_path, path) = sandbox
                .new_temp_file(extension.as_deref().unwrap_or(""))
                .map_err(io)?;
            (wx_path, path, false)
        }
    };
    let client = network.client(DomainKind::DownloadFile, super::Redirects::Follow)?;
    // As `request`: the checks above fail at once, the transfer starts on a worker.
    wx_core::to_runtime().await;
    let mut builder = client.get(url);
    for (name, value) in opts.header.iter().flatten() {
        builder = builder.header(name.as_str(), text_of(value));
    }
    let mut profile = super::RequestProfile::start();
    let transfer = async {
        let mut response = builder.send().await.map_err(|e| reason(&e))?;
        profile.request_end = super::now_ms();
        profile.response(&response);
        let status_code = response.status().as_u16();
        let (header, _) = response_header(response.headers());
        task.emit("onHeadersReceived", &HeadersReceived { header: &header });
        let expected = response.content_length().unwrap_or(0);
        if expected > MAX_DOWNLOAD {
            return Err(WxError::new("exceed max file size"));
        }
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(io)?;
        }
        let partial = Partial::beside(&path);
        // Created here, not on tokio's blocking pool: a creation still running
        // there when an abort drops this future would make the file after
        // `Partial`'s drop had removed it, and leave it behind. (One open(2)
        // of a local file.)
        let file = std::fs::File::create(partial.path()).map_err(io)?;
        let mut file = tokio::fs::File::from_std(file);
        let (mut written, mut reported) = (0u64, None);
        while let Some(chunk) = response.chunk().await.map_err(|e| reason(&e))? {
            written += chunk.len() as u64;
            if written > MAX_DOWNLOAD {
                return Err(WxError::new("exceed max file size"));
            }
            file.write_all(&chunk).await.map_err(io)?;
            let progress = percent(written, expected).unwrap_or(0);
            // One event per percent, not per chunk.
            if reported != Some(progress) {
                reported = Some(progress);
                let update = DownloadProgress {
                    progress,
                    total_bytes_written: written,
                    total_bytes_expected_to_write: expected,
                };
                task.emit("onProgressUpdate", &update);
            }
        }
        file.flush().await.map_err(io)?;
        drop(file);
        partial.finish(&path).await.map_err(io)?;
        profile.response_end = super::now_ms();
        profile.received_byted_count = written as f64;
        Ok((status_code, profile))
    };
    let (status_code, profile) = tokio::time::timeout(timeout_of(opts.timeout), transfer)
        .await
        .map_err(|_| WxError::new("timeout").with_errno(super::errno::TIMEOUT))??;
    let (temp_file_path, file_path) = match given {
        true => (None, Some(wx_path)),
        false => (Some(wx_path), None),
    };
    Ok(DownloadFileResult {
        temp_file_path,
        file_path,
        status_code,
        profile,
    })
}

/// Options of `wx.uploadFile`; the ones this host has no use for are accepted and ignored.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
pub struct UploadFileOptions {
    /// The server URL.
    pub url: String,
    /// The file to upload (a `wxfile://` path).
    pub file_path: String,
    /// The multipart field name of the file.
    pub name: String,
    /// Request headers.
    pub header: Option<BTreeMap<String, Value>>,
    /// Other form fields.
    pub form_data: Option<BTreeMap<String, Value>>,
    /// Milliseconds before failing with `timeout` (default 60000).
    pub timeout: Option<Millis>,
    /// Accepted; HTTP/2 is used when the server offers it over TLS.
    #[serde(rename = "enableHttp2")]
    pub enable_http2: Option<bool>,
    /// Accepted; `profile` is always filled in.
    pub enable_profile: Option<bool>,
    /// Accepted; QUIC is not used.
    pub enable_quic: Option<bool>,
}

/// What `wx.uploadFile` gives `success`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UploadFileResult {
    /// The response body, as text.
    pub data: String,
    /// The HTTP status code.
    pub status_code: u16,
    /// When each step of the upload happened.
    pub profile: super::RequestProfile,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct UploadProgress {
    progress: u32,
    total_bytes_sent: u64,
    total_bytes_expected_to_send: u64,
}

const UPLOAD_CHUNK: usize = 64 * 1024;

/// Uploads a sandbox file as multipart/form-data; returns an UploadTask (abort, onProgressUpdate, onHeadersReceived).
#[wx_async(
    task = "UploadTask",
    events(
        on_progress_update(UploadProgress, since = "1.4.0", off_since = "2.1.0"),
        on_headers_received(HeadersReceived<'static>, since = "2.1.0")
    ),
    abort_since = "1.4.0"
)]
async fn upload_file(
    app: &App,
    task: Task,
    opts: UploadFileOptions,
) -> Result<UploadFileResult, WxError> {
    let network = Network::of(app);
    let url = network.checked_url(DomainKind::UploadFile, &opts.url)?;
    let path = Sandbox::of(app).resolve(&opts.file_path)?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        app.diagnose("uploadFile", &e);
        WxError::new(format!(
            "file not found: {}",
            wx_core::brief(&opts.file_path, 256)
        ))
    })?;
    let total = bytes.len() as u64;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());

    // The file goes out in chunks; each one handed to the connection counts as sent.
    let progress = task.emitter("onProgressUpdate").expect("declared event");
    let mut sent = 0u64;
    let chunks: Vec<bytes::Bytes> = bytes::Bytes::from(bytes)
        .chunks(UPLOAD_CHUNK)
        .map(bytes::Bytes::copy_from_slice)
        .collect();
    let stream = futures_util::stream::iter(chunks.into_iter().map(move |chunk| {
        sent += chunk.len() as u64;
        let percent = percent(sent, total).unwrap_or(100);
        progress.emit(&UploadProgress {
            progress: percent,
            total_bytes_sent: sent,
            total_bytes_expected_to_send: total,
        });
        Ok::<_, std::io::Error>(chunk)
    }));
    let part =
        reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), total)
            .file_name(file_name);
    let mut form = reqwest::multipart::Form::new();
    for (key, value) in opts.form_data.iter().flatten() {
        form = form.text(key.clone(), text_of(value));
    }
    form = form.part(opts.name.clone(), part);

    let client = network.client(DomainKind::UploadFile, super::Redirects::KeepMethod)?;
    let mut builder = client.post(url).multipart(form);
    for (name, value) in opts.header.iter().flatten() {
        builder = builder.header(name.as_str(), text_of(value));
    }
    let mut profile = super::RequestProfile::start();
    let exchange = async {
        let response = builder.send().await.map_err(|e| reason(&e))?;
        profile.request_end = super::now_ms();
        profile.response(&response);
        let status_code = response.status().as_u16();
        let (header, _) = response_header(response.headers());
        task.emit("onHeadersReceived", &HeadersReceived { header: &header });
        let data = response.text().await.map_err(|e| reason(&e))?;
        profile.response_end = super::now_ms();
        profile.received_byted_count = data.len() as f64;
        profile.send_bytes_count = total as f64;
        Ok::<_, WxError>(UploadFileResult {
            data,
            status_code,
            profile,
        })
    };
    tokio::time::timeout(timeout_of(opts.timeout), exchange)
        .await
        .map_err(|_| WxError::new("timeout").with_errno(super::errno::TIMEOUT))?
}

/// `done` of `total` as a whole percentage (at most 100); `None` when the total is unknown.
fn percent(done: u64, total: u64) -> Option<u32> {
    (done * 100).checked_div(total).map(|p| p.min(100) as u32)
}

/// A local file error while saving a download: WeChat's words in the errMsg,
/// the OS error kept for the host's diagnostics.
fn io(err: std::io::Error) -> WxError {
    WxError::new("write file failed").with_detail(err)
}
