/// wx.createWorker(scriptPath) -> Worker
fn create_worker(app: &App, task: Task, script_path: String) -> Result<(), WxError> {
    start_worker(app, task, script_path)
}
const _: () = {
    const __WX_PARAM0: ::wx_core::schema::SchemaFn = ::wx_core::schema::input::<String>;
    fn __wx_call(
        __wx_app: &::wx_core::App,
        mut __wx_args: ::wx_core::Args<'_>,
        __wx_task: ::core::option::Option<::wx_core::Task>,
        __wx_out: &mut dyn ::wx_core::Sink,
    ) -> ::core::result::Result<(), ::wx_core::WxError> {
        let ::core::option::Option::Some(__wx_task) = __wx_task else {
            return ::core::result::Result::Err(
                ::wx_core::WxError::internal("the host gave no task object"),
            );
        };
        let __wx_arg0: String = __wx_args
            .decode::<String>(0usize, "scriptPath", __WX_PARAM0)?;
        let __wx_result = create_worker(&__wx_app, __wx_task, __wx_arg0);
        ::wx_core::encode_into(__wx_result, __wx_out)
    }
    static __WX_CLASS: ::wx_core::ClassDef = ::wx_core::ClassDef {
        name: "Worker",
        methods: &[
            ::wx_core::MethodDef {
                name: "postMessage",
                api: "Worker.postMessage",
                options: ::core::option::Option::None,
            },
            ::wx_core::MethodDef {
                name: "terminate",
                api: "Worker.terminate",
                options: ::core::option::Option::None,
            },
        ],
        events: &[
            ::wx_core::EventDef {
                name: "onMessage",
                since: "",
                off_since: ::core::option::Option::Some(""),
                payload: ::wx_core::schema::output::<wx_core::Value>,
                listeners: ::wx_core::Listeners::Many,
            },
        ],
        abort: false,
        abort_since: "",
        properties: &[],
        singleton: false,
    };
    const __WX_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
        name: "createWorker",
        kind: ::wx_core::ApiKind::Sync,
        summary: "wx.createWorker(scriptPath) -> Worker",
        since: "",
        rust_path: ::core::concat!(::core::module_path!(), "::", "create_worker"),
        file: ::core::file!(),
        line: ::core::line!(),
        err_code: false,
        class: ::core::option::Option::Some(&__WX_CLASS),
        handler: ::wx_core::Handler::Sync(__wx_call),
        options: ::core::option::Option::None,
        params: &[
            ::wx_core::ParamDef {
                name: "scriptPath",
                schema: __WX_PARAM0,
            },
        ],
        result: ::core::option::Option::Some(::wx_core::schema::output::<()>),
        promise: false,
        off: ::core::option::Option::None,
        listeners: ::wx_core::Listeners::Many,
    };
    ::wx_core::__private::inventory::submit!(__WX_API);
};
