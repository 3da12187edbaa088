//! HTTP (hyper) and WebSocket (tokio-tungstenite) servers on 127.0.0.1 for the
//! network tests. Each runs on its own thread and counts the requests it saw.

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

type Body = BoxBody<Bytes, Infallible>;

pub struct Server {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn spawn<F, Fut>(serve: F) -> Server
where
    F: FnOnce(tokio::net::TcpListener, Arc<AtomicUsize>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready_tx.send(listener.local_addr().unwrap()).unwrap();
            serve(listener, counted).await;
        });
    });
    Server {
        addr: ready_rx.recv().unwrap(),
        hits,
    }
}

fn full(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Full::new(body.into()).boxed())
        .unwrap()
}

/// A body sent in pieces, `pause` apart.
fn pieces(parts: Vec<&'static str>, pause: Duration) -> Body {
    let stream = futures_util::stream::iter(parts).then(move |part| async move {
        tokio::time::sleep(pause).await;
        Ok::<_, Infallible>(Frame::data(Bytes::from(part)))
    });
    BodyExt::boxed(StreamBody::new(stream))
}

async fn route(request: Request<Incoming>, own: SocketAddr) -> Result<Response<Body>, Infallible> {
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    let method = request.method().to_string();
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (content_type, referer, custom) = (
        header("content-type"),
        header("referer"),
        header("x-custom"),
    );
    Ok(match path.as_str() {
        // Keys not in sorted order: `data` keeps the server's, as `JSON.parse` does.
        "/json" => full(200, "application/json", r#"{"list":[true,null,"x"],"a":1}"#),
        "/text" => full(200, "text/plain", "plain text"),
        "/marker" => full(200, "application/json", r#"{"$wx::Date":5}"#),
        "/not-json" => full(200, "application/json", "{oops"),
        "/missing" => full(404, "text/plain", "not found here"),
        "/bytes" => full(200, "application/octet-stream", vec![0u8, 1, 2, 255]),
        "/cookies" => Response::builder()
            .header("set-cookie", "a=1; Path=/")
            .header("set-cookie", "b=2")
            .header("x-multi", "one")
            .header("x-multi", "two")
            .body(Full::new(Bytes::from("ok")).boxed())
            .unwrap(),
        "/slow-headers" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            full(200, "text/plain", "late")
        }
        "/slow-body" => Response::builder()
            .body(pieces(vec!["first", "second"], Duration::from_millis(1500)))
            .unwrap(),
        "/chunks" => Response::builder()
            .header("content-type", "text/plain")
            .body(pieces(
                vec!["one,", "two,", "three"],
                Duration::from_millis(30),
            ))
            .unwrap(),
        "/file" => {
            let size: usize = query
                .strip_prefix("size=")
                .and_then(|s| s.parse().ok())
                .unwrap_or(1000);
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            full(200, "application/octet-stream", data)
        }
        "/stream" => {
            // `mb` MiB in 1 MiB chunks, with no content-length: only reading tells the size.
            let mb: usize = query
                .strip_prefix("mb=")
                .and_then(|s| s.parse().ok())
                .unwrap_or(1);
            let chunk = Bytes::from(vec![b'x'; 1 << 20]);
            let chunks = futures_util::stream::iter(
                (0..mb).map(move |_| Ok::<_, Infallible>(Frame::data(chunk.clone()))),
            );
            Response::builder()
                .body(BodyExt::boxed(StreamBody::new(chunks)))
                .unwrap()
        }
        "/huge" => Response::builder()
            .header("content-length", "300000000")
            .body(BodyExt::boxed(StreamBody::new(
                futures_util::stream::pending::<Result<Frame<Bytes>, Infallible>>(),
            )))
            .unwrap(),
        "/redirect" => {
            let to = query
                .strip_prefix("to=")
                .map(|t| t.replace("%3A", ":").replace("%2F", "/"))
                .unwrap_or_default();
            let to = if to.is_empty() {
                format!("http://{own}/json")
            } else {
                to
            };
            Response::builder()
                .status(302)
                .header("location", to)
                .body(Full::new(Bytes::new()).boxed())
                .unwrap()
        }
        _ => {
            // /echo: what the server received, as JSON.
            let body = request
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            let echo = serde_json::json!({
                "method": method, "path": path, "query": query, "contentType": content_type,
                "referer": referer, "custom": custom, "body": String::from_utf8_lossy(&body),
            });
            full(200, "application/json", echo.to_string())
        }
    })
}

/// The HTTP server.
pub fn http() -> Server {
    spawn(|listener, hits| async move {
        let own = listener.local_addr().unwrap();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let hits = hits.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    hits.fetch_add(1, Ordering::SeqCst);
                    route(request, own)
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    })
}

/// The WebSocket server: echoes text and binary; `close-me` makes it close with 4001 "bye".
pub fn websocket() -> Server {
    spawn(|listener, hits| async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            hits.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                while let Some(Ok(message)) = ws.next().await {
                    match message {
                        Message::Text(text) if text.as_str() == "close-me" => {
                            let frame = CloseFrame {
                                code: CloseCode::from(4001),
                                reason: "bye".into(),
                            };
                            let _ = ws.send(Message::Close(Some(frame))).await;
                        }
                        Message::Text(text) => {
                            let _ = ws.send(Message::text(format!("echo:{text}"))).await;
                        }
                        Message::Binary(bytes) => {
                            let mut reversed = bytes.to_vec();
                            reversed.reverse();
                            let _ = ws.send(Message::binary(reversed)).await;
                        }
                        _ => {}
                    }
                }
            });
        }
    })
}
