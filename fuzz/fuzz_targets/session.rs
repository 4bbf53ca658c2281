//! See `spanmark::checks::session_round_trip`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    spanmark::checks::session_round_trip(data);
});
