//! The one toast slot toasts and loadings share: which was shown last (the
//! base library's toast and loading "tokens"), WeChat's rule for a hide that
//! does not match it, and the timer that hides a toast after its duration.

use super::ui::{Toast, ToastKind, UiHost};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use wx_core::App;

#[derive(Default)]
struct Tokens {
    /// The counter both tokens take from.
    next: u64,
    /// The toast shown last, until its duration ends.
    toast: Option<(u64, Instant)>,
    /// The loading shown last, until hidden.
    loading: Option<u64>,
    /// What the UI shows now.
    shown: Option<u64>,
}

#[derive(Default)]
struct Slot(Mutex<Tokens>);

fn slot(app: &App) -> Arc<Slot> {
    app.state(Slot::default)
}

impl Slot {
    fn tokens(&self) -> std::sync::MutexGuard<'_, Tokens> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Shows `toast` in the slot (replacing what is there) and, when it has a
/// duration, hides it then, unless something else took the slot meanwhile.
pub(super) fn show(app: &App, ui: Arc<dyn UiHost>, toast: Toast) {
    let slot = slot(app);
    let token = {
        let mut tokens = slot.tokens();
        tokens.next += 1;
        let token = tokens.next;
        match (toast.kind, toast.duration) {
            (ToastKind::Toast, Some(d)) => tokens.toast = Some((token, Instant::now() + d)),
            (ToastKind::Toast, None) => tokens.toast = Some((token, far_future())),
            (ToastKind::Loading, _) => tokens.loading = Some(token),
        }
        tokens.shown = Some(token);
        token
    };
    ui.show_toast(&toast);
    if let Some(duration) = toast.duration {
        app.runtime().spawn(async move {
            tokio::time::sleep(duration).await;
            let still_shown = {
                let mut tokens = slot.tokens();
                let mine = tokens.shown == Some(token);
                if mine {
                    tokens.shown = None;
                }
                mine
            };
            if still_shown {
                ui.hide_toast();
            }
        });
    }
}

fn far_future() -> Instant {
    Instant::now() + std::time::Duration::from_secs(100_000_000)
}

/// `hideToast` (`kind` Toast) or `hideLoading` (`kind` Loading). With
/// `avoid_conflict` (`noConflict`, or the developer tools), a hide is skipped
/// when the other kind was shown after this one, with WeChat's warning;
/// otherwise the slot is emptied whatever shows in it.
pub(super) fn hide(app: &App, ui: Arc<dyn UiHost>, kind: ToastKind, avoid_conflict: bool) {
    let slot = slot(app);
    let skip = {
        let mut tokens = slot.tokens();
        let now = Instant::now();
        let toast = tokens
            .toast
            .filter(|(_, until)| *until > now)
            .map(|(t, _)| t);
        let loading = tokens.loading;
        let newer_other = match kind {
            ToastKind::Toast => loading.is_some_and(|l| toast.is_none_or(|t| l > t)),
            ToastKind::Loading => toast.is_some_and(|t| loading.is_none_or(|l| t > l)),
        };
        match kind {
            ToastKind::Toast => tokens.toast = None,
            ToastKind::Loading => tokens.loading = None,
        }
        let skip = avoid_conflict && newer_other;
        if !skip {
            tokens.shown = None;
        }
        skip
    };
    if skip {
        wx_core::console_warn(match kind {
            ToastKind::Toast => "请注意 showToast 与 hideToast 必须配对使用",
            ToastKind::Loading => "请注意 showLoading 与 hideLoading 必须配对使用",
        });
    } else {
        ui.hide_toast();
    }
}
