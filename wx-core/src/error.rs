//! [`WxError`]: what an API returns when it fails, and [`ErrMsg`]: how wx-core
//! turns an API name and an outcome into WeChat's `errMsg` text.

use std::borrow::Cow;
use std::fmt;

/// A failed call's reason, with WeChat's optional `errCode` and `errno`.
///
/// The reason is the part after `"<api>:fail "`; wx-core adds the prefix, so an
/// API never spells its own name:
///
/// ```
/// # use wx_core::{ErrMsg, WxError};
/// let err = WxError::new("data not found");
/// assert_eq!(ErrMsg::fail("getStorage", err.reason()).as_str(), "getStorage:fail data not found");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WxError(Box<ErrorData>);

/// Boxed so that `Result<Value, WxError>`, returned by every call, stays small
/// on the success path that nearly every call takes.
#[derive(Debug, Clone, PartialEq)]
struct ErrorData {
    reason: Cow<'static, str>,
    err_code: Option<i64>,
    errno: Option<i64>,
    /// The reason is the whole errMsg, with no `"<api>:fail "` before it.
    verbatim: bool,
    /// What lies underneath, for the host developer (never shown to JS).
    detail: Option<String>,
    /// A sync API's failure WeChat only logs: printed, not thrown.
    console_only: bool,
}

/// WeChat's `errno` for a parameter error (its base library's parameter checker sets it).
pub const ERRNO_PARAMETER: i64 = 1001;

impl WxError {
    /// A failure with this reason (e.g. `"data not found"`).
    pub fn new(reason: impl Into<Cow<'static, str>>) -> Self {
        WxError(Box::new(ErrorData {
            reason: reason.into(),
            err_code: None,
            errno: None,
            verbatim: false,
            detail: None,
            console_only: false,
        }))
    }

    /// A failure whose errMsg is exactly `err_msg`, with no `"<api>:fail "` prefix:
    /// WeChat's `login({ timeout })` fails with `"request timeout"`, and some sync
    /// APIs throw `APP-SERVICE-SDK:` messages.
    pub fn verbatim(err_msg: impl Into<Cow<'static, str>>) -> Self {
        let mut err = WxError::new(err_msg);
        err.0.verbatim = true;
        err
    }

    /// A sync API's failure that WeChat's base library catches and logs: the
    /// host prints `text` with `console.error` and the call returns `undefined`
    /// (`createWorker: exceed max concurrent workers limit.`).
    pub fn console(text: impl Into<Cow<'static, str>>) -> Self {
        let mut err = WxError::verbatim(text);
        err.0.console_only = true;
        err
    }

    /// Whether this failure is only printed (see [`WxError::console`]).
    pub fn is_console_only(&self) -> bool {
        self.0.console_only
    }

    /// `"parameter error: <detail>"` with `errno` 1001: what WeChat gives for bad arguments.
    pub fn parameter(detail: impl fmt::Display) -> Self {
        WxError::new(format!("parameter error: {detail}")).with_errno(ERRNO_PARAMETER)
    }

    /// `"internal error: <detail>"`: a bug on the native side, such as a panic.
    pub fn internal(detail: impl fmt::Display) -> Self {
        WxError::new(format!("internal error: {detail}"))
    }

    /// `"abort"`: the call's task was aborted from JS.
    pub fn abort() -> Self {
        WxError::new("abort")
    }

    /// Sets `errCode`, reported beside `errMsg`.
    pub fn with_err_code(mut self, code: i64) -> Self {
        self.0.err_code = Some(code);
        self
    }

    /// Sets `errno` (WeChat's unified error numbers), reported beside `errMsg`.
    pub fn with_errno(mut self, errno: i64) -> Self {
        self.0.errno = Some(errno);
        self
    }

    /// Keeps the error underneath (an OS or library error's own text) for the host
    /// developer: wx-core hands it to the app's [`crate::Diagnostics`] when the
    /// call fails, while JS sees only the reason in WeChat's words.
    pub fn with_detail(mut self, detail: impl fmt::Display) -> Self {
        self.0.detail = Some(detail.to_string());
        self
    }

    /// The error underneath, if one was kept.
    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }

    /// The reason, without the `"<api>:fail "` prefix.
    pub fn reason(&self) -> &str {
        &self.0.reason
    }

    /// The `errCode`, if the error has one.
    pub fn err_code(&self) -> Option<i64> {
        self.0.err_code
    }

    /// The `errno`, if the error has one.
    pub fn errno(&self) -> Option<i64> {
        self.0.errno
    }

    /// The errMsg this error gives when API `api` fails with it.
    pub fn err_msg(&self, api: &str) -> ErrMsg {
        match self.0.verbatim {
            true => ErrMsg::verbatim(self.0.reason.to_string()),
            false => ErrMsg::fail(api, &self.0.reason),
        }
    }
}

impl fmt::Display for WxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.reason)
    }
}

impl std::error::Error for WxError {}

