/// wx.getBackgroundAudioManager() -> BackgroundAudioManager
fn get_background_audio_manager(app: &App, task: Task) {
    start_manager(app, task)
}
const _: () = {
    fn __wx_call(
        __wx_app: &::wx_core::App,
        _: ::wx_core::Args<'_>,
        __wx_task: ::core::option::Option<::wx_core::Task>,
        __wx_out: &mut dyn ::wx_core::Sink,
    ) -> ::core::result::Result<(), ::wx_core::WxError> {
        let ::core::option::Option::Some(__wx_task) = __wx_task else {
            return ::core::result::Result::Err(
                ::wx_core::WxError::internal("the host gave no task object"),
            );
        };
        ::wx_core::encode_into(
            ::core::result::Result::<
                (),
                ::wx_core::WxError,
            >::Ok(get_background_audio_manager(&__wx_app, __wx_task)),
            __wx_out,
        )
    }
    static __WX_CLASS: ::wx_core::ClassDef = ::wx_core::ClassDef {
        name: "BackgroundAudioManager",
        methods: &[],
        events: &[
            ::wx_core::EventDef {
                name: "onPlay",
                since: "",
                off_since: ::core::option::Option::Some(""),
                payload: ::wx_core::schema::output::<()>,
                listeners: ::wx_core::Listeners::Many,
            },
        ],
        abort: false,
        abort_since: "",
        properties: &[
            ::wx_core::PropertyDef {
                name: "src",
                since: "",
                readonly: false,
                schema: ::wx_core::schema::output::<String>,
                assign: |value| ::wx_core::__private::assign_property::<
                    String,
                >(value, "src", ::core::option::Option::Some(check_src)),
            },
            ::wx_core::PropertyDef {
                name: "paused",
                since: "",
                readonly: true,
                schema: ::wx_core::schema::output::<bool>,
                assign: |value| ::wx_core::__private::assign_property::<
                    bool,
                >(value, "paused", ::core::option::Option::None),
            },
        ],
        singleton: true,
    };
    const __WX_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
        name: "getBackgroundAudioManager",
        kind: ::wx_core::ApiKind::Sync,
        summary: "wx.getBackgroundAudioManager() -> BackgroundAudioManager",
        since: "",
        rust_path: ::core::concat!(
            ::core::module_path!(), "::", "get_background_audio_manager"
        ),
        file: ::core::file!(),
        line: ::core::line!(),
        err_code: false,
        class: ::core::option::Option::Some(&__WX_CLASS),
        handler: ::wx_core::Handler::Sync(__wx_call),
        options: ::core::option::Option::None,
        params: &[],
        result: ::core::option::Option::Some(::wx_core::schema::output::<()>),
        promise: false,
        off: ::core::option::Option::None,
        listeners: ::wx_core::Listeners::Many,
    };
    ::wx_core::__private::inventory::submit!(__WX_API);
};
