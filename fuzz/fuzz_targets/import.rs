//! See `spanmark::checks::import_makes_valid_sessions`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    spanmark::checks::import_makes_valid_sessions(data);
});
