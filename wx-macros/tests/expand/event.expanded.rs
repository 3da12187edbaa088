/// wx.onCompassChange(listener)
async fn on_compass_change(app: &App, sink: EventSink<CompassChange>) {
    compass(app, sink).await
}
const _: () = {
    fn __wx_call(
        __wx_app: &::wx_core::App,
        __wx_emitter: ::wx_core::Emitter,
    ) -> ::wx_core::BoxFuture<()> {
        let __wx_app = ::core::clone::Clone::clone(__wx_app);
        let __wx_sink = ::wx_core::EventSink::<CompassChange>::new(__wx_emitter);
        ::std::boxed::Box::pin(async move {
            on_compass_change(&__wx_app, __wx_sink).await
        })
    }
    const __WX_API: ::wx_core::ApiDef = ::wx_core::ApiDef {
        name: "onCompassChange",
        kind: ::wx_core::ApiKind::On,
        summary: "wx.onCompassChange(listener)",
        since: "1.1.0",
        rust_path: ::core::concat!(::core::module_path!(), "::", "on_compass_change"),
        file: ::core::file!(),
        line: ::core::line!(),
        err_code: false,
        class: ::core::option::Option::None,
        handler: ::wx_core::Handler::Event(::core::option::Option::Some(__wx_call)),
        options: ::core::option::Option::None,
        params: &[],
        result: ::core::option::Option::Some(::wx_core::schema::output::<CompassChange>),
        promise: false,
        off: ::core::option::Option::Some(::wx_core::OffDef {
            since: "1.1.0",
            summary: "Stops calling `listener` for `onCompassChange`, or every listener when none is given.",
        }),
        listeners: ::wx_core::Listeners::Many,
    };
    ::wx_core::__private::inventory::submit!(__WX_API);
};
