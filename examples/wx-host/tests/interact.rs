//! Issue 13, the interact family through JS in the host with the scripted UI
//! and its record: WeChat's defaults, checks and texts, the one toast slot,
//! results, and answers queued by the test script.

mod common;
use common::{run_package, run_package_with, write_package, PackageRun};
use wx_host::Launch;

fn package(name: &str) -> std::path::PathBuf {
    write_package(
        name,
        &[
            ("app.json", r#"{ "pages": ["pages/index/index"] }"#),
            ("app.js", "App({})"),
            ("pages/index/index.js", "Page({})"),
        ],
    )
}

fn run(test: &str) -> PackageRun {
    let run = run_package(&package("interact"), Launch::default(), test);
    run.assert_passed();
    run
}

/// `fails(call)`: the errMsg (and errno) a call's Promise rejects with.
const FAILS: &str = "const fails = async p => { try { await p; return 'resolved' } catch (e) { return e.errMsg + (e.errno ? ' #' + e.errno : '') } }\n";

#[test]
fn toast_and_loading_defaults_and_errmsg_names() {
    run(r#"
        expect((await wx.showToast({ title: 'Saved' })).errMsg).toBe('showToast:ok')
        await wx.showToast({ title: 'Odd', icon: 'sparkles' })
        await wx.showToast({ title: 'Wide', icon: 'none', duration: 3000, mask: 1 })
        expect((await wx.showLoading({ title: 'Loading' })).errMsg).toBe('showLoading:ok')
        await wx.showToast({})
        await wx.showToast({ title: 'img', image: '../../images/ok.png' })   // from pages/index/index
        await wx.showToast({ title: 'img', image: '/images/ok.png' })
        expect(miniProgram.ui.shown().slice(-2).map(e => e.image)).toEqual(['images/ok.png', 'images/ok.png'])
        const shown = miniProgram.ui.shown().map(({ kind, title, icon, duration, mask }) => ({ kind, title, icon, duration, mask }))
        expect(shown).toEqual([
            { kind: 'toast', title: 'Saved', icon: 'success', duration: 1500, mask: false },
            { kind: 'toast', title: 'Odd', icon: 'success', duration: 1500, mask: false },
            { kind: 'toast', title: 'Wide', icon: 'none', duration: 3000, mask: true },
            { kind: 'loading', title: 'Loading', icon: 'loading', duration: null, mask: false },
            { kind: 'toast', title: '', icon: 'success', duration: 1500, mask: false },
            { kind: 'toast', title: 'img', icon: 'success', duration: 1500, mask: false },
            { kind: 'toast', title: 'img', icon: 'success', duration: 1500, mask: false },
        ])
        expect((await wx.hideToast()).errMsg).toBe('hideToast:ok')
        expect((await wx.hideLoading()).errMsg).toBe('hideLoading:ok')
    "#);
}

#[test]
fn a_toast_hides_itself_after_its_duration_and_a_newer_one_is_not_cut_short() {
    run(r#"
        await wx.showToast({ title: 'first', duration: 50 })
        await new Promise(r => setTimeout(r, 20))
        await wx.showToast({ title: 'second', duration: 150 })
        await new Promise(r => setTimeout(r, 60))      // the first one's time is up: nothing hides
        expect(miniProgram.ui.shown().map(e => e.kind)).toEqual(['toast', 'toast'])
        await new Promise(r => setTimeout(r, 150))     // the second one's is
        const shown = miniProgram.ui.shown()
        expect(shown.map(e => e.kind)).toEqual(['toast', 'toast', 'hide'])
        expect(shown[2].at - shown[1].at >= 140).toBe(true)
    "#);
}

#[test]
fn mismatched_hides_follow_wechats_rule_with_its_warnings() {
    // In the developer tools (the default device) the rule always applies.
    let run = run(r#"
        await wx.showToast({ title: 'toast' })
        await wx.showLoading({ title: 'loading' })
        expect((await wx.hideToast()).errMsg).toBe('hideToast:ok')      // the loading is newer: skipped
        expect(miniProgram.ui.shown().map(e => e.kind)).toEqual(['toast', 'loading'])
        await wx.hideLoading()                                           // matches: hidden
        expect(miniProgram.ui.shown().map(e => e.kind)).toEqual(['toast', 'loading', 'hide'])
        await wx.showLoading({ title: 'loading' })
        await wx.showToast({ title: 'toast' })
        expect((await wx.hideLoading()).errMsg).toBe('hideLoading:ok')  // the toast is newer: skipped
        expect(miniProgram.ui.shown().length).toBe(5)
    "#);
    assert_eq!(
        run.stderr,
        "请注意 showToast 与 hideToast 必须配对使用\n请注意 showLoading 与 hideLoading 必须配对使用\n"
    );
    // On a phone the rule needs `noConflict`.
    let phone = serde_json::json!({ "platform": "android", "system": "Android 14", "brand": "Xiaomi", "model": "14" });
    let profile = wx_apis::system::DeviceProfile::from_json(&phone.to_string()).unwrap();
    let run = run_package_with(
        &package("interact-phone"),
        Launch::default(),
        r#"
        await wx.showToast({ title: 'toast' })
        await wx.showLoading({ title: 'loading' })
        await wx.hideToast()                                  // hides the loading: no noConflict
        expect(miniProgram.ui.shown().map(e => e.kind)).toEqual(['toast', 'loading', 'hide'])
        await wx.showLoading({ title: 'loading' })
        await wx.hideToast({ noConflict: true })              // skipped
        expect(miniProgram.ui.shown().length).toBe(4)
        "#,
        |app| app.service(profile),
    );
    run.assert_passed();
    assert_eq!(run.stderr, "请注意 showToast 与 hideToast 必须配对使用\n");
}

#[test]
fn parameter_checks_and_wechats_texts() {
    run(&(FAILS.to_owned()
        + r#"
        expect(await fails(wx.showToast({ title: 1 }))).toBe('showToast:fail parameter error: parameter.title should be String instead of Number; #1001')
        expect(await fails(wx.showToast({ title: 'x', duration: '1500' }))).toBe('showToast:fail parameter error: parameter.duration should be Number instead of String; #1001')
        expect(await fails(wx.showToast({ title: 'x', icon: 2 }))).toBe('showToast:fail parameter error: parameter.icon should be String instead of Number; #1001')
        expect(await fails(wx.showLoading({ title: null }))).toBe('showLoading:fail parameter error: parameter.title should be String instead of Null; #1001')
        expect(await fails(wx.showModal({ confirmText: '一二三四五' }))).toBe('showModal:fail confirmText length should not larger than 4 Chinese characters')
        expect(await fails(wx.showModal({ cancelText: 'abcdefghi' }))).toBe('showModal:fail cancelText length should not larger than 4 Chinese characters')
        expect(await fails(wx.showModal({ confirmText: '一二三四', cancelText: 'abcdefgh' }))).toBe('resolved')
        expect(await fails(wx.showModal({ title: 3 }))).toBe('showModal:fail parameter error: parameter.title should be String instead of Number; #1001')
        expect(await fails(wx.showModal({ editable: 'yes' }))).toBe('showModal:fail parameter error: parameter.editable should be Boolean instead of String; #1001')
        expect(await fails(wx.showModal({ showCancel: 'no check' }))).toBe('resolved')
        expect(await fails(wx.showActionSheet({}))).toBe('showActionSheet:fail parameter error: parameter.itemList should be Array instead of Undefined; #1001')
        expect(await fails(wx.showActionSheet({ itemList: 'a' }))).toBe('showActionSheet:fail parameter error: parameter.itemList should be Array instead of String; #1001')
        expect(await fails(wx.showActionSheet({ itemList: [] }))).toBe('showActionSheet:fail parameter error: parameter.itemList should have at least 1 item; #1001')
        expect(await fails(wx.showActionSheet({ itemList: [1] }))).toBe('showActionSheet:fail parameter error: parameter.itemList[0] should be String instead of Number; #1001')
        expect(await fails(wx.showActionSheet({ itemList: [''] }))).toBe('showActionSheet:fail parameter error: parameter.itemList[0] should be not empty string #1001')
        expect(await fails(wx.showActionSheet({ itemList: ['1', '2', '3', '4', '5', '6', '7'] }))).toBe('showActionSheet:fail parameter error: itemList should not be large than 6')
        expect(await fails(wx.showActionSheet({ itemList: ['a', 2, null] }))).toBe('resolved')
        expect(miniProgram.ui.shown().pop().items).toEqual(['a', '2', 'null'])
    "#));
}

#[test]
fn modal_and_action_sheet_results_with_queued_answers_and_defaults() {
    run(&(FAILS.to_owned()
        + r#"
        // Nothing queued: a modal is confirmed, an action sheet picks its first item.
        expect(await wx.showModal({ title: 'Delete?' })).toEqual({ errMsg: 'showModal:ok', confirm: true, cancel: false })
        expect(await wx.showModal({ title: 'Name?', editable: true })).toEqual({ errMsg: 'showModal:ok', confirm: true, cancel: false, content: '' })
        expect(await wx.showActionSheet({ itemList: ['Edit', 'Delete'] })).toEqual({ errMsg: 'showActionSheet:ok', tapIndex: 0 })
        // Queued, in order.
        miniProgram.ui.answerModal({ confirm: false })
        miniProgram.ui.answerModal({ confirm: true, content: 'Bob' })
        miniProgram.ui.answerActionSheet(1)
        miniProgram.ui.answerActionSheet(null)
        expect(await wx.showModal({ title: 'Delete?' })).toEqual({ errMsg: 'showModal:ok', confirm: false, cancel: true })
        expect((await wx.showModal({ title: 'Name?', editable: true })).content).toBe('Bob')
        expect((await wx.showActionSheet({ itemList: ['Edit', 'Delete'] })).tapIndex).toBe(1)
        expect(await fails(wx.showActionSheet({ itemList: ['Edit', 'Delete'] }))).toBe('showActionSheet:fail cancel')
        // The record has the questions with their defaults and answers.
        const modal = miniProgram.ui.shown().find(e => e.kind === 'modal')
        expect([modal.title, modal.confirmText, modal.cancelText, modal.showCancel, modal.answer]).toEqual(['Delete?', '确定', '取消', true, { confirm: true, content: null }])
        expect([modal.confirmColor, modal.cancelColor, modal.editable]).toEqual(['#576B95', '#000000', false])
        expect(miniProgram.ui.shown().find(e => e.kind === 'actionSheet').itemColor).toBe('#000000')
        const sheets = miniProgram.ui.shown().filter(e => e.kind === 'actionSheet').map(e => e.answer)
        expect(sheets).toEqual([{ tapIndex: 0 }, { tapIndex: 1 }, { tapIndex: null }])
        let error = ''
        try { miniProgram.ui.answerActionSheet(-1) } catch (e) { error = e.message }
        expect(error).toBe('answerActionSheet(index) takes an item index, or null to cancel')
    "#));
}
