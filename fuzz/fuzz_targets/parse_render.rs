//! Arbitrary bytes through parse + render with tight limits: must never panic, never hang
//! (libFuzzer's -timeout catches that), and never exceed the output limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use velocity_diff::fuzzing::{check_bounded, fuzz_context, fuzz_limits};

fuzz_target!(|data: &[u8]| {
    // Templates are text; lossy decoding keeps every input useful instead of discarding non-UTF-8.
    let source = String::from_utf8_lossy(data);
    check_bounded(&source, &mut fuzz_context(), &fuzz_limits());
});
