//! The averaged perceptron that learns the tags, and its weights keyed by feature hashes.

use super::{Sentence, best_with_confidence, history};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Weights by feature (a feature is already a hash: it is its own key) and tag.
pub(super) type Weights = HashMap<u64, Vec<f32>, BuildHasherDefault<Prehashed>>;

/// The hasher of keys that are hashes already: the key itself.
#[derive(Default)]
pub(super) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// An averaged perceptron's weights while it learns.
pub(super) struct Averaged {
    n: usize,
    weights: Weights,
    /// Per feature and tag: the weight summed over every step, and the step it last changed.
    totals: HashMap<u64, Vec<(f64, u64)>, BuildHasherDefault<Prehashed>>,
    step: u64,
}

impl Averaged {
    pub(super) fn new(n: usize) -> Self {
        Self {
            n,
            weights: Weights::default(),
            totals: HashMap::default(),
            step: 0,
        }
    }

    /// One sentence: tag it greedily with the current weights (the tags before each token
    /// as predicted), and move the weights towards the gold tags where it was wrong.
    pub(super) fn learn(&mut self, sent: &Sentence, gold: &[usize], tags: &[String]) {
        let mut guessed: Vec<usize> = Vec::with_capacity(sent.feats.len());
        for (i, stat) in sent.feats.iter().enumerate() {
            let prev = |k: usize| {
                i.checked_sub(k)
                    .map_or("<s>", |j| tags[guessed[j]].as_str())
            };
            let hist = history(prev(1), prev(2), &sent.words[i]);
            let scores = self.score(stat, &hist);
            let guess = best_with_confidence(&scores).0;
            self.step += 1;
            if guess != gold[i] {
                for &x in stat.iter().chain(&hist) {
                    self.update(x, gold[i], 1.0);
                    self.update(x, guess, -1.0);
                }
            }
            guessed.push(guess);
        }
    }

    fn score(&self, stat: &[u64], hist: &[u64]) -> Vec<f32> {
        let mut s = vec![0.0; self.n];
        for f in stat.iter().chain(hist) {
            if let Some(w) = self.weights.get(f) {
                for (x, y) in s.iter_mut().zip(w) {
                    *x += y;
                }
            }
        }
        s
    }

    fn update(&mut self, f: u64, tag: usize, by: f32) {
        let n = self.n;
        let w = self.weights.entry(f).or_insert_with(|| vec![0.0; n]);
        let t = self.totals.entry(f).or_insert_with(|| vec![(0.0, 0); n]);
        let (total, since) = &mut t[tag];
        *total += f64::from(w[tag]) * (self.step - *since) as f64;
        *since = self.step;
        w[tag] += by;
    }

    /// The weights averaged over every step.
    pub(super) fn averaged(mut self) -> Weights {
        let step = self.step.max(1);
        for (f, w) in &mut self.weights {
            if let Some(t) = self.totals.get(f) {
                for (x, (total, since)) in w.iter_mut().zip(t) {
                    let sum = total + f64::from(*x) * (step - since) as f64;
                    *x = (sum / step as f64) as f32;
                }
            }
        }
        self.weights
    }
}
