//! A progress line on stderr for long loads: only on a terminal, never with `--quiet`.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Files smaller than this load too fast for a progress line to help.
const MIN_BYTES: u64 = 32 << 20;

pub struct Progress {
    label: String,
    enabled: bool,
    started: Instant,
    last: Option<Instant>,
    shown: bool,
}

impl Progress {
    pub fn new(label: impl Into<String>, quiet: bool) -> Self {
        Self {
            label: label.into(),
            enabled: !quiet && std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: None,
            shown: false,
        }
    }

    /// Called with (done, total) bytes; redraws at most ten times a second.
    pub fn update(&mut self, done: u64, total: u64) {
        if !self.enabled || total < MIN_BYTES {
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
            "\r{} [{bar}] {:>3}% {}/{} MB {:.1}s",
            self.label,
            done * 100 / total.max(1),
            done >> 20,
            total >> 20,
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
