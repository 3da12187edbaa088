//! `wx.connectSocket` and its `SocketTask`, plus the legacy single-socket APIs
//! (`wx.onSocketOpen`, `wx.sendSocketMessage`, ...), which act on the default
//! socket: as in WeChat, the first connection still open.

use super::{response_header, text_of, DomainKind, Network};
use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use wx_core::{
    wx_async, wx_event, App, EventSink, JsonSchema, Millis, Object, ObjectId, Task, TaskMessage,
    Value, WxError,
};

/// How many sockets one mini-program may have open at once.
pub const MAX_SOCKETS: usize = 5;

/// What a socket is asked to do, from `SocketTask` methods or the legacy APIs.
enum Command {
    Send(Value),
    Close {
        code: u16,
        reason: String,
    },
    /// A call whose arguments were refused: only its callbacks hear of it.
    Refused(WxError),
}

/// A close request checked as WebSocket's `close()` checks it (WeChat's sockets
/// follow it): the code is 1000 or 3000–4999, the reason at most 123 bytes.
fn close_command(code: Option<f64>, reason: String) -> Command {
    let code = code.unwrap_or(1000.0);
    if !(code == 1000.0 || (3000.0..=4999.0).contains(&code)) || code.fract() != 0.0 {
        return Command::Refused(WxError::parameter(format!(
            "parameter.code should be 1000 or from 3000 to 4999 instead of {};",
            wx_core::format_number(code)
        )));
    }
    if reason.len() > 123 {
        return Command::Refused(WxError::parameter(format!(
            "parameter.reason should be at most 123 bytes instead of {} bytes;",
            reason.len()
        )));
    }
    Command::Close {
        code: code as u16,
        reason,
    }
}

type Done = Box<dyn FnOnce(Result<(), WxError>) + Send>;
type Commands = mpsc::UnboundedSender<(Command, Done)>;

/// The app's open sockets, oldest first (the first is the default socket).
#[derive(Default)]
struct Sockets {
    open: Mutex<Vec<(ObjectId, Commands)>>,
}

impl Sockets {
    fn of(app: &App) -> Arc<Sockets> {
        app.state(Sockets::default)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(ObjectId, Commands)>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn is_default(&self, id: ObjectId) -> bool {
        self.lock().first().is_some_and(|(open, _)| *open == id)
    }

    /// Queues a legacy command for the default socket and waits for it to be done.
    async fn to_default(&self, command: Command) -> Result<(), WxError> {
        let (done, result) = oneshot::channel();
        let queued = match self.lock().first() {
            Some((_, commands)) => commands
                .send((command, Box::new(move |r| drop(done.send(r)))))
                .is_ok(),
            None => false,
        };
        if !queued {
            return Err(WxError::new("WebSocket is not connected"));
        }
        result
            .await
            .unwrap_or_else(|_| Err(WxError::new("WebSocket is not connected")))
    }
}

/// Takes a socket off the app's list when its task ends.
struct Registered(Arc<Sockets>, ObjectId);

impl Drop for Registered {
    fn drop(&mut self) {
        self.0.lock().retain(|(id, _)| *id != self.1);
    }
}

/// Options of `wx.connectSocket`; the ones this host has no use for are accepted and ignored.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
pub struct ConnectSocketOptions {
    /// The `wss://` (or, unchecked, `ws://`) URL.
    pub url: String,
    /// Handshake headers.
    pub header: Option<BTreeMap<String, Value>>,
    /// Sub-protocols.
    pub protocols: Option<Vec<String>>,
    /// Milliseconds the handshake may take (default 60000).
    pub timeout: Option<Millis>,
    /// Accepted; a desktop host has no cellular network.
    pub force_cellular_network: Option<bool>,
    /// Accepted; messages are not compressed.
    pub per_message_deflate: Option<bool>,
    /// Accepted; the system's TCP settings apply.
    pub tcp_no_delay: Option<bool>,
}

/// `SocketTask.onOpen`'s argument.
#[derive(Serialize, JsonSchema)]
struct SocketOpen {
    header: Object,
    profile: SocketProfile,
}

/// Timings of a socket's connection, in milliseconds since the Unix epoch
/// (durations in milliseconds); what this host cannot observe is 0.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SocketProfile {
    /// When the connection was asked for.
    pub fetch_start: f64,
    /// DNS lookup start (not observed: 0).
    pub domain_look_up_start: f64,
    /// DNS lookup end (not observed: 0).
    pub domain_look_up_end: f64,
    /// TCP connect start (the handshake's start here).
    pub connect_start: f64,
    /// TCP connect end (the handshake's end here).
    pub connect_end: f64,
    /// The WebSocket handshake's duration.
    pub handshake_cost: f64,
    /// The whole connection's duration.
    pub cost: f64,
    /// Round-trip time estimate (not observed: 0).
    pub rtt: f64,
}

