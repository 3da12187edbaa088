//! Which macro is expanding, and the attribute options each accepts. A leaf:
//! `options` (parsing) and `model` (checking) both read it, neither imports the other.

/// Which macro is expanding.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Async,
    Sync,
    Event,
}

impl Kind {
    pub fn macro_name(self) -> &'static str {
        match self {
            Kind::Async => "#[wx_async]",
            Kind::Sync => "#[wx_sync]",
            Kind::Event => "#[wx_event]",
        }
    }

    /// The attribute options each macro accepts.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            Kind::Async => &[
                "name",
                "since",
                "err_code",
                "task",
                "events",
                "methods",
                "properties",
                "sync",
                "sync_result",
                "no_abort",
                "abort_since",
                "no_promise",
            ],
            Kind::Sync => &[
                "name",
                "since",
                "task",
                "events",
                "methods",
                "properties",
                "singleton",
            ],
            Kind::Event => &[
                "name",
                "since",
                "off_since",
                "off_summary",
                "no_off",
                "single_listener",
            ],
        }
    }
}
