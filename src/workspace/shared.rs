//! What the workspace's parts share: what a frame tells the workspace (`Tick`) and which way
//! to step (`Direction`). Plain values; nothing of the workspace is imported here.

/// What happened in a frame of the window, as far as the workspace cares.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tick {
    /// Seconds on a clock of the caller's choosing (monotonic).
    pub now: f64,
    /// Seconds since the last tick (capped by the caller).
    pub dt: f64,
    /// The person did something (a key, the mouse).
    pub input: bool,
    /// The window has the keyboard focus.
    pub focused: bool,
}

/// Which way to step: to the next match, suggestion, annotation or document, or back; redo
/// is forward in history and undo backward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Forward,
    Backward,
}

impl Direction {
    /// From item `i` of `n`, one step this way (wrapping).
    pub fn step(self, i: usize, n: usize) -> usize {
        match self {
            Direction::Forward => (i + 1) % n.max(1),
            Direction::Backward => (i + n.max(1) - 1) % n.max(1),
        }
    }

    /// Among `n` items starting at `starts` (sorted), the first this way from `at`: forward,
    /// the first at or after it; backward, the last before it (wrapping).
    pub fn first_from<I>(self, starts: I, at: usize, n: usize) -> usize
    where
        I: DoubleEndedIterator<Item = usize> + ExactSizeIterator,
    {
        let mut starts = starts;
        match self {
            Direction::Forward => starts.position(|s| s >= at).unwrap_or(0),
            Direction::Backward => starts.rposition(|s| s < at).unwrap_or(n.saturating_sub(1)),
        }
    }
}
