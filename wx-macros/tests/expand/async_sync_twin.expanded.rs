/// wx.getStorage({ key }) and wx.getStorageSync(key)
async fn get_storage(
    app: &App,
    form: CallForm,
    opts: GetStorageOptions,
) -> Result<GetStorageResult, WxError> {
    storage(app).get(&opts.key, form).await
}
const _: () = {
    const __WX_OPTIONS: ::wx_core::schema::SchemaFn = ::wx_core::schema::input::<
        GetStorageOptions,
    >;
    fn __wx_call(
        __wx_app: &::wx_core::App,
        mut __wx_args: ::wx_core::Args<'_>,
        _: ::core::option::Option<::wx_core::Task>,
        __wx_form: ::wx_core::CallForm,
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
                let __wx_result = get_storage(&__wx_app, __wx_form, __wx_options).await;
                ::wx_core::encode(__wx_result)
            }),
        )
    }
    const __WX_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
        name: "getStorage",
        kind: ::wx_core::ApiKind::Async,
        summary: "wx.getStorage({ key }) and wx.getStorageSync(key)",
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
    fn __wx_call_sync(
        __wx_app: &::wx_core::App,
        mut __wx_args: ::wx_core::Args<'_>,
        _: ::core::option::Option<::wx_core::Task>,
        __wx_out: &mut dyn ::wx_core::Sink,
    ) -> ::core::result::Result<(), ::wx_core::WxError> {
        let mut __wx_positional = ::wx_core::Positional::new(&mut __wx_args, &["key"]);
        let mut __wx_args = ::wx_core::Args::lent(&mut __wx_positional);
        let __wx_options: GetStorageOptions = ::wx_core::Args::options::<
            GetStorageOptions,
        >(&mut __wx_args, __WX_OPTIONS)?;
        let __wx_form = ::wx_core::CallForm::Sync;
        let __wx_output = ::wx_core::run_blocking(
            __wx_app,
            get_storage(__wx_app, __wx_form, __wx_options),
        )?;
        let __wx_result = __wx_output;
        ::wx_core::encode_field_into(__wx_result, __wx_out, "data")
    }
    const __WX_SYNC_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
        name: "getStorageSync",
        kind: ::wx_core::ApiKind::Sync,
        summary: "wx.getStorage({ key }) and wx.getStorageSync(key)",
        since: "",
        rust_path: ::core::concat!(::core::module_path!(), "::", "get_storage"),
        file: ::core::file!(),
        line: ::core::line!(),
        err_code: false,
        class: ::core::option::Option::None,
        handler: ::wx_core::Handler::Sync(__wx_call_sync),
        options: ::core::option::Option::None,
        params: &[
            ::wx_core::ParamDef {
                name: "key",
                schema: || ::wx_core::schema::input_field::<GetStorageOptions>("key"),
            },
        ],
        result: ::core::option::Option::Some(|| ::wx_core::schema::output_field::<
            GetStorageResult,
        >("data")),
        promise: false,
        off: ::core::option::Option::None,
        listeners: ::wx_core::Listeners::Many,
    };
    ::wx_core::__private::inventory::submit!(__WX_SYNC_API);
    #[allow(dead_code)]
    const _: () = {
        fn __wx_options_fields(__wx_options: &GetStorageOptions) {
            let _ = &__wx_options.key;
        }
        fn __wx_result_field(__wx_data: &GetStorageResult) {
            let _ = &__wx_data.data;
        }
    };
};
