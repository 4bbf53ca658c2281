//! Hashing for the session's id index and its batch sets.

use crate::model::annotation::AnnotationId;
use std::collections::HashMap;

/// Hashing for annotation ids and spans: a folded multiply with a per-process random seed
/// (as foldhash does), not SipHash: these maps are hit once per annotation in every batch.
/// The fold makes the low bits, which pick the bucket, depend on every bit of the id, and the
/// seed keeps a crafted file from choosing ids that collide (ids come from session files).
#[derive(Clone, Copy, Debug)]
pub(crate) struct IdHasher(u64);

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

fn fold_mul(x: u64) -> u64 {
    let p = u128::from(x) * u128::from(MUL);
    (p as u64) ^ ((p >> 64) as u64)
}

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = fold_mul(self.0 ^ n);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Builds [`IdHasher`]s from the process's seed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IdBuild(u64);

impl Default for IdBuild {
    fn default() -> Self {
        static SEED: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
            use std::hash::BuildHasher;
            std::collections::hash_map::RandomState::new().hash_one(0x5EED_u64)
        });
        Self(*SEED)
    }
}

impl std::hash::BuildHasher for IdBuild {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.0)
    }
}

pub(super) type IdMap<V> = HashMap<AnnotationId, V, IdBuild>;
pub(super) type IdSet = std::collections::HashSet<AnnotationId, IdBuild>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    /// Ids that share their low bits (as a crafted file's could: multiples of 2^32) still
    /// land in different buckets: hashbrown picks the bucket from the hash's low bits.
    #[test]
    fn ids_sharing_low_bits_spread_over_buckets() {
        let build = IdBuild::default();
        let buckets: std::collections::HashSet<u64> = (1..=4096u64)
            .map(|i| build.hash_one(AnnotationId(i << 32)) & 0xFFF)
            .collect();
        assert!(buckets.len() > 2048, "{} of 4096 buckets", buckets.len());
    }
}
