//! The record: everything the interact family showed (kind, texts, icon,
//! duration, when, the answer), in memory for a test script and as JSON lines
//! for `--ui-log`. It wraps the UI that really shows things.

use serde_json::{json, Value as Json};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use wx_apis::interact::{
    ActionSheet, Modal, ModalAnswer, Pending, Reply, Toast, ToastKind, UiHost,
};

/// Records what `inner` is asked to show, then lets it show it.
pub struct RecordUi {
    inner: Arc<dyn UiHost>,
    start: Instant,
    state: Arc<Mutex<Log>>,
}

#[derive(Default)]
struct Log {
    entries: Vec<Json>,
    file: Option<std::fs::File>,
}

impl Log {
    /// Adds an entry; a question's is written to the file once it is answered.
    fn push(&mut self, entry: Json, complete: bool) -> usize {
        if complete {
            self.write(&entry);
        }
        self.entries.push(entry);
        self.entries.len() - 1
    }

    fn write(&mut self, entry: &Json) {
        if let Some(file) = &mut self.file {
            // A log that cannot be written must not stop the mini-program.
            let _ = writeln!(file, "{entry}");
        }
    }
}

impl RecordUi {
    /// A record of what `inner` shows, also written as JSON lines to `log` if given.
    pub fn new(inner: Arc<dyn UiHost>, log: Option<std::fs::File>) -> Self {
        RecordUi {
            inner,
            start: Instant::now(),
            state: Arc::new(Mutex::new(Log {
                entries: Vec::new(),
                file: log,
            })),
        }
    }

    /// Everything recorded so far, oldest first.
    pub fn entries(&self) -> Vec<Json> {
        self.log().entries.clone()
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn now(&self) -> f64 {
        (self.start.elapsed().as_secs_f64() * 1000.0).round()
    }

    /// Records a question and hands `inner` a reply that records the answer
    /// (or `"dismissed"`) before passing it on. An answer given at once (the
    /// scripted UI) is passed on at once, so answers keep the calls' order.
    fn ask<T: Send + 'static>(
        &self,
        entry: Json,
        reply: Reply<T>,
        describe: fn(&T) -> Json,
        show: impl FnOnce(Reply<T>),
    ) {
        let at = self.log().push(entry, false);
        let (inner_reply, answer) = Reply::channel();
        show(inner_reply);
        let answered = Answered {
            state: self.state.clone(),
            start: self.start,
            at,
            describe,
            reply,
        };
        match answer.now() {
            Pending::Answered(value) => answered.finish(Some(value)),
            Pending::Dismissed => answered.finish(None),
            // A person is thinking: wait on a thread of its own.
            Pending::Waiting(answer) => {
                std::thread::spawn(move || answered.finish(answer.wait()));
            }
        }
    }
}

/// A recorded question waiting for its answer.
struct Answered<T> {
    state: Arc<Mutex<Log>>,
    start: Instant,
    at: usize,
    describe: fn(&T) -> Json,
    reply: Reply<T>,
}

impl<T> Answered<T> {
    fn finish(self, answer: Option<T>) {
        let mut log = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let entry = &mut log.entries[self.at];
        entry["answer"] = answer.as_ref().map_or(json!("dismissed"), self.describe);
        entry["answeredAt"] = json!((self.start.elapsed().as_secs_f64() * 1000.0).round());
        let entry = entry.clone();
        log.write(&entry);
        drop(log);
        if let Some(answer) = answer {
            self.reply.send(answer);
        }
    }
}

impl UiHost for RecordUi {
    fn show_toast(&self, toast: &Toast) {
        let kind = match toast.kind {
            ToastKind::Toast => "toast",
            ToastKind::Loading => "loading",
        };
        let entry = json!({
            "kind": kind,
            "at": self.now(),
            "title": toast.title,
            "icon": toast.icon.as_str(),
            "image": toast.image,
            "duration": toast.duration.map(|d| d.as_millis() as f64),
            "mask": toast.mask,
        });
        self.log().push(entry, true);
        self.inner.show_toast(toast);
    }

    fn hide_toast(&self) {
        let entry = json!({ "kind": "hide", "at": self.now() });
        self.log().push(entry, true);
        self.inner.hide_toast();
    }

    fn show_modal(&self, modal: Modal, reply: Reply<ModalAnswer>) {
        let entry = json!({
            "kind": "modal",
            "at": self.now(),
            "title": modal.title,
            "content": modal.content,
            "showCancel": modal.show_cancel,
            "confirmText": modal.confirm_text,
            "confirmColor": modal.confirm_color,
            "cancelText": modal.cancel_text,
            "cancelColor": modal.cancel_color,
            "editable": modal.editable,
            "placeholderText": modal.placeholder_text,
            "answer": null,
        });
        let inner = self.inner.clone();
        self.ask(
            entry,
            reply,
            |a| json!({ "confirm": a.confirm, "content": a.content }),
            move |r| inner.show_modal(modal, r),
        );
    }

    fn show_action_sheet(&self, sheet: ActionSheet, reply: Reply<Option<usize>>) {
        let entry = json!({
            "kind": "actionSheet",
            "at": self.now(),
            "alertText": sheet.alert_text,
            "items": sheet.items,
            "itemColor": sheet.item_color,
            "answer": null,
        });
        let inner = self.inner.clone();
        self.ask(
            entry,
            reply,
            |pick| json!({ "tapIndex": pick }),
            move |r| inner.show_action_sheet(sheet, r),
        );
    }
}
