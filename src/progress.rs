//! What a long build is doing, for the person waiting on it: the articles read so far out
//! of all of them, then each step after the reading, then the site's files as they are
//! written. A 100 000-article build takes tens of seconds, most of it silent otherwise.
//!
//! Drawn on stderr only when stderr is a terminal, and cleared when the build ends, so the
//! warnings and the summary that follow it, logs, pipes and CI see nothing of it. It never
//! touches the site: a build writes the same bytes with or without it.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal as _;
use std::sync::Mutex;
use std::time::Duration;

/// A build's progress line; [`Progress::hidden`] draws nothing. Dropped, it is cleared.
///
/// Each step has a bar of its own, made whole (its count, style and message) before it
/// is shown in place of the step before: a line is never drawn half-changed, and each
/// step's rate and elapsed time are its own.
#[derive(Debug)]
pub struct Progress {
    line: MultiProgress,
    step: Mutex<ProgressBar>,
}

impl Progress {
    /// No progress shown: the library's own entry points and the tests.
    pub fn hidden() -> Progress {
        Progress::to(ProgressDrawTarget::hidden())
    }

    /// On stderr when it is a terminal, hidden otherwise.
    pub fn on_terminal() -> Progress {
        if std::io::stderr().is_terminal() {
            Progress::to(ProgressDrawTarget::stderr())
        } else {
            Progress::hidden()
        }
    }

    /// Drawn to `target` (a test's terminal).
    pub fn to(target: ProgressDrawTarget) -> Progress {
        Progress {
            line: MultiProgress::with_draw_target(target),
            step: Mutex::new(ProgressBar::hidden()),
        }
    }

    /// A step whose size is unknown: a spinner, what is being done and for how long.
    pub fn step(&self, what: &'static str) {
        let bar = self.show(
            ProgressBar::no_length()
                .with_style(spinner(STEP))
                .with_message(what),
        );
        self.turn(&bar);
    }

    /// The articles are being read and analysed: `total` of them, none yet.
    pub fn reading(&self, total: usize) {
        self.show(ProgressBar::new(total as u64).with_style(bar(READING)))
            .tick();
    }

    /// `n` more articles read and analysed: a chunk of them, drawn as it is counted.
    /// The bar has no steady tick, which would draw it only on its own beat (a bar with
    /// one draws on nothing else).
    pub fn read(&self, n: usize) {
        let bar = self.current();
        bar.inc(n as u64);
        bar.tick();
    }

    /// The site's files are about to be written: the counter the writing threads add
    /// each file to.
    pub fn writing(&self) -> Files {
        let bar = self.show(ProgressBar::no_length().with_style(spinner(WRITING)));
        self.turn(&bar);
        Files(bar)
    }

    /// The current step's count, or the last step's once the build is over: the files of
    /// the site, after a build.
    pub fn count(&self) -> u64 {
        self.current().position()
    }

    /// The build is over, done or failed: the line is cleared.
    pub fn done(&self) {
        let bar = self.current();
        bar.disable_steady_tick();
        bar.finish_and_clear();
        self.line.remove(&bar);
    }

    /// `bar` in place of the current step's.
    fn show(&self, bar: ProgressBar) -> ProgressBar {
        self.done();
        let bar = self.line.add(bar);
        *self.step.lock().unwrap_or_else(|e| e.into_inner()) = bar.clone();
        bar
    }

    /// Turns the spinner and moves the time while a step reports nothing, and draws its
    /// count (the site's files) on the same beat, and only then.
    fn turn(&self, bar: &ProgressBar) {
        if !self.line.is_hidden() {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    fn current(&self) -> ProgressBar {
        self.step.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for Progress {
    /// A build that stops early (an error returned with `?`) leaves no line behind for
    /// its error message to be printed over.
    fn drop(&mut self) {
        self.done();
    }
}

/// The count of the site's files, written or linked unchanged from the site being
/// replaced, shared by the threads that write them.
#[derive(Debug, Clone)]
pub struct Files(ProgressBar);

impl Files {
    /// Drawn nowhere: a site written without a [`Progress`].
    pub fn hidden() -> Files {
        Files(ProgressBar::hidden())
    }

    /// One more file of the site written.
    pub fn wrote(&self) {
        self.0.inc(1);
    }
}

const STEP: &str = "{spinner} {msg} {elapsed}";
const READING: &str =
    "reading articles [{bar:30}] {human_pos}/{human_len} ({rate} articles/s, {eta} left)";
const WRITING: &str = "{spinner} writing the site, files: {human_pos} {elapsed}";

fn spinner(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ ")
}

fn bar(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
        // A whole number with its thousands marked, where `{per_sec}` gives four decimals.
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", indicatif::HumanCount(state.per_sec() as u64));
            },
        )
}

/// A terminal that keeps every line drawn to it, and marks where a line was cleared: what
/// a person would have seen, in order.
#[derive(Debug, Clone, Default)]
pub struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl Recorder {
    /// Everything drawn so far; a cleared line is `""`.
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A progress line drawn to this recorder.
    pub fn progress(&self) -> Progress {
        Progress::to(ProgressDrawTarget::term_like(Box::new(self.clone())))
    }

    fn push(&self, s: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(s.to_string());
    }
}

impl indicatif::TermLike for Recorder {
    fn width(&self) -> u16 {
        120
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.push(s);
        Ok(())
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        if !s.is_empty() {
            self.push(s);
        }
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        self.push("");
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_are_valid() {
        for t in [STEP, READING, WRITING] {
            assert!(ProgressStyle::with_template(t).is_ok(), "{t}");
        }
    }

    #[test]
    fn each_step_says_what_it_does_and_the_line_is_cleared_at_the_end() {
        let term = Recorder::default();
        let progress = term.progress();
        progress.step("aligning statements");
        progress.reading(4_096);
        progress.read(2_048);
        assert_eq!(progress.current().position(), 2_048);
        assert_eq!(progress.current().length(), Some(4_096));
        let files = progress.writing();
        let writer = files.clone();
        std::thread::spawn(move || writer.wrote())
            .join()
            .expect("thread");
        files.wrote();
        progress.done();
        // The files are counted on every thread, and drawn only on the spinner's beat
        // (every 120 ms): the count is read from the bar.
        assert_eq!(files.0.position(), 2);
        assert_eq!(progress.count(), 2);
        let lines = term.lines();
        let shown = |what: &str| lines.iter().any(|l| l.contains(what));
        assert!(shown("aligning statements"), "{lines:#?}");
        assert!(shown("reading articles ["), "{lines:#?}");
        assert!(shown("/4,096 ("), "{lines:#?}");
        assert!(shown(" articles/s, "), "{lines:#?}");
        assert!(shown("2,048/4,096 ("), "{lines:#?}");
        assert!(shown("writing the site, files: "), "{lines:#?}");
        assert_eq!(lines.last().map(String::as_str), Some(""), "{lines:#?}");
        // No line is drawn with one step's words and another's count.
        assert!(!shown("2,048/2,048"), "{lines:#?}");
        assert!(
            !lines
                .iter()
                .any(|l| l.contains("writing") && l.contains('/')),
            "{lines:#?}"
        );
    }

    #[test]
    fn a_progress_dropped_early_clears_its_line() {
        let term = Recorder::default();
        {
            let progress = term.progress();
            progress.reading(10);
            progress.read(3);
        }
        let lines = term.lines();
        assert!(lines.iter().any(|l| l.contains("/10 ")), "{lines:#?}");
        assert_eq!(lines.last().map(String::as_str), Some(""), "{lines:#?}");
    }
}
