//! A stdout closed at start (`>&-`). The Rust runtime opens `/dev/null` (read-write) on a
//! standard descriptor that is closed when the process starts, so writes to it succeed
//! and the document would be lost with exit 0. That descriptor is recognised here from
//! `/proc` (a shell's `>/dev/null` opens it write-only), and writing the document fails.

use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Notes whether stdout was closed at start; call first thing in `main`.
pub fn guard() {
    STDOUT_CLOSED.store(closed_at_start(), Ordering::Relaxed);
}

/// Whether stdout was closed when bursar started.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

#[cfg(target_os = "linux")]
fn closed_at_start() -> bool {
    const READ_WRITE: u32 = 0o2;
    let null = std::fs::read_link("/proc/self/fd/1")
        .is_ok_and(|target| target == std::path::Path::new("/dev/null"));
    null && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
        info.lines()
            .find_map(|line| line.strip_prefix("flags:"))
            .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
            .is_some_and(|flags| flags & 0o3 == READ_WRITE)
    })
}

#[cfg(not(target_os = "linux"))]
fn closed_at_start() -> bool {
    false
}
