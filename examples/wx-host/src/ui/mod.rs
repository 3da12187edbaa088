//! The reference host's UI for the interact family: one of two UIs that show
//! things ([`TerminalUi`] for a person, [`ScriptedUi`] for a headless run),
//! always behind a [`RecordUi`] a test script can read. [`ReferenceUi`] puts
//! them together; the CLI chooses with `--ui`, `--ui-answers`, `--ui-log`.

mod record;
mod script;
mod terminal;

pub use record::RecordUi;
pub use script::ScriptedUi;
pub(crate) use terminal::around_status_line;
pub use terminal::{clear_status_line, TerminalUi};

use std::sync::Arc;
use wx_apis::interact::{Ui, UiHost};

/// The UI a reference host runs with: what shows things, and the record.
#[derive(Clone)]
pub struct ReferenceUi {
    record: Arc<RecordUi>,
    /// The scripted UI, when it is the one showing things (answers can be queued).
    scripted: Option<Arc<ScriptedUi>>,
}

impl ReferenceUi {
    /// Headless: answers queued ahead, else the documented defaults.
    pub fn scripted(log: Option<std::fs::File>) -> Self {
        let scripted = Arc::new(ScriptedUi::default());
        ReferenceUi {
            record: Arc::new(RecordUi::new(scripted.clone(), log)),
            scripted: Some(scripted),
        }
    }

    /// For a person at a terminal.
    pub fn terminal(log: Option<std::fs::File>) -> Self {
        ReferenceUi {
            record: Arc::new(RecordUi::new(Arc::new(TerminalUi::default()), log)),
            scripted: None,
        }
    }

    /// The app service to install (`App::builder(..).service(ui.service())`).
    pub fn service(&self) -> Ui {
        let host: Arc<dyn UiHost> = self.record.clone();
        Ui::shared(host)
    }

    /// The scripted UI, to queue answers; `None` when a person answers.
    pub fn scripted_answers(&self) -> Option<&ScriptedUi> {
        self.scripted.as_deref()
    }

    /// Everything shown so far (JSON objects, oldest first).
    pub fn shown(&self) -> Vec<serde_json::Value> {
        self.record.entries()
    }
}
