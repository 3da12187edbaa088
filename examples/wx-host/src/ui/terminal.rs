//! The terminal UI, for a person: a toast or loading is a status line on
//! stderr that goes when it is hidden; a modal asks for confirm or cancel (and
//! text when editable), an action sheet lists its items to pick from by number.
//! Questions are asked one at a time on a thread of their own that reads
//! stdin, so the mini-program keeps running while the person thinks.

use std::io::{BufRead, Write};
use std::sync::mpsc;
use std::sync::Mutex;
use wx_apis::interact::{ActionSheet, Modal, ModalAnswer, Reply, Toast, ToastIcon, UiHost};

enum Question {
    Modal(Modal, Reply<ModalAnswer>),
    Sheet(ActionSheet, Reply<Option<usize>>),
}

/// Shows the interact family on the terminal (stderr), reading answers from stdin.
pub struct TerminalUi {
    questions: Mutex<mpsc::Sender<Question>>,
}

impl Default for TerminalUi {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel::<Question>();
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            for question in rx {
                // A closed stdin dismisses this question and every later one.
                match question {
                    // The app closed while this question waited its turn: not asked.
                    Question::Modal(_, reply) if reply.is_closed() => {}
                    Question::Sheet(_, reply) if reply.is_closed() => {}
                    Question::Modal(modal, reply) => {
                        if let Some(answer) = ask_modal(&modal, &mut input) {
                            reply.send(answer);
                        }
                    }
                    Question::Sheet(sheet, reply) => {
                        if let Some(pick) = ask_sheet(&sheet, &mut input) {
                            reply.send(pick);
                        }
                    }
                }
            }
        });
        TerminalUi {
            questions: Mutex::new(tx),
        }
    }
}

impl TerminalUi {
    fn ask(&self, question: Question) {
        let sender = self.questions.lock().unwrap_or_else(|e| e.into_inner());
        // The reader thread only ends with the process.
        let _ = sender.send(question);
    }
}

/// Clears the status line and starts a fresh one.
const CLEAR_LINE: &str = "\r\x1b[2K";

/// The toast or loading on the terminal's last line, if one shows.
static STATUS: Mutex<Option<String>> = Mutex::new(None);

fn status() -> std::sync::MutexGuard<'static, Option<String>> {
    STATUS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Clears a toast left on the status line: the app has ended (its hide timer
/// will never run).
pub fn clear_status_line() {
    if status().take().is_some() {
        say(CLEAR_LINE);
    }
}

/// Runs `print` (a console line) with the status line out of its way: cleared
/// before, drawn again after. Without a status line, just runs it.
pub(crate) fn around_status_line(print: impl FnOnce()) {
    let status = status();
    match status.as_deref() {
        Some(line) => {
            say(CLEAR_LINE);
            print();
            say(line);
        }
        None => print(),
    }
}

fn say(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{text}");
    let _ = err.flush();
}

/// One line from the person, without its line ending; `None` at the end of input.
fn read_line(input: &mut impl BufRead) -> Option<String> {
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_owned()),
    }
}

fn ask_modal(modal: &Modal, input: &mut impl BufRead) -> Option<ModalAnswer> {
    status().take();
    let mut text = format!("{CLEAR_LINE}[modal] {}\n", modal.title);
    if !modal.content.is_empty() {
        text.push_str(&format!(
            "        {}\n",
            modal.content.replace('\n', "\n        ")
        ));
    }
    say(&text);
    let content = if modal.editable {
        say(&format!("        text ({}) > ", modal.placeholder_text));
        Some(read_line(input)?)
    } else {
        None
    };
    loop {
        let prompt = match modal.show_cancel {
            true => format!(
                "        [y] {}  [n] {} > ",
                modal.confirm_text, modal.cancel_text
            ),
            false => format!("        [Enter] {} > ", modal.confirm_text),
        };
        say(&prompt);
        let line = read_line(input)?;
        let confirm = match line.trim().to_lowercase().as_str() {
            "" if !modal.show_cancel => true,
            "y" | "yes" => true,
            "n" | "no" if modal.show_cancel => false,
            _ => continue,
        };
        return Some(ModalAnswer {
            confirm,
            content: content.clone(),
        });
    }
}

fn ask_sheet(sheet: &ActionSheet, input: &mut impl BufRead) -> Option<Option<usize>> {
    status().take();
    let mut text = format!(
        "{CLEAR_LINE}[action sheet]{}\n",
        sheet
            .alert_text
            .as_deref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default()
    );
    for (i, item) in sheet.items.iter().enumerate() {
        text.push_str(&format!("        {}) {item}\n", i + 1));
    }
    say(&text);
    loop {
        say(&format!(
            "        pick 1-{}, or Enter to cancel > ",
            sheet.items.len()
        ));
        let line = read_line(input)?;
        let line = line.trim();
        if line.is_empty() {
            return Some(None);
        }
        match line.parse::<usize>() {
            Ok(n) if (1..=sheet.items.len()).contains(&n) => return Some(Some(n - 1)),
            _ => continue,
        }
    }
}

impl UiHost for TerminalUi {
    fn show_toast(&self, toast: &Toast) {
        let icon = match toast.icon {
            ToastIcon::Success => "[ok] ",
            ToastIcon::Error => "[x] ",
            ToastIcon::Loading => "[...] ",
            ToastIcon::None => "",
        };
        let line = format!("{icon}{}", toast.title);
        let mut status = status();
        say(&format!("{CLEAR_LINE}{line}"));
        *status = Some(line);
    }

    fn hide_toast(&self) {
        let mut status = status();
        if status.take().is_some() {
            say(CLEAR_LINE);
        }
    }

    fn show_modal(&self, modal: Modal, reply: Reply<ModalAnswer>) {
        self.ask(Question::Modal(modal, reply));
    }

    fn show_action_sheet(&self, sheet: ActionSheet, reply: Reply<Option<usize>>) {
        self.ask(Question::Sheet(sheet, reply));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modal(show_cancel: bool, editable: bool) -> Modal {
        Modal {
            title: "Delete?".into(),
            content: String::new(),
            show_cancel,
            cancel_text: "取消".into(),
            cancel_color: String::new(),
            confirm_text: "确定".into(),
            confirm_color: String::new(),
            editable,
            placeholder_text: "name".into(),
        }
    }

    #[test]
    fn answers_are_read_as_a_person_types_them() {
        let mut input = std::io::Cursor::new("maybe\nn\n");
        assert_eq!(
            ask_modal(&modal(true, false), &mut input),
            Some(ModalAnswer::cancel())
        );
        let mut input = std::io::Cursor::new("Bob\ny\n");
        let answer = ask_modal(&modal(true, true), &mut input).unwrap();
        assert_eq!(
            (answer.confirm, answer.content.as_deref()),
            (true, Some("Bob"))
        );
        let mut input = std::io::Cursor::new("\n");
        assert!(ask_modal(&modal(false, false), &mut input).unwrap().confirm);
        let sheet = ActionSheet {
            alert_text: None,
            items: vec!["a".into(), "b".into()],
            item_color: String::new(),
        };
        let mut input = std::io::Cursor::new("9\n2\n");
        assert_eq!(ask_sheet(&sheet, &mut input), Some(Some(1)));
        let mut input = std::io::Cursor::new("\n");
        assert_eq!(ask_sheet(&sheet, &mut input), Some(None));
        let mut input = std::io::Cursor::new("");
        assert_eq!(ask_sheet(&sheet, &mut input), None);
    }
}
