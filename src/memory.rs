//! How long freed memory stays with the allocator before it goes back to the system.
//!
//! The `compare` binary allocates with mimalloc (src/main.rs), which keeps freed memory for
//! a while (its purge delay) so that the next allocations reuse it, then gives it back. A
//! page given back and allocated again is a fresh page, which the kernel zeroes at its first
//! touch (and, on a virtual machine, the host may have to supply again). Which delay is right
//! depends on the build's stage:
//!
//! - While articles are read and analysed chunk by chunk ([`crate::read_corpus`]), each
//!   chunk frees its working copies (normalised text, keys) and the next chunk needs as
//!   much again a moment later. Kept, that memory is reused: a 100 000-article build faults
//!   in about 120 000 fewer pages, with the same peak.
//! - Everywhere else, a stage frees what the next one does not reuse (alignment's index,
//!   the sentences given up as the report is built), and keeping it raises the peak:
//!   kept through alignment, a 100 000-article build peaked at 1.54 × 10⁹ bytes, over its
//!   target (docs/benchmarks.md).
//!
//! So freed memory goes back after [`SOON_MS`], and is kept for [`KEPT_MS`] while a
//! [`Kept`] guard lives. Nothing here changes unless the binary called [`manage`]: the
//! library's own tests and any other program that links it keep their allocator's setting.

use std::ffi::c_long;
use std::sync::atomic::{AtomicBool, Ordering};

/// mimalloc's `purge_delay` option: its number in the `mi_option_t` enum of the bundled
/// mimalloc v3, which the sys crate does not name. The tests pin it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The delay outside the chunked read, in milliseconds. mimalloc v3 waits 1 000 ms. A build
/// frees the articles' texts and sentences and at once builds the report: with the default,
/// both are held for a moment and the peak of a 100 000-article build rises by about
/// 0.15 GB (docs/benchmarks.md).
pub const SOON_MS: c_long = 100;

/// The delay while a [`Kept`] guard lives: several times the time a chunk of articles takes
/// on a slow machine (about 0.2 s on two cores), so that one chunk's freed memory is still
/// there for the next.
pub const KEPT_MS: c_long = 1_000;

/// Whether [`manage`] was called: the delay is compare's to set.
static MANAGED: AtomicBool = AtomicBool::new(false);

/// Let compare set mimalloc's purge delay, and set it to [`SOON_MS`]. Call it once, at
/// start-up, only in a program whose global allocator is mimalloc. Does nothing when the
/// user chose a delay (`MIMALLOC_PURGE_DELAY`, read by mimalloc itself).
pub fn manage() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    MANAGED.store(true, Ordering::Relaxed);
    set_delay(SOON_MS);
}

/// Keep freed memory for [`KEPT_MS`] until the guard is dropped, when the delay goes back to
/// [`SOON_MS`]. Memory freed meanwhile goes back [`KEPT_MS`] after it was freed.
#[must_use = "freed memory is kept only while the guard lives"]
pub struct Kept {
    managed: bool,
}

/// See [`Kept`].
pub fn keep_freed() -> Kept {
    Kept::new(MANAGED.load(Ordering::Relaxed))
}

impl Kept {
    fn new(managed: bool) -> Kept {
        if managed {
            set_delay(KEPT_MS);
        }
        Kept { managed }
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        if self.managed {
            set_delay(SOON_MS);
        }
    }
}

/// mimalloc's purge delay now, in milliseconds.
pub fn purge_delay() -> c_long {
    // SAFETY: only reads mimalloc's option table.
    unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }
}

fn set_delay(ms: c_long) {
    // SAFETY: `mi_option_set` stores one integer in mimalloc's option table; it takes no
    // pointer and may be called at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, ms) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Option 15 is `purge_delay` in the bundled mimalloc: v3 (version 3.x.y), whose default
    /// delay is 1 000 ms, and the only option with that default. A mimalloc update that moves
    /// or renumbers it fails here rather than setting some other option. A guard changes
    /// the delay only when compare manages it, and only while it lives. (`manage` itself is
    /// tested in src/main.rs, in a process of its own: here it would let the other tests'
    /// builds set the delay while this one reads it.)
    #[test]
    fn option_15_is_the_purge_delay_and_a_guard_keeps_freed_memory_while_it_lives() {
        // SAFETY: only reads mimalloc's version.
        let version = unsafe { libmimalloc_sys::mi_version() };
        assert_eq!(version / 10_000, 3, "mimalloc {version} is not v3");
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        assert_eq!(purge_delay(), 1000);
        {
            let _kept = Kept::new(false);
            assert_eq!(
                purge_delay(),
                1000,
                "unmanaged: the allocator's own setting stays"
            );
        }
        assert_eq!(purge_delay(), 1000);
        {
            let _kept = Kept::new(true);
            assert_eq!(purge_delay(), KEPT_MS);
        }
        assert_eq!(purge_delay(), SOON_MS);
        set_delay(1000);
    }
}
