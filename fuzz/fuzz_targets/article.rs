//! See `spanmark::checks::article_decodes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    spanmark::checks::article_decodes(data);
});
