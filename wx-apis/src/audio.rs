//! Background audio: `wx.getBackgroundAudioManager()`, one manager per app.
//! Setting `src` and `title` loads the track (a package path, `wxfile://`, or
//! http(s) through the network stack and its `downloadFile` domain list),
//! decodes it whole with symphonia to learn its duration (an undecodable file is
//! an `onError` with WeChat's error codes), and plays it on the host's
//! [`AudioOutput`], whose clock moves `currentTime` (`onTimeUpdate` every 250 ms,
//! `onEnded` at the end).

use crate::network::{DomainKind, Network, Redirects};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wx_core::{wx_sync, App, JsonSchema, Task, TaskMessage, Value, WxError};

/// How often `onTimeUpdate` fires while playing.
pub const TIME_UPDATE: Duration = Duration::from_millis(250);

/// Where the sound goes. The host decides (a sound card, nothing); playback
/// time is measured on its clock, `speed` times real time.
pub trait AudioOutput: Send + Sync + 'static {
    /// Playback starts or resumes, at `position` seconds into `track`.
    fn play(&self, track: &Track, position: f64);
    /// Playback pauses or stops.
    fn pause(&self);
    /// How fast playback time runs against the wall clock (1.0: real time).
    fn speed(&self) -> f64 {
        1.0
    }
}

/// A decoded track: what is known once it has been decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    /// The `src` it came from.
    pub src: String,
    /// Its length in seconds.
    pub duration: f64,
    /// Samples per second.
    pub sample_rate: u32,
    /// Channels.
    pub channels: usize,
}

/// The default output: silent, in real time (or `speed` times it, for tests).
#[derive(Debug, Clone, Copy)]
pub struct SilentOutput {
    /// Playback time per wall-clock time.
    pub speed: f64,
}

impl Default for SilentOutput {
    fn default() -> Self {
        SilentOutput { speed: 1.0 }
    }
}

impl AudioOutput for SilentOutput {
    fn play(&self, _track: &Track, _position: f64) {}
    fn pause(&self) {}
    fn speed(&self) -> f64 {
        self.speed
    }
}

/// The app's audio output: `App::builder(..).service(Audio::new(output))`.
#[derive(Clone)]
pub struct Audio(Arc<dyn AudioOutput>);

impl Audio {
    /// Sound goes to `output`.
    pub fn new(output: impl AudioOutput) -> Self {
        Audio(Arc::new(output))
    }
}

/// What `onError` gets.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AudioError {
    /// Why.
    pub err_msg: String,
    /// 10001 system, 10002 network, 10003 file, 10004 format, -1 unknown.
    pub err_code: i64,
}

fn audio_error(code: i64, why: impl Into<String>) -> AudioError {
    AudioError {
        err_msg: why.into(),
        err_code: code,
    }
}

/// What the manager's state events (`onPlay`, `onPause`, ...) get: the native
/// state change without its `state`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StateChange {
    /// `"onBackgroundAudioStateChange:ok"`.
    pub err_msg: &'static str,
}

const CHANGED: StateChange = StateChange {
    err_msg: "onBackgroundAudioStateChange:ok",
};

/// `src` may not be empty (WeChat throws on a falsy value).
fn check_src(value: &Value) -> Result<(), WxError> {
    match value.is_truthy() {
        true => Ok(()),
        false => Err(WxError::verbatim(format!(
            "invalid BackgroundAudioManager.src: {}",
            crate::network::text_of(value)
        ))),
    }
}

/// Gets the app's background audio manager (the same object every time).
#[wx_sync(
    since = "1.2.0",
    task = "BackgroundAudioManager",
    singleton,
    properties(
        src(String, check = check_src),
        title(String),
        epname(String),
        singer(String),
        cover_img_url(String),
        web_url(String),
        protocol(String, since = "1.9.94"),
        referrer_policy(String, since = "2.13.0"),
        audio_type(String, since = "3.4.8"),
        referrer_path(String, since = "3.4.8"),
        start_time(f64),
        playback_rate(f64, since = "2.11.0"),
        current_time(f64, readonly),
        duration(f64, readonly),
        paused(bool, readonly),
        buffered(f64, readonly)
    ),
    events(
        on_canplay(StateChange, no_off, single_listener),
        on_waiting(StateChange, no_off, single_listener),
        on_error(AudioError, no_off, single_listener),
        on_play(StateChange, no_off, single_listener),
        on_pause(StateChange, no_off, single_listener),
        on_seeking(StateChange, no_off, single_listener),
        on_seeked(StateChange, no_off, single_listener),
        on_ended(StateChange, no_off, single_listener),
        on_stop(StateChange, no_off, single_listener),
        on_time_update(StateChange, no_off, single_listener),
        on_next(StateChange, no_off, single_listener),
        on_prev(StateChange, no_off, single_listener)
    ),
    methods(play, pause, stop, seek)
)]
fn get_background_audio_manager(app: &App, task: Task) {
    task.set_property("paused", &true);
    task.set_property("currentTime", &0.0);
    task.set_property("duration", &0.0);
    task.set_property("buffered", &0.0);
    task.set_property("protocol", "http");
    task.set_property("playbackRate", &1.0);
    task.set_property("referrerPolicy", "default");
    task.set_property("audioType", "audio");
    task.set_busy(false);
    let player = Player {
        app: app.clone(),
        output: app
            .service::<Audio>()
            .map(|a| a.0.clone())
            .unwrap_or_else(|| Arc::new(SilentOutput::default())),
        track: None,
        loaded_src: None,
        playing_since: None,
        position: 0.0,
    };
    app.runtime().spawn(player.run(task));
}

