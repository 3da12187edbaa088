/// wx.downloadFile({ url, ... }) -> DownloadTask
async fn download_file(
    app: App,
    task: Task,
    opts: DownloadFileOptions,
) -> DownloadFileResult {
    run(app, task, opts).await
}
const _: () = {
    const __WX_OPTIONS: ::wx_core::schema::SchemaFn = ::wx_core::schema::input::<
        DownloadFileOptions,
    >;
    fn __wx_call(
        __wx_app: &::wx_core::App,
        mut __wx_args: ::wx_core::Args<'_>,
        __wx_task: ::core::option::Option<::wx_core::Task>,
        _: ::wx_core::CallForm,
    ) -> ::core::result::Result<
        ::wx_core::BoxFuture<
            ::core::result::Result<::wx_core::Encoded, ::wx_core::WxError>,
        >,
        ::wx_core::WxError,
    > {
        let __wx_options: DownloadFileOptions = ::wx_core::Args::options::<
            DownloadFileOptions,
        >(&mut __wx_args, __WX_OPTIONS)?;
        let ::core::option::Option::Some(__wx_task) = __wx_task else {
            return ::core::result::Result::Err(
                ::wx_core::WxError::internal("the host gave no task object"),
            );
        };
        let __wx_app = ::core::clone::Clone::clone(__wx_app);
        ::core::result::Result::Ok(
            ::std::boxed::Box::pin(async move {
                ::wx_core::encode(
                    ::core::result::Result::<
                        DownloadFileResult,
                        ::wx_core::WxError,
                    >::Ok(
                        download_file(
                                ::core::clone::Clone::clone(&__wx_app),
                                __wx_task,
                                __wx_options,
                            )
                            .await,
                    ),
                )
            }),
        )
    }
    static __WX_CLASS: ::wx_core::ClassDef = ::wx_core::ClassDef {
        name: "DownloadTask",
        methods: &[
            ::wx_core::MethodDef {
                name: "pause",
                api: "DownloadTask.pause",
                options: ::core::option::Option::None,
            },
        ],
        events: &[
            ::wx_core::EventDef {
                name: "onProgressUpdate",
                since: "",
                off_since: ::core::option::Option::Some(""),
                payload: ::wx_core::schema::output::<wx_core::Value>,
                listeners: ::wx_core::Listeners::Many,
            },
        ],
        abort: true,
        abort_since: "",
        properties: &[],
        singleton: false,
    };
    const __WX_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
        name: "downloadFile",
        kind: ::wx_core::ApiKind::Async,
        summary: "wx.downloadFile({ url, ... }) -> DownloadTask",
        since: "1.0.0",
        rust_path: ::core::concat!(::core::module_path!(), "::", "download_file"),
        file: ::core::file!(),
        line: ::core::line!(),
        err_code: true,
        class: ::core::option::Option::Some(&__WX_CLASS),
        handler: ::wx_core::Handler::Async(__wx_call),
        options: ::core::option::Option::Some(__WX_OPTIONS),
        params: &[],
        result: ::core::option::Option::Some(
            ::wx_core::schema::output::<DownloadFileResult>,
        ),
        promise: false,
        off: ::core::option::Option::None,
        listeners: ::wx_core::Listeners::Many,
    };
    ::wx_core::__private::inventory::submit!(__WX_API);
};
