//! The UI host service: how a host shows a toast or loading and asks a modal
//! or an action sheet. What is shown is decided in `interact` (WeChat's
//! defaults and checks); a [`UiHost`] only shows it and answers.

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;

/// Which of the two things sharing the toast slot is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    /// `wx.showToast`.
    Toast,
    /// `wx.showLoading`.
    Loading,
}

/// A toast's icon (WeChat replaces an unknown one with `Success`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastIcon {
    /// A tick.
    Success,
    /// A cross.
    Error,
    /// A spinner (always, for a loading).
    Loading,
    /// No icon: the title may use two lines.
    None,
}

impl ToastIcon {
    /// The name WeChat uses (`"success"`, `"error"`, `"loading"`, `"none"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ToastIcon::Success => "success",
            ToastIcon::Error => "error",
            ToastIcon::Loading => "loading",
            ToastIcon::None => "none",
        }
    }
}

/// A toast or loading to show, replacing whatever toast or loading is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    /// Toast or loading.
    pub kind: ToastKind,
    /// The text.
    pub title: String,
    /// The icon.
    pub icon: ToastIcon,
    /// A custom icon image (a path in the package), shown instead of `icon`.
    pub image: Option<String>,
    /// How long it stays; `interact` hides it then (`None`: until hidden).
    pub duration: Option<Duration>,
    /// A transparent mask stops touches behind it.
    pub mask: bool,
}

/// A modal dialog to ask.
#[derive(Debug, Clone, PartialEq)]
pub struct Modal {
    /// The title (may be empty).
    pub title: String,
    /// The text (may be empty).
    pub content: String,
    /// Whether there is a cancel button.
    pub show_cancel: bool,
    /// The cancel button's text (at most 4 Chinese characters).
    pub cancel_text: String,
    /// The cancel button's colour, `#RRGGBB`.
    pub cancel_color: String,
    /// The confirm button's text (at most 4 Chinese characters).
    pub confirm_text: String,
    /// The confirm button's colour, `#RRGGBB`.
    pub confirm_color: String,
    /// Whether it has a text field (its text is the answer's `content`).
    pub editable: bool,
    /// The text field's placeholder.
    pub placeholder_text: String,
}

/// How a modal was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModalAnswer {
    /// Confirm was pressed (else cancel, or the modal was dismissed).
    pub confirm: bool,
    /// The text typed, for an editable modal.
    pub content: Option<String>,
}

impl ModalAnswer {
    /// Confirmed, with no text.
    pub fn confirm() -> Self {
        ModalAnswer {
            confirm: true,
            content: None,
        }
    }

    /// Cancelled.
    pub fn cancel() -> Self {
        ModalAnswer {
            confirm: false,
            content: None,
        }
    }
}

/// An action sheet to ask: pick one item, or cancel.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionSheet {
    /// A line above the items.
    pub alert_text: Option<String>,
    /// The items, 1 to 6.
    pub items: Vec<String>,
    /// The items' colour, `#RRGGBB`.
    pub item_color: String,
}

/// The answer to a question, given once: now, later (a person takes their
/// time) or never (dropped: the question was dismissed). The call stays
/// pending until then; if the app closes first, sending does nothing.
#[derive(Debug)]
pub struct Reply<T>(oneshot::Sender<T>);

impl<T> Reply<T> {
    /// A reply and the [`Answer`] the asker waits on.
    pub fn channel() -> (Reply<T>, Answer<T>) {
        let (tx, rx) = oneshot::channel();
        (Reply(tx), Answer(rx))
    }

    /// Answers; `false` if nobody waits any more (the app closed).
    pub fn send(self, answer: T) -> bool {
        self.0.send(answer).is_ok()
    }

    /// Nobody waits for this answer any more (the call was dropped: the app
    /// closed): a host need not ask its person.
    pub fn is_closed(&self) -> bool {
        self.0.is_closed()
    }
}

/// The asker's end of a [`Reply`]: awaited by the API (`None`: dismissed),
/// or looked at now and waited on by a thread (a host wrapping another UI).
#[derive(Debug)]
pub struct Answer<T>(oneshot::Receiver<T>);

/// What an [`Answer`] holds right now.
#[derive(Debug)]
pub enum Pending<T> {
    /// Answered.
    Answered(T),
    /// The reply was dropped unanswered.
    Dismissed,
    /// Not yet: here it is back, to wait on.
    Waiting(Answer<T>),
}

impl<T> Answer<T> {
    /// The answer if it is there already.
    pub fn now(mut self) -> Pending<T> {
        match self.0.try_recv() {
            Ok(answer) => Pending::Answered(answer),
            Err(oneshot::error::TryRecvError::Closed) => Pending::Dismissed,
            Err(oneshot::error::TryRecvError::Empty) => Pending::Waiting(self),
        }
    }

    /// Blocks this thread until answered (`None`: dismissed). Not for async code.
    pub fn wait(self) -> Option<T> {
        self.0.blocking_recv().ok()
    }
}

impl<T> std::future::Future for Answer<T> {
    type Output = Option<T>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        std::pin::Pin::new(&mut self.0).poll(cx).map(Result::ok)
    }
}

/// How a host shows the interact family. Calls come from any thread; a
/// question's answer may come from any thread, at any later time.
pub trait UiHost: Send + Sync + 'static {
    /// Shows a toast or loading, replacing what is shown.
    fn show_toast(&self, toast: &Toast);
    /// Hides the toast or loading shown, if any.
    fn hide_toast(&self);
    /// Asks a modal.
    fn show_modal(&self, modal: Modal, reply: Reply<ModalAnswer>);
    /// Asks an action sheet: `Some(index)` of the item picked, `None` for cancel.
    fn show_action_sheet(&self, sheet: ActionSheet, reply: Reply<Option<usize>>);
}

/// The app's UI: `App::builder(..).service(Ui::new(my_ui))`. Without one,
/// [`Headless`] is used.
#[derive(Clone)]
pub struct Ui(pub(crate) Arc<dyn UiHost>);

impl Ui {
    /// The UI `host` provides.
    pub fn new(host: impl UiHost) -> Self {
        Ui(Arc::new(host))
    }

    /// A UI shared with the host (to read what it recorded, queue answers).
    pub fn shared(host: Arc<dyn UiHost>) -> Self {
        Ui(host)
    }
}

/// The UI of a host that shows nothing: toasts vanish, every modal is
/// confirmed (an editable one with empty text), every action sheet picks its
/// first item. Never waits.
#[derive(Debug, Default, Clone, Copy)]
pub struct Headless;

impl UiHost for Headless {
    fn show_toast(&self, _toast: &Toast) {}
    fn hide_toast(&self) {}
    fn show_modal(&self, modal: Modal, reply: Reply<ModalAnswer>) {
        reply.send(ModalAnswer {
            confirm: true,
            content: modal.editable.then(String::new),
        });
    }
    fn show_action_sheet(&self, _sheet: ActionSheet, reply: Reply<Option<usize>>) {
        reply.send(Some(0));
    }
}
