//! Issue 13, the terminal UI as a person uses it: `wx-host` on a
//! pseudo-terminal, a real modal answered and an action-sheet item picked by
//! typing, text typed into an editable modal.

mod common;
use common::{data_dir, pty::Pty};
use std::process::Command;

const SCRIPT: &str = r#"
wx.showToast({ title: 'Welcome', duration: 100 })
wx.showModal({
  title: 'Delete todo?', content: 'Buy milk', confirmText: '删除',
  success(r) {
    console.log('modal confirm=' + r.confirm + ' cancel=' + r.cancel)
    wx.showActionSheet({
      itemList: ['Edit', 'Share', 'Delete'],
      success: s => {
        console.log('picked ' + s.tapIndex)
        wx.showModal({ title: 'Rename', editable: true, placeholderText: 'new name',
          success: m => console.log('renamed to ' + m.content + ' confirm=' + m.confirm) })
      },
      fail: e => console.log(e.errMsg),
    })
  },
})
"#;

#[test]
fn a_person_answers_a_modal_and_picks_from_an_action_sheet() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wx-host"));
    // No --ui: stdin is a terminal, so the terminal UI asks.
    command.args([
        "--data-dir",
        data_dir("pty").to_str().unwrap(),
        "-e",
        SCRIPT,
    ]);
    let mut pty = Pty::spawn(command);
    pty.expect("[ok] Welcome");
    pty.expect("[modal] Delete todo?");
    pty.expect("Buy milk");
    pty.expect("[y] 删除  [n] 取消 > ");
    pty.type_text("what\r"); // not an answer: asked again
    pty.expect("[y] 删除  [n] 取消 > ");
    pty.type_text("n\r");
    pty.expect("modal confirm=false cancel=true");
    pty.expect("2) Share");
    pty.expect("pick 1-3, or Enter to cancel > ");
    pty.type_text("2\r");
    pty.expect("picked 1");
    pty.expect("text (new name) > ");
    pty.type_text("Milk and bread\r");
    pty.expect("> ");
    pty.type_text("y\r");
    pty.expect("renamed to Milk and bread confirm=true");
    assert_eq!(pty.wait(), Some(0));
}

#[test]
fn enter_cancels_an_action_sheet() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wx-host"));
    command.args([
        "--ui",
        "terminal",
        "--data-dir",
        data_dir("pty-cancel").to_str().unwrap(),
        "-e",
        "wx.showActionSheet({ itemList: ['A'], fail: e => console.log(e.errMsg) })",
    ]);
    let mut pty = Pty::spawn(command);
    pty.expect("1) A");
    pty.expect("> ");
    pty.type_text("\r");
    pty.expect("showActionSheet:fail cancel");
    assert_eq!(pty.wait(), Some(0));
}

/// The README's terminal session: the sample app's tour, answered by typing.
#[test]
fn the_sample_tour_deletes_a_todo_when_the_person_confirms() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut command = Command::new(env!("CARGO_BIN_EXE_wx-host"));
    command.args([
        &format!("{root}/todo-app"),
        "--data-dir",
        data_dir("pty-tour").to_str().unwrap(),
        "--test",
        &format!("{root}/todo-app.tour.js"),
    ]);
    let mut pty = Pty::spawn(command);
    pty.expect("Long-pressing \"Buy Milk\"...");
    pty.expect("2) Delete");
    pty.expect("> ");
    pty.type_text("2\r");
    pty.expect("[modal] Delete this todo?");
    pty.expect("[y] 删除  [n] 取消 > ");
    pty.type_text("y\r");
    pty.expect("Todos now: Write The Report, Call The Bank");
    assert_eq!(pty.wait(), Some(0));
}
