//! The Overview's answer, worked out in the background: the one Monte Carlo that
//! runs by itself whenever the inputs change. A new request cancels the run it
//! replaces; recent answers are remembered by what they depend on, so going back
//! to a scenario or a screen shows its odds at once. Locking forgets them.

use std::collections::VecDeque;

use packplan_core::progress::CancelToken;
use packplan_core::report::uncertainty::Uncertainty;

/// Answers remembered (a few scenarios flipped between).
const REMEMBERED: usize = 4;

/// The running answer's token and the recent answers, newest last.
#[derive(Default)]
pub struct Answers {
    running: Option<CancelToken>,
    recent: VecDeque<(String, Uncertainty)>,
}

impl Answers {
    /// The answer already worked out for `key`, if it is remembered.
    pub fn remembered(&self, key: &str) -> Option<Uncertainty> {
        self.recent.iter().find(|(k, _)| k == key).map(|(_, u)| u.clone())
    }

    /// A token for a new answer, a child of `work` (so locking cancels it); the
    /// answer being worked out until now is cancelled: its inputs are out of date.
    pub fn start(&mut self, work: &CancelToken) -> CancelToken {
        self.cancel();
        let token = work.child();
        self.running = Some(token.clone());
        token
    }

    /// Keeps a finished answer.
    pub fn remember(&mut self, key: String, answer: Uncertainty) {
        self.recent.retain(|(k, _)| *k != key);
        if self.recent.len() >= REMEMBERED {
            self.recent.pop_front();
        }
        self.recent.push_back((key, answer));
    }

    /// Cancels the answer being worked out, if any.
    pub fn cancel(&mut self) {
        if let Some(token) = self.running.take() {
            token.cancel();
        }
    }

    /// Cancels the running answer and forgets every remembered one (the vault was locked).
    pub fn forget(&mut self) {
        self.cancel();
        self.recent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(scenario: &str) -> Uncertainty {
        Uncertainty {
            scenario: scenario.into(),
            trials: 1000,
            seed: 1,
            inputs: 0,
            orders: vec![],
            charts: Default::default(),
        }
    }

    #[test]
    fn a_new_answer_cancels_the_one_it_replaces() {
        let work = CancelToken::new();
        let mut answers = Answers::default();
        let first = answers.start(&work);
        let second = answers.start(&work);
        assert!(first.is_cancelled(), "the out-of-date answer stops");
        assert!(!second.is_cancelled());
        work.cancel();
        assert!(second.is_cancelled(), "locking stops the answer");
    }

    #[test]
    fn recent_answers_are_remembered_until_the_vault_locks() {
        let mut answers = Answers::default();
        for (i, s) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            answers.remember(format!("key-{i}"), answer(s));
        }
        assert!(answers.remembered("key-0").is_none(), "only the last four are kept");
        assert_eq!(answers.remembered("key-4").map(|u| u.scenario), Some("e".into()));
        let running = answers.start(&CancelToken::new());
        answers.forget();
        assert!(running.is_cancelled());
        assert!(answers.remembered("key-4").is_none(), "locking forgets every answer");
    }
}
