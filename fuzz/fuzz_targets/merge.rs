//! See `spanmark::checks::merge_three`: git's merge driver on hostile ancestors and sides.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    spanmark::checks::merge_three(data);
});
