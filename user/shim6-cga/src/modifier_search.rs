//! The Hash2 modifier search (RFC 3972 §4 steps 2–3), spread over threads.
//!
//! Each thread owns its copy of the Hash2 input, hashes it, and increments the
//! modifier in place at offset 0; nothing else is touched between hashes.

use crate::hash::{hash2_input, hash2_meets_sec};
use crate::params::MODIFIER_LEN;
use crate::sec::Sec;
use sha1::{Digest, Sha1};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use thiserror::Error;

/// Hashes per thread between looks at the shared stop flag and counter.
const BATCH: u64 = 4096;

/// Reported periodically during a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchProgress {
    pub modifiers_tried: u64,
    pub elapsed: Duration,
}

/// How to run a search. `Default` uses every core, no cancel flag, no progress.
#[derive(Clone, Copy)]
pub struct SearchOptions<'a> {
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    /// Set to true from anywhere to stop the search with `SearchError::Cancelled`.
    pub cancel: Option<&'a AtomicBool>,
    /// Called from the calling thread every `progress_interval`.
    pub progress: Option<&'a (dyn Fn(SearchProgress) + Sync)>,
    pub progress_interval: Duration,
}

impl Default for SearchOptions<'_> {
    fn default() -> Self {
        SearchOptions {
            threads: 0,
            cancel: None,
            progress: None,
            progress_interval: Duration::from_millis(500),
        }
    }
}

