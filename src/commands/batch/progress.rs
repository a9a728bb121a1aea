//! Progress of a batch: a bar on a terminal, otherwise one plain line per case.

use std::io::IsTerminal;

use super::Outcome;

/// Progress: a bar on a terminal, otherwise one plain line per case.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    done: usize,
    total: usize,
}

impl Progress {
    pub(super) fn new(total: usize, bar: bool) -> Self {
        let bar = bar.then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} ärenden  {per_sec}  {msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Self {
            bar,
            done: 0,
            total,
        }
    }

    /// Counts a finished case; without a bar, prints a line for it on standard error.
    pub(super) fn step(&mut self, kalla: &str, outcome: &Outcome) {
        let kalla = crate::diagnostics::printable(kalla);
        self.done += 1;
        let n = self.done;
        let status = match outcome {
            Outcome::Done { rows, .. } => {
                super::super::counted(rows.len(), "handling", "handlingar")
            }
            Outcome::Failed(_) => "avvisat".into(),
        };
        match &self.bar {
            Some(bar) => {
                bar.set_message(kalla.to_string());
                bar.inc(1);
            }
            None => {
                eprintln!("[{n}/{}] {kalla}: {status}", self.total);
            }
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Whether standard error is a terminal, where a progress bar can be drawn.
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
