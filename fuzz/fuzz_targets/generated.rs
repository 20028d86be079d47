//! Structured fuzzing: the input picks a generated template (seed + index) and then splices its
//! remaining bytes into it, so the fuzzer explores near-valid templates the byte-level target
//! rarely reaches.
#![no_main]

use libfuzzer_sys::fuzz_target;
use velocity_diff::fuzzing::{check_bounded, fuzz_limits, splice_generated};

fuzz_target!(|data: &[u8]| {
    let (case, mut context) = splice_generated(data);
    check_bounded(&case.template, &mut context, &fuzz_limits());
});