impl SearchOptions<'_> {
    pub fn thread_count(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchResult {
    pub modifier: [u8; MODIFIER_LEN],
    pub modifiers_tried: u64,
    pub elapsed: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum SearchError {
    #[error("modifier search cancelled after {modifiers_tried} modifiers")]
    Cancelled {
        modifiers_tried: u64,
        elapsed: Duration,
    },
}

/// Adds one to a big-endian 128-bit modifier, wrapping at 2^128.
#[inline]
pub fn increment_modifier(modifier: &mut [u8]) {
    for octet in modifier.iter_mut().rev() {
        let (next, carry) = octet.overflowing_add(1);
        *octet = next;
        if !carry {
            return;
        }
    }
}

/// Thread `index` starts `index`·2^96 above `start`, so the ranges the threads
/// walk cannot meet in any realistic search. Thread 0 starts at `start`, which
/// keeps single-threaded searches exactly the RFC procedure.
fn thread_start(start: &[u8; MODIFIER_LEN], index: usize) -> [u8; MODIFIER_LEN] {
    let value = u128::from_be_bytes(*start).wrapping_add((index as u128) << 96);
    value.to_be_bytes()
}

struct Shared {
    stop: AtomicBool,
    tried: AtomicU64,
    finished_workers: AtomicUsize,
    found: Mutex<Option<[u8; MODIFIER_LEN]>>,
}

/// Finds the first modifier from `start` upward (per thread) whose Hash2 has
/// 16·Sec leading zero bits. Sec 0 returns `start` without hashing.
pub fn search_modifier(
    start: [u8; MODIFIER_LEN],
    public_key: &[u8],
    extensions: &[u8],
    sec: Sec,
    options: &SearchOptions<'_>,
) -> Result<SearchResult, SearchError> {
    let began = Instant::now();
    if sec == Sec::ZERO {
        return Ok(SearchResult {
            modifier: start,
            modifiers_tried: 0,
            elapsed: began.elapsed(),
        });
    }
    let threads = options.thread_count();
    let shared = Shared {
        stop: AtomicBool::new(false),
        tried: AtomicU64::new(0),
        finished_workers: AtomicUsize::new(0),
        found: Mutex::new(None),
    };
    let caller = std::thread::current();

    std::thread::scope(|scope| {
        let mut spawned = 0;
        for index in 0..threads {
            let shared = &shared;
            let caller = caller.clone();
            let input = hash2_input(&thread_start(&start, index), public_key, extensions);
            let worker = std::thread::Builder::new().spawn_scoped(scope, move || {
                search_worker(input, sec, shared, options.cancel);
                shared.finished_workers.fetch_add(1, Ordering::AcqRel);
                caller.unpark();
            });
            // If the system refuses more threads, search with those we have.
            if worker.is_err() {
                break;
            }
            spawned += 1;
        }
        if spawned == 0 {
            let input = hash2_input(&start, public_key, extensions);
            search_worker(input, sec, &shared, options.cancel);
            return;
        }
        // The caller reports progress while the workers run.
        while shared.finished_workers.load(Ordering::Acquire) < spawned {
            std::thread::park_timeout(options.progress_interval);
            if let Some(progress) = options.progress {
                progress(SearchProgress {
                    modifiers_tried: shared.tried.load(Ordering::Relaxed),
                    elapsed: began.elapsed(),
                });
            }
        }
    });

    let modifiers_tried = shared.tried.load(Ordering::Relaxed);
    let elapsed = began.elapsed();
    // A poisoned lock only means a worker panicked after storing a result.
    let found = *shared
        .found
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match found {
        Some(modifier) => Ok(SearchResult {
            modifier,
            modifiers_tried,
            elapsed,
        }),
        None => Err(SearchError::Cancelled {
            modifiers_tried,
            elapsed,
        }),
    }
}

fn search_worker(mut input: Vec<u8>, sec: Sec, shared: &Shared, cancel: Option<&AtomicBool>) {
    loop {
        let mut tried_in_batch = 0;
        let mut hit = false;
        while tried_in_batch < BATCH {
            tried_in_batch += 1;
            let digest = Sha1::digest(&input);
            if hash2_meets_sec(&digest, sec) {
                hit = true;
                break;
            }
            increment_modifier(&mut input[..MODIFIER_LEN]);
        }
        shared.tried.fetch_add(tried_in_batch, Ordering::Relaxed);
        if hit {
            let mut found = shared
                .found
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if found.is_none() {
                let mut modifier = [0u8; MODIFIER_LEN];
                modifier.copy_from_slice(&input[..MODIFIER_LEN]);
                *found = Some(modifier);
            }
            shared.stop.store(true, Ordering::Release);
            return;
        }
        if shared.stop.load(Ordering::Acquire)
            || cancel.is_some_and(|flag| flag.load(Ordering::Relaxed))
        {
            shared.stop.store(true, Ordering::Release);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hash2;

    #[test]
    fn increment_carries_and_wraps() {
        let mut m = [0u8; 16];
        m[15] = 0xff;
        m[14] = 0xff;
        increment_modifier(&mut m);
        assert_eq!(&m[13..], &[1, 0, 0]);
        let mut all = [0xffu8; 16];
        increment_modifier(&mut all);
        assert_eq!(all, [0u8; 16]);
    }

    #[test]
    fn threads_start_in_disjoint_ranges() {
        let start = [0xff; 16];
        assert_eq!(thread_start(&start, 0), start);
        let second = thread_start(&start, 1);
        assert_eq!(&second[..4], &[0, 0, 0, 0]);
        assert_eq!(&second[4..], &[0xff; 12]);
    }

    #[test]
    fn found_modifier_satisfies_sec_one_and_progress_is_reported() {
        let key = [0x30, 0x03, 0x02, 0x01, 0x03];
        let reports = AtomicU64::new(0);
        let progress = |_: SearchProgress| {
            reports.fetch_add(1, Ordering::Relaxed);
        };
        let options = SearchOptions {
            threads: 2,
            progress: Some(&progress),
            progress_interval: Duration::from_millis(1),
            ..SearchOptions::default()
        };
        let result = search_modifier([3; 16], &key, &[], Sec::ONE, &options).unwrap();
        assert_eq!(&hash2(&result.modifier, &key, &[])[..2], &[0, 0]);
        assert!(result.modifiers_tried >= 1);
        assert!(reports.load(Ordering::Relaxed) >= 1);
    }

    #[test]
    fn cancel_flag_stops_an_impossible_search() {
        let cancel = AtomicBool::new(true);
        let options = SearchOptions {
            threads: 2,
            cancel: Some(&cancel),
            ..SearchOptions::default()
        };
        let outcome = search_modifier([0; 16], &[0x30, 0x00], &[], Sec::TWO, &options);
        assert!(
            matches!(outcome, Err(SearchError::Cancelled { modifiers_tried, .. }) if modifiers_tried >= 2 * BATCH)
        );
    }
}
