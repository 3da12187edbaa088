//! A `UiHost` that answers later, or never: the call stays pending until the
//! answer, settles exactly once, and an app closed first leaves the answer
//! with nobody to tell (no delivery, no panic).

use std::sync::{Arc, Mutex};
use std::time::Duration;
use wx_apis::interact::{ActionSheet, Modal, ModalAnswer, Reply, Toast, Ui, UiHost};
use wx_core::{App, Delivery, Host, Object, Value};

/// Keeps every question for the test to answer.
#[derive(Default)]
struct Later {
    modals: Mutex<Vec<Reply<ModalAnswer>>>,
}

impl UiHost for Later {
    fn show_toast(&self, _toast: &Toast) {}
    fn hide_toast(&self) {}
    fn show_modal(&self, _modal: Modal, reply: Reply<ModalAnswer>) {
        self.modals.lock().unwrap().push(reply);
    }
    fn show_action_sheet(&self, _sheet: ActionSheet, _reply: Reply<Option<usize>>) {}
}

fn host(ui: Arc<Later>) -> Host {
    wx_apis::link();
    let dir = std::env::temp_dir().join(format!("wx-interact-{}", std::process::id()));
    let app = App::builder("wx-interact")
        .data_dir(dir)
        .service(Ui::shared(ui))
        .build();
    Host::new(app).unwrap()
}

fn modal_call(host: &Host) {
    let mut options = Object::new();
    options.insert("title".into(), Value::from("Sure?"));
    host.call("showModal", vec![Value::from(options)]).unwrap();
}

#[test]
fn a_later_answer_settles_once() {
    let ui = Arc::new(Later::default());
    let host = host(ui.clone());
    modal_call(&host);
    assert!(
        host.next(Some(Duration::from_millis(100))).is_none(),
        "settled before the answer"
    );
    assert_eq!(host.pending_calls(), 1);
    let reply = ui.modals.lock().unwrap().pop().unwrap();
    assert!(reply.send(ModalAnswer::cancel()));
    match host.next(Some(Duration::from_secs(5))) {
        Some(Delivery::Settle(settlement)) => {
            assert!(settlement.ok);
            assert_eq!(settlement.result().get("cancel"), Some(&Value::Bool(true)));
        }
        other => panic!("expected the settlement, got {other:?}"),
    }
    assert_eq!(host.pending_calls(), 0);
    assert!(host.next(Some(Duration::from_millis(50))).is_none());
}

#[test]
fn an_app_closed_before_the_answer_hears_nothing_more() {
    let ui = Arc::new(Later::default());
    let host = host(ui.clone());
    modal_call(&host);
    // Let the call park on the runtime, then close the app.
    std::thread::sleep(Duration::from_millis(20));
    host.close();
    let reply = ui.modals.lock().unwrap().pop().unwrap();
    // The runtime drops the aborted call soon after.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !reply.is_closed() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        !reply.send(ModalAnswer::confirm()),
        "nobody waits after close"
    );
    assert!(host.next(Some(Duration::from_millis(50))).is_none());
}

#[test]
fn a_dropped_question_is_a_cancel() {
    let ui = Arc::new(Later::default());
    let host = host(ui.clone());
    modal_call(&host);
    std::thread::sleep(Duration::from_millis(20));
    ui.modals.lock().unwrap().clear();
    match host.next(Some(Duration::from_secs(5))) {
        Some(Delivery::Settle(settlement)) => {
            assert_eq!(
                settlement.result().get("confirm"),
                Some(&Value::Bool(false))
            );
            assert_eq!(settlement.result().get("cancel"), Some(&Value::Bool(true)));
        }
        other => panic!("expected the settlement, got {other:?}"),
    }
}
