/// wx.setStorageSync(key, data)
fn set_storage_sync(app: &App, key: String, data: Value) -> Result<(), WxError> {
    storage(app).set(key, data)
}
const _: () = {
    const __WX_PARAM0: ::wx_core::schema::SchemaFn = ::wx_core::schema::input::<String>;
    const __WX_PARAM1: ::wx_core::schema::SchemaFn = ::wx_core::schema::input::<Value>;
    fn __wx_call(
        __wx_app: &::wx_core::App,
        mut __wx_args: ::wx_core::Args<'_>,
        _: ::core::option::Option<::wx_core::Task>,
        __wx_out: &mut dyn ::wx_core::Sink,
    ) -> ::core::result::Result<(), ::wx_core::WxError> {
        let __wx_arg0: ::core::result::Result<String, ::wx_core::WxError> = __wx_args
            .decode::<String>(0usize, "key", __WX_PARAM0);
        let __wx_arg1: ::core::result::Result<Value, ::wx_core::WxError> = __wx_args
            .decode::<Value>(1usize, "data", __WX_PARAM1);
        let (__wx_arg0, __wx_arg1) = match (__wx_arg0, __wx_arg1) {
            (
                ::core::result::Result::Ok(__wx_arg0),
                ::core::result::Result::Ok(__wx_arg1),
            ) => (__wx_arg0, __wx_arg1),
            (__wx_arg0, __wx_arg1) => {
                return ::core::result::Result::Err(
                    ::wx_core::Args::errors([__wx_arg0.err(), __wx_arg1.err()]),
                );
            }
        };
        let __wx_result = set_storage_sync(&__wx_app, __wx_arg0, __wx_arg1);
        ::wx_core::encode_into(__wx_result, __wx_out)
    }
    const __WX_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
        name: "setStorageSync",
        kind: ::wx_core::ApiKind::Sync,
        summary: "wx.setStorageSync(key, data)",
        since: "",
        rust_path: ::core::concat!(::core::module_path!(), "::", "set_storage_sync"),
        file: ::core::file!(),
        line: ::core::line!(),
        err_code: false,
        class: ::core::option::Option::None,
        handler: ::wx_core::Handler::Sync(__wx_call),
        options: ::core::option::Option::None,
        params: &[
            ::wx_core::ParamDef {
                name: "key",
                schema: __WX_PARAM0,
            },
            ::wx_core::ParamDef {
                name: "data",
                schema: __WX_PARAM1,
            },
        ],
        result: ::core::option::Option::Some(::wx_core::schema::output::<()>),
        promise: false,
        off: ::core::option::Option::None,
        listeners: ::wx_core::Listeners::Many,
    };
    ::wx_core::__private::inventory::submit!(__WX_API);
};
