//! Progress of long work on the terminal: a line on stderr when a stage starts and
//! at each tenth of it, never part of `--json` output.

use std::io::Write;
use std::sync::Mutex;

use packplan_core::progress::{NoProgress, Progress, ProgressReport};

/// Prints progress on stderr.
#[derive(Default)]
pub(crate) struct StderrProgress {
    /// The stage last printed and the tenth it had reached.
    last: Mutex<Option<(String, u64)>>,
}

impl Progress for StderrProgress {
    fn report(&self, r: ProgressReport) {
        let tenth = match r.total {
            Some(total) if total > 0 => r.done.min(total) * 10 / total,
            _ => 0,
        };
        let Ok(mut last) = self.last.lock() else { return };
        let new_stage = last.as_ref().is_none_or(|(stage, _)| *stage != r.stage);
        if !new_stage && last.as_ref().is_some_and(|(_, t)| *t >= tenth) {
            return;
        }
        *last = Some((r.stage.clone(), tenth));
        let line = match r.total {
            Some(total) => format!("{}: {} of {} {}", r.stage, r.done, total, r.unit),
            None => format!("{}...", r.stage),
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

/// Progress for a command: on the terminal, or nowhere with `--json`.
pub(crate) fn for_output(json: bool) -> Box<dyn Progress> {
    if json {
        Box::new(NoProgress)
    } else {
        Box::new(StderrProgress::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_once_per_tenth_and_per_stage() {
        let p = StderrProgress::default();
        let report = |stage: &str, done| ProgressReport { stage: stage.into(), done, total: Some(100), unit: "rows" };
        p.report(report("a", 1));
        assert_eq!(*p.last.lock().unwrap(), Some(("a".into(), 0)));
        p.report(report("a", 15));
        assert_eq!(*p.last.lock().unwrap(), Some(("a".into(), 1)));
        p.report(report("b", 2));
        assert_eq!(*p.last.lock().unwrap(), Some(("b".into(), 0)));
    }
}
