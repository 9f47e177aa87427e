//! A counting allocator, so a policy that hoards memory stops with a clear error instead
//! of an out-of-memory kill.
//!
//! Rhai's size limits apply to one value at a time, and not at all to a map grown by index
//! assignment (`m[k] = v`) until something reads it: a script can keep many copies of a
//! large array alive. The host compares the bytes held with a budget before every script
//! operation. The binary installs the allocator; without it the budget is not enforced.
//!
//! Bytes are counted per thread as well as in total: a policy runs on one thread, so its
//! budget is charged only for what that thread allocates, not for a snapshot another
//! worker of `impact` is loading at the same time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

static HELD: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Bytes this thread allocated minus bytes it freed; negative when it frees memory
    /// another thread allocated. A `const` cell without a destructor: safe to touch from
    /// the allocator at any point of the thread's life.
    static THREAD_HELD: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    let _ = THREAD_HELD.try_with(|held| held.set(held.get().wrapping_add(delta)));
}

/// The system allocator, counting the bytes it hands out.
pub struct Counting;

// SAFETY: every call is forwarded to `System` unchanged; the counter has no effect on it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            HELD.fetch_add(layout.size(), Relaxed);
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            HELD.fetch_add(layout.size(), Relaxed);
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Relaxed);
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                HELD.fetch_add(new_size - layout.size(), Relaxed);
            } else {
                HELD.fetch_sub(layout.size() - new_size, Relaxed);
            }
            count(new_size as isize - layout.size() as isize);
        }
        new
    }
}

/// Bytes this thread holds now (allocated minus freed), or `None` when `Counting` is not
/// the global allocator (nothing counted).
pub fn held() -> Option<isize> {
    match HELD.load(Relaxed) {
        0 => None,
        _ => THREAD_HELD.try_with(Cell::get).ok(),
    }
}
