//! The allocator ([`Mimalloc`], made global in src/main.rs), and how long freed memory
//! stays with it before it goes back to the system.
//!
//! mimalloc keeps freed memory for a while (its purge delay) so that the next allocations
//! reuse it, then gives it back. A page given back and allocated again is a fresh page,
//! which the kernel zeroes at its first touch (and, on a virtual machine, the host may have
//! to supply again). Which delay is right depends on the build's stage:
//!
//! - While articles are read and analysed chunk by chunk ([`crate::read_corpus`]), each
//!   chunk frees its working copies (normalised text, keys) and the next chunk needs as
//!   much again a moment later. Kept, that memory is mostly reused: a 100 000-article build
//!   faults in about 100 000–130 000 fewer pages, with the same peak.
//! - Everywhere else, a stage frees what the next one does not reuse (alignment's index,
//!   the sentences given up as the report is built), and keeping it raises the peak:
//!   kept through alignment, a 100 000-article build peaked at 1.54 × 10⁹ bytes, over its
//!   target (docs/benchmark-history.md).
//!
//! So the delay is [`SOON_MS`], and [`KEPT_MS`] while a [`Kept`] guard lives. mimalloc v3
//! keeps one deadline per arena: the first free after a purge sets it to now plus the delay
//! of that moment, later frees do not move it, and when it passes everything freed so far
//! goes back. So under the longer delay a purge still comes about once a second, and a
//! deadline set before the delay changes stands after it. Nothing here changes unless the
//! binary called [`manage`]: the library's own tests and any other program that links it
//! keep their allocator's setting.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_long, c_void};
use std::sync::atomic::{AtomicBool, Ordering};

/// mimalloc as Rust's global allocator, asked through its plain functions wherever they
/// give the alignment asked for.
///
/// The `mimalloc` crate's allocator passes every request to `mi_malloc_aligned`, whose quick
/// path in mimalloc v3 takes only blocks of up to 1 KiB from a page that has one free. Any
/// other request goes the generic way, slower, and one whose block size is not a power of
/// two is over-allocated by its alignment less one byte: for a vector of 8-byte items,
/// often a block of the next size class. A 100 000-article build makes millions of such
/// requests. `mi_malloc` gives every block of 16 bytes or more 16-byte alignment (its size
/// classes are multiples of 16 past 8 bytes, and its pages' blocks start on 16-byte
/// boundaries but for the 8-byte class), and an 8-byte block 8-byte alignment: a request
/// aligned to at most 16 and no larger than its size is met by the plain functions. Others
/// (larger alignments) keep the aligned ones.
pub struct Mimalloc;

/// The alignment `mi_malloc` gives every block of at least this many bytes
/// (`MI_MAX_ALIGN_SIZE`).
const PLAIN_ALIGN: usize = 16;