#[derive(Serialize, JsonSchema)]
struct SocketMessage {
    /// A string, or an ArrayBuffer for a binary message.
    #[schemars(with = "super::TextOrBuffer")]
    data: Value,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct SocketError {
    err_msg: String,
}

#[derive(Serialize, JsonSchema)]
struct SocketClose {
    code: u16,
    reason: String,
}

/// Opens a WebSocket; returns a SocketTask (send, close, onOpen, onMessage, onError, onClose).
#[wx_async(
    task = "SocketTask",
    events(
        on_open(SocketOpen, no_off),
        on_message(SocketMessage, no_off),
        on_error(SocketError, no_off),
        on_close(SocketClose, no_off)
    ),
    methods(
        send(SendSocketMessageOptions) = "sendSocketMessage",
        close(CloseSocketOptions) = "closeSocket"
    ),
    no_abort
)]
async fn connect_socket(app: &App, task: Task, opts: ConnectSocketOptions) -> Result<(), WxError> {
    let url = Network::of(app).checked_url(DomainKind::Socket, &opts.url)?;
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|_| WxError::new("invalid url").with_errno(super::errno::INVALID_URL))?;
    for (name, value) in opts.header.iter().flatten() {
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            WxError::new(format!("invalid header name {}", wx_core::brief(name, 64)))
        })?;
        let value = text_of(value).parse().map_err(|_| {
            WxError::new(format!(
                "invalid header value for {}",
                wx_core::brief(name.as_str(), 64)
            ))
        })?;
        request.headers_mut().insert(name, value);
    }
    if let Some(protocols) = opts.protocols.filter(|p| !p.is_empty()) {
        let value = protocols
            .join(", ")
            .parse()
            .map_err(|_| WxError::new("invalid protocols"))?;
        request
            .headers_mut()
            .insert("sec-websocket-protocol", value);
    }
    let sockets = Sockets::of(app);
    let (commands, legacy) = mpsc::unbounded_channel();
    {
        let mut open = sockets.lock();
        if open.len() >= MAX_SOCKETS {
            return Err(WxError::new(format!(
                "exceed max socket count {MAX_SOCKETS}"
            )));
        }
        open.push((task.id(), commands));
    }
    let registered = Registered(sockets.clone(), task.id());
    // WeChat calls success as the connection starts; the SocketTask reports the rest.
    task.settle(Ok(()));
    let timeout = super::timeout_of(opts.timeout);
    Socket {
        task,
        sockets,
        legacy,
        _registered: registered,
    }
    .run(request, timeout)
    .await;
    Ok(())
}

struct Socket {
    task: Task,
    sockets: Arc<Sockets>,
    legacy: mpsc::UnboundedReceiver<(Command, Done)>,
    _registered: Registered,
}

impl Socket {
    /// Emits on the SocketTask, and on the legacy global event while this is the default socket.
    fn emit<T: Serialize>(&self, event: &'static str, legacy: &'static str, payload: &T) {
        self.task.emit(event, payload);
        if self.sockets.is_default(self.task.id()) {
            self.task.emit_global(legacy, payload);
        }
    }

    /// Leaves the app's socket list, then says so: by the time JS hears of the
    /// close, a new socket can take this one's place (the five-socket limit).
    fn closed(&self, code: u16, reason: String) {
        let id = self.task.id();
        let was_default = self.sockets.is_default(id);
        self.sockets.lock().retain(|(open, _)| *open != id);
        let payload = SocketClose { code, reason };
        self.task.emit("onClose", &payload);
        if was_default {
            self.task.emit_global("onSocketClose", &payload);
        }
    }

    async fn next_command(&mut self) -> Option<(Command, Done)> {
        tokio::select! {
            message = self.task.next_message() => message.map(command_of),
            legacy = self.legacy.recv() => legacy,
        }
    }

