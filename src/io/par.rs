//! Order-keeping parallel map on scoped threads, for batch reading, rendering and writing;
//! and the priority of the window's background threads.

/// Lowers the calling thread's priority (nice 10 on Linux; elsewhere nothing), for work the
/// window waits for without being held: suggesting and training (not re-anchoring, which
/// the editor waits on). On two cores a
/// frame is then not kept waiting behind them. Best effort: a refusal changes nothing else.
pub fn background_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority only read their integer arguments; on Linux a
        // thread id names that one thread (each thread has its own nice value).
        unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, 10);
        }
    }
}

/// Maps `f` over `items` on every core, keeping the order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    par_map_on(threads, items, f)
}

/// [`par_map`] on `threads` threads (more than the cores for work that waits on the disk).
pub fn par_map_on<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(|| c.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
