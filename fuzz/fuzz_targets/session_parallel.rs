//! See `spanmark::checks::parallel_parse_agrees`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    spanmark::checks::parallel_parse_agrees(data);
});
