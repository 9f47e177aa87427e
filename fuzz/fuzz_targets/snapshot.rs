//! Fuzzes the snapshot loader: any bytes are either accepted or refused with a located
//! error; the streaming path never accepts what the complete path refuses, and an
//! accepted snapshot aggregates into facts without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let tree = bursar::snapshot::parse_tree(data, "fuzz");
    match bursar::snapshot::parse(data, "fuzz") {
        Ok(loaded) => {
            assert!(tree.is_ok(), "parse accepted what the complete path refuses");
            let _ = bursar::facts::Facts::new(loaded.snapshot);
        }
        Err(e) => {
            assert!(tree.is_err(), "parse refused what the complete path accepts");
            let _ = bursar::diagnostic::render(&e);
        }
    }
});
