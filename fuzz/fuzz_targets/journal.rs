//! See `spanmark::checks::journal_replays`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    spanmark::checks::journal_replays(data);
});
