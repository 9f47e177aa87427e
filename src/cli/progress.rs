//! A progress line on stderr for long work (loading a large snapshot, `impact` over many
//! snapshots): only on a terminal, never with `--quiet`.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Files smaller than this load too fast for a progress line to help.
const MIN_BYTES: u64 = 32 << 20;

pub struct Progress {
    label: String,
    enabled: bool,
    /// Below this total, the work is too short to show.
    min_total: u64,
    /// How (done, total) reads after the bar.
    counts: fn(u64, u64) -> String,
    started: Instant,
    last: Option<Instant>,
    shown: bool,
}

impl Progress {
    /// Progress over bytes, shown only for files of 32 MB and more.
    pub fn bytes(label: impl Into<String>, quiet: bool) -> Self {
        Self::new(label.into(), quiet, MIN_BYTES, |done, total| {
            format!(
                "{:>3}% {}/{} MB",
                done * 100 / total.max(1),
                done >> 20,
                total >> 20
            )
        })
    }

    /// Progress over snapshots, always shown on a terminal.
    pub fn snapshots(label: impl Into<String>, quiet: bool) -> Self {
        Self::new(label.into(), quiet, 0, |done, total| {
            format!("{done}/{total} snapshots")
        })
    }

    fn new(label: String, quiet: bool, min_total: u64, counts: fn(u64, u64) -> String) -> Self {
        Self {
            // The label names a file as given: escaped, it cannot move the cursor.
            label: crate::text::escape_terminal(&label).into_owned(),
            enabled: !quiet && std::io::stderr().is_terminal(),
            min_total,
            counts,
            started: Instant::now(),
            last: None,
            shown: false,
        }
    }

    /// Called with (done, total); redraws at most ten times a second, and at the end.
    pub fn update(&mut self, done: u64, total: u64) {
        if !self.enabled || total < self.min_total {
            return;
        }
        let now = Instant::now();
        if self
            .last
            .is_some_and(|t| now - t < Duration::from_millis(100))
            && done < total
        {
            return;
        }
        self.last = Some(now);
        let width = 30;
        let filled = (done.min(total) * width / total.max(1)) as usize;
        let bar = format!(
            "{}{}",
            "#".repeat(filled),
            "-".repeat(width as usize - filled)
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{} [{bar}] {} {:.1}s",
            self.label,
            (self.counts)(done, total),
            self.started.elapsed().as_secs_f64()
        );
        let _ = err.flush();
        self.shown = true;
    }

    /// Clears the line so the next message starts clean.
    pub fn finish(&mut self) {
        if self.shown {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
            self.shown = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
