/// wx.getStorage({ key, success, fail, complete })
async fn get_storage(
    app: &App,
    opts: GetStorageOptions,
) -> Result<GetStorageResult, WxError> {
    storage(app).get(&opts.key).await
}
const _: () = {
    const __WX_OPTIONS: ::wx_core::schema::SchemaFn = ::wx_core::schema::input::<
        GetStorageOptions,
    >;
    fn __wx_call(
        __wx_app: &::wx_core::App,
        mut __wx_args: ::wx_core::Args<'_>,
        _: ::core::option::Option<::wx_core::Task>,
        _: ::wx_core::CallForm,
    ) -> ::core::result::Result<
        ::wx_core::BoxFuture<
            ::core::result::Result<::wx_core::Encoded, ::wx_core::WxError>,
        >,
        ::wx_core::WxError,
    > {
        let __wx_options: GetStorageOptions = ::wx_core::Args::options::<
            GetStorageOptions,
        >(&mut __wx_args, __WX_OPTIONS)?;
        let __wx_app = ::core::clone::Clone::clone(__wx_app);
        ::core::result::Result::Ok(
            ::std::boxed::Box::pin(async move {
                let __wx_result = get_storage(&__wx_app, __wx_options).await;
                ::wx_core::encode(__wx_result)
            }),
        )
    }
    const __WX_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
        name: "getStorage",
        kind: ::wx_core::ApiKind::Async,
        summary: "wx.getStorage({ key, success, fail, complete })",
        since: "",
        rust_path: ::core::concat!(::core::module_path!(), "::", "get_storage"),
        file: ::core::file!(),
        line: ::core::line!(),
        err_code: false,
        class: ::core::option::Option::None,
        handler: ::wx_core::Handler::Async(__wx_call),
        options: ::core::option::Option::Some(__WX_OPTIONS),
        params: &[],
        result: ::core::option::Option::Some(
            ::wx_core::schema::output::<GetStorageResult>,
        ),
        promise: true,
        off: ::core::option::Option::None,
        listeners: ::wx_core::Listeners::Many,
    };
    ::wx_core::__private::inventory::submit!(__WX_API);
};