impl From<&'static str> for WxError {
    fn from(reason: &'static str) -> Self {
        WxError::new(reason)
    }
}

impl From<String> for WxError {
    fn from(reason: String) -> Self {
        WxError::new(reason)
    }
}

/// A file-system failure in the words WeChat's file APIs use (`no such file or
/// directory`), never the OS's own text with its error number.
impl From<std::io::Error> for WxError {
    fn from(err: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let reason = match err.kind() {
            K::NotFound => "no such file or directory",
            K::PermissionDenied => "permission denied",
            K::AlreadyExists => "file already exists",
            K::IsADirectory => "illegal operation on a directory",
            K::NotADirectory => "not a directory",
            K::StorageFull | K::QuotaExceeded => {
                "the maximum size of the file storage limit is exceeded"
            }
            K::InvalidInput | K::InvalidData | K::InvalidFilename => "invalid path",
            _ => "system error",
        };
        WxError::new(reason).with_detail(err)
    }
}

/// The longest errMsg wx-core builds, in bytes: a reason that quotes user input
/// (a bad option's value, a key) never grows an errMsg past it.
pub const MAX_ERR_MSG: usize = 2048;

/// `text` as an error message may quote user input: at most `max` characters,
/// cut with `…`.
pub fn brief(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => {
            let keep = text[..end]
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(end, |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..keep]))
        }
    }
}

/// Cuts an errMsg to [`MAX_ERR_MSG`] bytes (on a character boundary).
fn capped(mut text: String) -> String {
    if text.len() > MAX_ERR_MSG {
        let mut end = MAX_ERR_MSG - '…'.len_utf8();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// WeChat's `errMsg`: `"<api>:ok"` or `"<api>:fail <reason>"`, never longer than
/// [`MAX_ERR_MSG`] bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ErrMsg(String);

impl ErrMsg {
    /// `"<api>:ok"`.
    pub fn ok(api: &str) -> ErrMsg {
        // Concatenated, not `format!`ted: every successful call makes one.
        ErrMsg([api, ":ok"].concat())
    }

    /// `"<api>:fail <reason>"`; `"<api>:fail"` for an empty reason, and the reason
    /// as it is when it already starts with `"<api>:fail"` (never prefixed twice).
    pub fn fail(api: &str, reason: &str) -> ErrMsg {
        let reason = reason.trim();
        if reason.is_empty() {
            return ErrMsg([api, ":fail"].concat());
        }
        if let Some(rest) = reason.strip_prefix(api) {
            if rest == ":fail" || rest.starts_with(":fail ") {
                return ErrMsg(capped(reason.to_owned()));
            }
        }
        ErrMsg(capped([api, ":fail ", reason].concat()))
    }

    /// A text WeChat uses as it is, not in the `"<api>:fail"` shape.
    pub fn verbatim(text: impl Into<String>) -> ErrMsg {
        ErrMsg(capped(text.into()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for ErrMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_and_fail() {
        assert_eq!(ErrMsg::ok("login").as_str(), "login:ok");
        assert_eq!(
            ErrMsg::fail("login", "timeout").as_str(),
            "login:fail timeout"
        );
        assert_eq!(ErrMsg::fail("login", "").as_str(), "login:fail");
    }

    #[test]
    fn never_prefixed_twice() {
        assert_eq!(
            ErrMsg::fail("login", "login:fail timeout").as_str(),
            "login:fail timeout"
        );
        assert_eq!(ErrMsg::fail("login", "login:fail").as_str(), "login:fail");
        // Another API's prefix is part of the reason, not ours.
        assert_eq!(
            ErrMsg::fail("login", "request:fail timeout").as_str(),
            "login:fail request:fail timeout"
        );
        // A reason that merely starts with the name is not a prefix.
        assert_eq!(
            ErrMsg::fail("login", "loginx").as_str(),
            "login:fail loginx"
        );
    }

    #[test]
    fn user_input_never_makes_an_err_msg_unbounded() {
        let huge = "x".repeat(10_000_000);
        assert_eq!(ErrMsg::fail("login", &huge).as_str().len(), MAX_ERR_MSG);
        assert!(ErrMsg::fail("login", &"é".repeat(5000))
            .as_str()
            .ends_with('…'));
        assert_eq!(brief("abcdef", 4), "abc…");
        assert_eq!(brief("abc", 4), "abc");
        assert_eq!(brief("éééééé", 3), "éé…");
    }

    #[test]
    fn error_carries_codes() {
        let err = WxError::new("x").with_err_code(1001).with_errno(2);
        assert_eq!((err.err_code(), err.errno()), (Some(1001), Some(2)));
        assert_eq!(WxError::parameter("p").reason(), "parameter error: p");
        assert_eq!(WxError::parameter("p").errno(), Some(ERRNO_PARAMETER));
        assert_eq!(
            WxError::verbatim("request timeout")
                .err_msg("login")
                .as_str(),
            "request timeout"
        );
    }
}
