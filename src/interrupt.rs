//! Ctrl-C during `compare build` (or SIGTERM, SIGHUP): the build stops at its next step,
//! removes the folder it was writing the new site into, and leaves the site as it was.
//! Once the new site is whole and the swap has begun, the build finishes instead: the
//! swap is never cut in half. A second Ctrl-C ends the process at once; the next build
//! tidies what that leaves (see [`crate::site::recover`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Set by the first signal.
static REQUESTED: OnceLock<Arc<AtomicBool>> = OnceLock::new();
/// Set when the build starts to swap the new site in: past this point it finishes.
static SWAPPING: AtomicBool = AtomicBool::new(false);

/// Make Ctrl-C, SIGTERM and SIGHUP ask running builds to stop rather than end the
/// process, and a second one end it at once with the shell's code for an interrupted
/// command (130). A signal the process was started with ignored (`nohup`, a background
/// job of a script) stays ignored. For `compare build` only: the other commands end as
/// usual.
#[cfg(unix)]
pub fn stop_builds_on_signals() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let flag = REQUESTED.get_or_init(Default::default);
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        if ignored(signal) {
            continue;
        }
        // Registered first, this sees the flag as the previous signal left it: it ends
        // the process on the second signal only.
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(flag))?;
        signal_hook::flag::register(signal, Arc::clone(flag))?;
    }
    Ok(())
}

/// Elsewhere the signals keep their usual effect.
#[cfg(not(unix))]
pub fn stop_builds_on_signals() -> std::io::Result<()> {
    Ok(())
}

/// Whether the process was started with `signal` ignored.
#[cfg(unix)]
fn ignored(signal: libc::c_int) -> bool {
    // SAFETY: with no new action, sigaction(2) only reads the current one into `old`,
    // a plain C struct for which all zeroes is a valid value.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
    REQUESTED
        .get()
        .is_some_and(|flag| flag.load(Ordering::Relaxed))
}

/// [`Interrupted`] when a stop was asked for: each step of a build checks it before it
/// starts, the site's writer before each file and in each write of report.json.
pub fn check() -> Result<(), Interrupted> {
    if requested() {
        Err(Interrupted)
    } else {
        Ok(())
    }
}

/// The build is about to swap its new site in, which it finishes whatever signal comes:
/// a build that fails from here on may have moved the site, and says how itself.
pub(crate) fn swapping() {
    SWAPPING.store(true, Ordering::SeqCst);
}

/// Whether a build failed by a signal left the site as it was: the stop was asked for
/// and the swap had not begun.
pub fn stopped_before_swap() -> bool {
    requested() && !SWAPPING.load(Ordering::SeqCst)
}

/// A build stopped on Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}
