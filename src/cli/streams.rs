//! A stdout closed at start (`>&-`). The Rust runtime opens `/dev/null` (read-write) on a
//! standard descriptor that is closed when the process starts, so writes to it succeed
//! and the document would be lost with exit 0. That descriptor is recognised here from
//! `/proc` (a shell's `>/dev/null` opens it write-only), and writing the document fails.

use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Notes whether stdout was closed at start; call first thing in `main`.
pub fn guard() {
    STDOUT_CLOSED.store(super::machine::stdout_reopened_on_null(), Ordering::Relaxed);
}

/// Whether stdout was closed when bursar started.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}
