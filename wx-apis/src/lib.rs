//! Real WeChat mini-program APIs written with wx-core.
//!
//! Link this crate and call [`link`] once from the host so the linker keeps
//! every API here even when nothing else in the crate is referenced.

#![warn(missing_docs)]

pub mod audio;
pub mod device;
pub mod files;
pub mod interact;
pub mod lifecycle;
pub mod network;
pub mod open;
pub mod route;
pub mod storage;
pub mod system;
pub mod worker;

/// Keeps this crate's API registrations in a statically linked program.
///
/// `inventory` registrations are constructors in this crate's object files; a
/// program that references nothing in the crate lets the linker drop them.
/// Calling this (it does nothing) references the crate.
#[inline(never)]
pub fn link() {}
