//! Random edit sequences through the history; see `spanmark::checks::edits_from_bytes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    spanmark::checks::edits_from_bytes(data);
});