/// The manager's playback state, owned by its task.
struct Player {
    app: App,
    output: Arc<dyn AudioOutput>,
    track: Option<Track>,
    /// The `src` of `track` (or of the load that failed).
    loaded_src: Option<String>,
    /// When playback last started or resumed (with `position` then).
    playing_since: Option<Instant>,
    position: f64,
}

impl Player {
    async fn run(mut self, mut task: Task) {
        let mut ticks = tokio::time::interval(TIME_UPDATE);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                message = task.next_message() => match message {
                    Some(message) => self.handle(&task, message).await,
                    None => return,
                },
                _ = ticks.tick(), if self.playing_since.is_some() => self.tick(&task),
            }
        }
    }

    fn now(&self) -> f64 {
        match self.playing_since {
            Some(since) => self.position + since.elapsed().as_secs_f64() * self.output.speed(),
            None => self.position,
        }
    }

    fn tick(&mut self, task: &Task) {
        let duration = self.track.as_ref().map_or(0.0, |t| t.duration);
        let now = self.now();
        if now >= duration {
            self.position = duration;
            self.playing_since = None;
            self.output.pause();
            task.set_property("currentTime", &duration);
            task.set_property("paused", &true);
            task.set_busy(false);
            task.emit("onEnded", &CHANGED);
            return;
        }
        task.set_property("currentTime", &now);
        task.emit("onTimeUpdate", &CHANGED);
    }

    async fn handle(&mut self, task: &Task, message: TaskMessage) {
        match message.method.as_str() {
            // Both `src` and `title` set: the track loads and plays (WeChat
            // sends nothing to the player before both are there).
            "src=" | "title=" => {
                let src = task.property("src");
                let title = task.property("title");
                let (Value::String(src), true) = (src, title.is_truthy()) else {
                    return;
                };
                if self.loaded_src.as_deref() != Some(src.as_str()) {
                    self.load(task, src).await;
                }
            }
            "play" if self.playing_since.is_none() && self.track.is_some() => {
                let duration = self.track.as_ref().map_or(0.0, |t| t.duration);
                if self.position >= duration {
                    self.position = 0.0;
                }
                self.start(task);
            }
            "pause" if self.playing_since.is_some() => {
                self.halt(task);
                task.emit("onPause", &CHANGED);
            }
            "stop" => {
                self.halt(task);
                self.position = 0.0;
                task.set_property("currentTime", &0.0);
                task.emit("onStop", &CHANGED);
            }
            "seek" => {
                let Some(to) = message.args.first().and_then(Value::as_f64) else {
                    return;
                };
                let duration = self.track.as_ref().map_or(0.0, |t| t.duration);
                task.emit("onSeeking", &CHANGED);
                let playing = self.playing_since.is_some();
                self.position = to.clamp(0.0, duration);
                if playing {
                    self.playing_since = Some(Instant::now());
                }
                task.set_property("currentTime", &self.position);
                task.emit("onSeeked", &CHANGED);
            }
            _ => {}
        }
    }

    /// Loads, decodes and starts `src` (from `startTime`).
    async fn load(&mut self, task: &Task, src: String) {
        self.halt(task);
        self.loaded_src = Some(src.clone());
        self.track = None;
        task.set_busy(true);
        task.emit("onWaiting", &CHANGED);
        let bytes = match self.fetch(&src).await {
            Ok(bytes) => bytes,
            Err(error) => return self.fail(task, error),
        };
        let decoding = src.clone();
        let decoded = tokio::task::spawn_blocking(move || decode(&decoding, bytes)).await;
        let track = match decoded {
            Ok(Ok(track)) => track,
            Ok(Err(error)) => return self.fail(task, error),
            Err(_) => return self.fail(task, audio_error(10001, "decoder stopped")),
        };
        task.set_property("duration", &track.duration);
        task.set_property("buffered", &track.duration);
        let start = task.property("startTime").as_f64().unwrap_or(0.0);
        self.position = start.clamp(0.0, track.duration);
        self.track = Some(track);
        task.emit("onCanplay", &CHANGED);
        self.start(task);
    }

    fn fail(&mut self, task: &Task, error: AudioError) {
        task.set_busy(false);
        task.emit("onError", &error);
    }

    fn start(&mut self, task: &Task) {
        let Some(track) = &self.track else { return };
        self.output.play(track, self.position);
        self.playing_since = Some(Instant::now());
        task.set_property("paused", &false);
        task.set_property("currentTime", &self.position);
        task.set_busy(true);
        task.emit("onPlay", &CHANGED);
    }

    fn halt(&mut self, task: &Task) {
        if self.playing_since.is_some() {
            self.position = self.now();
            self.playing_since = None;
            self.output.pause();
        }
        task.set_property("paused", &true);
        task.set_property("currentTime", &self.position);
        task.set_busy(false);
    }

    /// The bytes behind `src`.
    async fn fetch(&self, src: &str) -> Result<Vec<u8>, AudioError> {
        if src.starts_with("http://") || src.starts_with("https://") {
            let network = Network::of(&self.app);
            let url = network
                .checked_url(DomainKind::DownloadFile, src)
                .map_err(|e| audio_error(10002, e.reason().to_owned()))?;
            let client = network
                .client(DomainKind::DownloadFile, Redirects::Follow)
                .map_err(|e| audio_error(10002, e.reason().to_owned()))?;
            let response =
                client.get(url).send().await.map_err(|e| {
                    audio_error(10002, crate::network::reason(&e).reason().to_owned())
                })?;
            if !response.status().is_success() {
                return Err(audio_error(
                    10002,
                    format!("http status {}", response.status().as_u16()),
                ));
            }
            let bytes = response
                .bytes()
                .await
                .map_err(|e| audio_error(10002, crate::network::reason(&e).reason().to_owned()))?;
            return Ok(bytes.to_vec());
        }
        let path = if src.starts_with("wxfile://") {
            crate::files::Sandbox::of(&self.app)
                .resolve(src)
                .map_err(|e| audio_error(10003, e.reason().to_owned()))?
        } else {
            let root = self
                .app
                .service::<crate::files::PackageRoot>()
                .ok_or_else(|| audio_error(10003, format!("{src}: no such file")))?;
            package_file(&root.0, src)
                .ok_or_else(|| audio_error(10003, format!("{src}: no such file")))?
        };
        tokio::fs::read(&path)
            .await
            .map_err(|_| audio_error(10003, format!("{src}: no such file")))
    }
}