/// Whether `mi_malloc(size)` is aligned to `align` (see [`Mimalloc`]).
#[inline(always)]
fn plain(align: usize, size: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: each function passes the request to mimalloc, whose blocks meet the layout's
// alignment (the plain functions only where [`plain`] holds, see [`Mimalloc`]) and stay
// valid until freed; `mi_free` and `mi_realloc` take any block mimalloc gave, aligned or not.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: mimalloc's allocation functions take any size and power-of-two alignment.
        unsafe {
            if plain(align, size) {
                mi::mi_malloc(size).cast()
            } else {
                mi::mi_malloc_aligned(size, align).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: as in `alloc`.
        unsafe {
            if plain(align, size) {
                mi::mi_zalloc(size).cast()
            } else {
                mi::mi_zalloc_aligned(size, align).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` came from this allocator; the new block is aligned as the old one
        // had to be.
        unsafe {
            if plain(align, new_size) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, align).cast()
            }
        }
    }
}

/// mimalloc's `purge_delay` option: its number in the `mi_option_t` enum of the bundled
/// mimalloc v3, which the sys crate does not name. The tests pin it.
const MI_OPTION_PURGE_DELAY: mi::mi_option_t = 15;

/// The delay outside the chunked read, in milliseconds. mimalloc v3 waits 1 000 ms. A build
/// frees the articles' texts and sentences and at once builds the report: with the default,
/// both are held for a moment and the peak of a 100 000-article build rises by about
/// 0.15 GB (docs/benchmark-history.md).
pub const SOON_MS: c_long = 100;

/// The delay while a [`Kept`] guard lives: several times the time a chunk of articles takes
/// (about 0.2 s on two cores), so that one chunk's freed memory is mostly still there for
/// the next. 10 000 ms, with everything freed given back when the guard drops
/// (`mi_collect`), saved 10 000 faults more at 100k: not worth memory held that long.
pub const KEPT_MS: c_long = 1_000;

/// Whether [`manage`] was called: the delay is compare's to set.
static MANAGED: AtomicBool = AtomicBool::new(false);

/// Let compare set mimalloc's purge delay, and set it to [`SOON_MS`]. Call it once, at
/// start-up, only in a program whose global allocator is mimalloc. Does nothing when the
/// user chose a delay ([`user_chose_delay`]).
pub fn manage() {
    if user_chose_delay() {
        return;
    }
    MANAGED.store(true, Ordering::Relaxed);
    set_delay(SOON_MS);
}

/// Whether the environment sets mimalloc's purge delay, as mimalloc reads it: the variable
/// `MIMALLOC_PURGE_DELAY` or its older name `MIMALLOC_RESET_DELAY`, in any case.
pub fn user_chose_delay() -> bool {
    std::env::vars_os().any(|(name, _)| {
        name.to_str().is_some_and(|n| {
            n.eq_ignore_ascii_case("MIMALLOC_PURGE_DELAY")
                || n.eq_ignore_ascii_case("MIMALLOC_RESET_DELAY")
        })
    })
}

/// The purge delay is [`KEPT_MS`] until the guard is dropped, when it goes back to
/// [`SOON_MS`] (a deadline already set under the longer delay stands; see the module's
/// doc).
#[must_use = "the longer delay lasts only while the guard lives"]
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
    unsafe { mi::mi_option_get(MI_OPTION_PURGE_DELAY) }
}

fn set_delay(ms: c_long) {
    // SAFETY: `mi_option_set` stores one word in mimalloc's option table and takes no
    // pointer. Threads that free memory read the word without synchronisation; a store
    // seen late only hastens or delays one purge.
    unsafe { mi::mi_option_set(MI_OPTION_PURGE_DELAY, ms) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every block is aligned as asked and holds its bytes, allocated, zeroed and grown
        /// or shrunk, across the sizes of mimalloc's classes (small, 1 KiB and more, huge)
        /// and the alignments Rust asks for, the plain functions' and larger ones.
        #[test]
        fn blocks_are_aligned_as_asked_and_keep_their_bytes(
            size in prop_oneof![1usize..64, 64usize..4096, 4096usize..600_000],
            new_size in prop_oneof![1usize..64, 64usize..4096, 4096usize..600_000],
            align_log in 0u32..8,
        ) {
            let align = 1usize << align_log;
            let layout = Layout::from_size_align(size, align).expect("a layout");
            let a = Mimalloc;
            // SAFETY: the layout's size is not zero; each block is written within its size,
            // grown or shrunk with the layout it was allocated with, and freed once.
            unsafe {
                let p = a.alloc(layout);
                prop_assert!(!p.is_null());
                prop_assert_eq!(p as usize % align, 0);
                p.write_bytes(0xA5, size);
                let q = a.realloc(p, layout, new_size);
                prop_assert!(!q.is_null());
                prop_assert_eq!(q as usize % align, 0);
                let kept = size.min(new_size);
                prop_assert!(std::slice::from_raw_parts(q, kept).iter().all(|&b| b == 0xA5));
                a.dealloc(q, Layout::from_size_align(new_size, align).expect("a layout"));
                let z = a.alloc_zeroed(layout);
                prop_assert!(!z.is_null());
                prop_assert_eq!(z as usize % align, 0);
                prop_assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                a.dealloc(z, layout);
            }
        }
    }

    /// The plain functions are asked only where their blocks are aligned as asked.
    #[test]
    fn plain_functions_only_for_alignments_they_give() {
        assert!(plain(1, 1) && plain(8, 8) && plain(8, 24) && plain(16, 16) && plain(16, 20));
        assert!(!plain(16, 8), "an 8-byte block is only 8-aligned");
        assert!(
            !plain(32, 64) && !plain(64, 4096),
            "larger alignments take the aligned functions"
        );
    }

    /// Option 15 is `purge_delay` in the bundled mimalloc: v3 (version 3.x.y), whose default
    /// delay is 1 000 ms, and the only option with that default. A mimalloc update that moves
    /// or renumbers it fails here rather than setting some other option. A guard changes
    /// the delay only when compare manages it, and only while it lives. (`manage` itself is
    /// tested in src/main.rs, in a process of its own: here it would let the other tests'
    /// builds set the delay while this one reads it.)
    #[test]
    fn option_15_is_the_purge_delay_and_a_guard_sets_the_longer_delay_while_it_lives() {
        // SAFETY: only reads mimalloc's version.
        let version = unsafe { mi::mi_version() };
        assert_eq!(version / 10_000, 3, "mimalloc {version} is not v3");
        if user_chose_delay() {
            return;
        }
        assert_eq!(purge_delay(), 1000);
        // Not 1 000 (the default and KEPT_MS), so that a guard that set the delay shows.
        set_delay(SOON_MS);
        {
            let _kept = Kept::new(false);
            assert_eq!(
                purge_delay(),
                SOON_MS,
                "unmanaged: the allocator's own setting stays"
            );
        }
        assert_eq!(purge_delay(), SOON_MS);
        set_delay(1000);
        {
            let _kept = Kept::new(true);
            assert_eq!(purge_delay(), KEPT_MS);
        }
        assert_eq!(purge_delay(), SOON_MS);
        set_delay(1000);
    }
}
