//! The scripted UI, for headless runs: answers queued ahead (by a test script
//! or a JSON file), and a documented default when none is queued. It never
//! waits for a person.

use std::collections::VecDeque;
use std::sync::Mutex;
use wx_apis::interact::{ActionSheet, Modal, ModalAnswer, Reply, Toast, UiHost};

/// Answers from a queue: a modal takes the next queued modal answer, else it is
/// confirmed (an editable one with empty text); an action sheet takes the next
/// queued pick (`None` cancels), else its first item.
#[derive(Default)]
pub struct ScriptedUi {
    modals: Mutex<VecDeque<ModalAnswer>>,
    sheets: Mutex<VecDeque<Option<usize>>>,
}

/// The answers file of `--ui-answers`:
/// `{ "modal": [{ "confirm": false }, { "confirm": true, "content": "hi" }], "actionSheet": [2, null] }`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AnswersFile {
    #[serde(default)]
    modal: Vec<ModalEntry>,
    #[serde(default)]
    action_sheet: Vec<Option<usize>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ModalEntry {
    confirm: bool,
    content: Option<String>,
}

impl ScriptedUi {
    /// Queues the answer to the next modal.
    pub fn queue_modal(&self, answer: ModalAnswer) {
        lock(&self.modals).push_back(answer);
    }

    /// Queues the answer to the next action sheet: an item index, or `None` to cancel.
    pub fn queue_action_sheet(&self, pick: Option<usize>) {
        lock(&self.sheets).push_back(pick);
    }

    /// Queues the answers of an answers file (see [`ScriptedUi`]).
    pub fn queue_json(&self, text: &str) -> Result<(), String> {
        let file: AnswersFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        for entry in file.modal {
            self.queue_modal(ModalAnswer {
                confirm: entry.confirm,
                content: entry.content,
            });
        }
        file.action_sheet
            .into_iter()
            .for_each(|pick| self.queue_action_sheet(pick));
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl UiHost for ScriptedUi {
    fn show_toast(&self, _toast: &Toast) {}

    fn hide_toast(&self) {}

    fn show_modal(&self, modal: Modal, reply: Reply<ModalAnswer>) {
        let queued = lock(&self.modals).pop_front();
        reply.send(queued.unwrap_or(ModalAnswer {
            confirm: true,
            content: modal.editable.then(String::new),
        }));
    }

    fn show_action_sheet(&self, _sheet: ActionSheet, reply: Reply<Option<usize>>) {
        let queued = lock(&self.sheets).pop_front();
        reply.send(queued.unwrap_or(Some(0)));
    }
}