    async fn run(
        mut self,
        request: tokio_tungstenite::tungstenite::handshake::client::Request,
        timeout: Duration,
    ) {
        let fetch_start = super::now_ms();
        let connect = tokio::time::timeout(timeout, tokio_tungstenite::connect_async(request));
        tokio::pin!(connect);
        let connected = loop {
            tokio::select! {
                result = &mut connect => break result,
                command = self.next_command() => match command {
                    Some((Command::Close { code, reason }, done)) => {
                        done(Ok(()));
                        return self.closed(code, reason);
                    }
                    Some((Command::Send(_), done)) => done(Err(WxError::new("WebSocket is not connected"))),
                    Some((Command::Refused(err), done)) => done(Err(err)),
                    None => {}
                },
            }
        };
        let (ws, response) = match connected {
            Ok(Ok(ws)) => ws,
            Ok(Err(err)) => return self.failed(super::socket_failure(&err)),
            Err(_) => return self.failed("timeout".into()),
        };
        let connect_end = super::now_ms();
        let (header, _) = response_header(response.headers());
        let profile = SocketProfile {
            fetch_start,
            connect_start: fetch_start,
            connect_end,
            handshake_cost: connect_end - fetch_start,
            cost: connect_end - fetch_start,
            ..SocketProfile::default()
        };
        self.task.emit(
            "onOpen",
            &SocketOpen {
                header: header.clone(),
                profile,
            },
        );
        if self.sockets.is_default(self.task.id()) {
            self.task
                .emit_global("onSocketOpen", &LegacySocketOpen { header });
        }
        let (mut sink, mut stream) = ws.split();
        let mut close = (CloseCode::Abnormal.into(), String::new());
        loop {
            tokio::select! {
                incoming = stream.next() => match incoming {
                    Some(Ok(Message::Text(text))) => {
                        self.emit("onMessage", "onSocketMessage", &SocketMessage { data: Value::String(text.to_string()) });
                    }
                    Some(Ok(Message::Binary(bytes))) => {
                        self.emit("onMessage", "onSocketMessage", &SocketMessage { data: Value::ArrayBuffer(bytes.to_vec()) });
                    }
                    Some(Ok(Message::Close(frame))) => {
                        close = frame.map_or((CloseCode::Status.into(), String::new()), |f| (f.code.into(), f.reason.to_string()));
                    }
                    Some(Ok(_)) => {} // ping, pong: answered by the library
                    Some(Err(err)) => {
                        self.emit("onError", "onSocketError", &SocketError { err_msg: super::socket_failure(&err) });
                        break;
                    }
                    None => break,
                },
                command = self.next_command() => {
                    let Some((command, done)) = command else { continue };
                    let sent = match command {
                        Command::Send(Value::String(text)) => sink.send(Message::text(text)).await,
                        Command::Send(Value::ArrayBuffer(bytes)) => sink.send(Message::binary(bytes)).await,
                        Command::Send(other) => {
                            let actual = other.js_type_name();
                            done(Err(WxError::parameter(format!("parameter.data should be String/ArrayBuffer instead of {actual};"))));
                            continue;
                        }
                        Command::Close { code, reason } => {
                            let frame = CloseFrame { code: CloseCode::from(code), reason: reason.into() };
                            sink.send(Message::Close(Some(frame))).await
                        }
                        Command::Refused(err) => {
                            done(Err(err));
                            continue;
                        }
                    };
                    done(sent.map_err(|e| WxError::new(super::socket_failure(&e))));
                }
            }
        }
        self.closed(close.0, close.1);
    }

    fn failed(self, err_msg: String) {
        self.emit(
            "onError",
            "onSocketError",
            &SocketError {
                err_msg: err_msg.clone(),
            },
        );
        self.closed(CloseCode::Abnormal.into(), err_msg);
    }
}

/// A SocketTask method call as a command; its callbacks settle when it is done.
fn command_of(message: TaskMessage) -> (Command, Done) {
    let options = message.args.into_iter().next().unwrap_or_default();
    let command = match message.method.as_str() {
        "send" => Command::Send(options.get("data").cloned().unwrap_or_default()),
        _ => close_command(
            options.get("code").and_then(Value::as_f64),
            options.get("reason").map(text_of).unwrap_or_default(),
        ),
    };
    let reply = message.reply;
    (
        command,
        Box::new(move |result| {
            if let Some(reply) = reply {
                reply.settle(result.map(|()| Value::Null));
            }
        }),
    )
}

/// `wx.onSocketOpen`'s argument: the handshake's response headers.
#[derive(Serialize, JsonSchema)]
struct LegacySocketOpen {
    header: Object,
}

/// The default socket opened (legacy; prefer `SocketTask.onOpen`).
#[wx_event(no_off, single_listener)]
async fn on_socket_open(_sink: EventSink<LegacySocketOpen>) {}

/// The default socket received a message (legacy; prefer `SocketTask.onMessage`).
#[wx_event(no_off, single_listener)]
async fn on_socket_message(_sink: EventSink<SocketMessage>) {}

/// The default socket failed (legacy; prefer `SocketTask.onError`).
#[wx_event(no_off, single_listener)]
async fn on_socket_error(_sink: EventSink<SocketError>) {}

/// The default socket closed (legacy; prefer `SocketTask.onClose`).
#[wx_event(no_off, single_listener)]
async fn on_socket_close(_sink: EventSink<SocketClose>) {}

/// Options of `wx.sendSocketMessage`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SendSocketMessageOptions {
    /// A string or an ArrayBuffer.
    #[schemars(with = "super::TextOrBuffer")]
    pub data: Value,
}

/// Sends on the default socket (legacy; prefer `SocketTask.send`).
#[wx_async]
async fn send_socket_message(app: &App, opts: SendSocketMessageOptions) -> Result<(), WxError> {
    Sockets::of(app).to_default(Command::Send(opts.data)).await
}

/// Options of `wx.closeSocket`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CloseSocketOptions {
    /// The close code (default 1000; otherwise 3000–4999).
    pub code: Option<f64>,
    /// Why.
    pub reason: Option<String>,
}

/// Closes the default socket (legacy; prefer `SocketTask.close`).
#[wx_async]
async fn close_socket(app: &App, opts: CloseSocketOptions) -> Result<(), WxError> {
    let command = close_command(opts.code, opts.reason.unwrap_or_default());
    if let Command::Refused(err) = command {
        return Err(err);
    }
    Sockets::of(app).to_default(command).await
}