/// A file of the package, from a package path (`/audio/a.mp3` or `audio/a.mp3`):
/// no `..`, no link out of the package.
fn package_file(root: &std::path::Path, src: &str) -> Option<PathBuf> {
    let relative = src.trim_start_matches('/');
    if relative.split('/').any(|s| s == ".." || s.is_empty()) {
        return None;
    }
    let path = root.join(relative).canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    (path.starts_with(&root) && path.is_file()).then_some(path)
}

/// Decodes every packet of `bytes` (so a file that is not audio, or is broken
/// part-way, is found out now) and measures its length.
fn decode(src: &str, bytes: Vec<u8>) -> Result<Track, AudioError> {
    use symphonia::core::codecs::DecoderOptions;
    use symphonia::core::formats::FormatOptions;
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;
    use symphonia::core::probe::Hint;

    let format_error = |why: &str| audio_error(10004, format!("{src}: {why}"));
    let stream = MediaSourceStream::new(Box::new(std::io::Cursor::new(bytes)), Default::default());
    let mut hint = Hint::new();
    if let Some(extension) = src.rsplit('.').next().filter(|e| e.len() <= 4) {
        hint.with_extension(extension);
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            stream,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|_| format_error("not a supported audio format"))?;
    let mut format = probed.format;
    let track = format
        .default_track()
        .ok_or_else(|| format_error("no audio track"))?;
    let id = track.id;
    let params = track.codec_params.clone();
    let sample_rate = params
        .sample_rate
        .ok_or_else(|| format_error("no sample rate"))?;
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|_| format_error("unsupported codec"))?;
    let mut frames: u64 = 0;
    let mut channels = params.channels.map_or(0, |c| c.count());
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(symphonia::core::errors::Error::IoError(e))
                if e.kind() == std::io::ErrorKind::UnexpectedEof =>
            {
                break
            }
            Err(_) => return Err(format_error("broken stream")),
        };
        if packet.track_id() != id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(audio) => {
                frames += audio.frames() as u64;
                channels = channels.max(audio.spec().channels.count());
            }
            // A damaged packet is skipped, as players do.
            Err(symphonia::core::errors::Error::DecodeError(_)) => {}
            Err(_) => return Err(format_error("cannot be decoded")),
        }
    }
    if frames == 0 {
        return Err(format_error("no audio"));
    }
    Ok(Track {
        src: src.to_owned(),
        duration: frames as f64 / sample_rate as f64,
        sample_rate,
        channels,
    })
}
