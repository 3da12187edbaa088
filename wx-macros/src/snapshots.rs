//! Golden expansions: what each macro generates for a typical function, kept
//! in `tests/expand/*.expanded.rs` and compared on every test run. After a
//! reviewed change, regenerate with `UPDATE_EXPAND=1 cargo test -p wx-macros`.

use crate::expand;
use crate::kind::Kind;
use proc_macro2::TokenStream;
use quote::quote;
use std::path::PathBuf;

fn check(name: &str, kind: Kind, attr: TokenStream, item: TokenStream) {
    let expanded = expand::api(kind, attr, item);
    let file: syn::File = syn::parse2(expanded).expect("the expansion parses as a file");
    let text = prettyplease::unparse(&file);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expand")
        .join(format!("{name}.expanded.rs"));
    if std::env::var_os("UPDATE_EXPAND").is_some() {
        std::fs::write(&path, &text).expect("snapshot written");
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        golden == text,
        "expansion of {name} changed; review it and rerun with UPDATE_EXPAND=1\n--- new ---\n{text}"
    );
}

#[test]
fn async_api() {
    check(
        "async",
        Kind::Async,
        quote!(),
        quote! {
            /// wx.getStorage({ key, success, fail, complete })
            async fn get_storage(app: &App, opts: GetStorageOptions) -> Result<GetStorageResult, WxError> {
                storage(app).get(&opts.key).await
            }
        },
    );
}

#[test]
fn async_task_api() {
    check(
        "async_task",
        Kind::Async,
        quote!(
            task = "DownloadTask",
            events(on_progress_update(wx_core::Value)),
            methods(pause),
            err_code,
            since = "1.0.0"
        ),
        quote! {
            /// wx.downloadFile({ url, ... }) -> DownloadTask
            async fn download_file(app: App, task: Task, opts: DownloadFileOptions) -> DownloadFileResult {
                run(app, task, opts).await
            }
        },
    );
}

#[test]
fn async_api_with_sync_twin() {
    check(
        "async_sync_twin",
        Kind::Async,
        quote!(sync(key), sync_result = data),
        quote! {
            /// wx.getStorage({ key }) and wx.getStorageSync(key)
            async fn get_storage(app: &App, form: CallForm, opts: GetStorageOptions) -> Result<GetStorageResult, WxError> {
                storage(app).get(&opts.key, form).await
            }
        },
    );
}

#[test]
fn sync_api() {
    check(
        "sync",
        Kind::Sync,
        quote!(),
        quote! {
            /// wx.setStorageSync(key, data)
            fn set_storage_sync(app: &App, key: String, data: Value) -> Result<(), WxError> {
                storage(app).set(key, data)
            }
        },
    );
}

#[test]
fn sync_api_returning_an_object() {
    check(
        "sync_task",
        Kind::Sync,
        quote!(
            task = "Worker",
            events(on_message(wx_core::Value)),
            methods(post_message, terminate)
        ),
        quote! {
            /// wx.createWorker(scriptPath) -> Worker
            fn create_worker(app: &App, task: Task, script_path: String) -> Result<(), WxError> {
                start_worker(app, task, script_path)
            }
        },
    );
}

#[test]
fn sync_api_returning_a_singleton_with_properties() {
    check(
        "sync_singleton_properties",
        Kind::Sync,
        quote!(
            task = "BackgroundAudioManager",
            singleton,
            properties(src(String, check = check_src), paused(bool, readonly)),
            events(on_play(()))
        ),
        quote! {
            /// wx.getBackgroundAudioManager() -> BackgroundAudioManager
            fn get_background_audio_manager(app: &App, task: Task) {
                start_manager(app, task)
            }
        },
    );
}

#[test]
fn event_api() {
    check(
        "event",
        Kind::Event,
        quote!(since = "1.1.0"),
        quote! {
            /// wx.onCompassChange(listener)
            async fn on_compass_change(app: &App, sink: EventSink<CompassChange>) {
                compass(app, sink).await
            }
        },
    );
}

#[test]
fn errors_keep_the_function() {
    check(
        "error",
        Kind::Event,
        quote!(),
        quote! {
            fn compass_change(app: &App) {}
        },
    );
}
