//! Ctrl-C during `compare build` (or SIGTERM, SIGHUP): the build stops at its next step,
//! removes the folder it was writing the new site into, and leaves the site as it was.
//! Once the new site is whole, the build finishes instead: the swap of the two sites is
//! never cut in half. A second Ctrl-C ends the process at once; the next build tidies
//! what that leaves (see [`crate::site::recover`]).

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Make Ctrl-C, SIGTERM and SIGHUP ask running builds to stop rather than end the
/// process; a second one ends it at once with the shell's code for an interrupted
/// command (130). For `compare build` only: the other commands end as usual.
pub fn stop_builds_on_signals() -> anyhow::Result<()> {
    ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })
    .map_err(|e| anyhow::anyhow!("cannot handle Ctrl-C: {e}"))
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// [`Interrupted`] when a stop was asked for: each step of a build checks it before it
/// starts, and the site's writer before each file.
pub fn check() -> Result<(), Interrupted> {
    if requested() {
        Err(Interrupted)
    } else {
        Ok(())
    }
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
