//! A series cut at one sprint, measured as a turn there is judged: the part from the
//! sprint on (its candidates, gap and survival) and the part before (its survival and
//! verdict). One definition for every turn taken at a sprint fixed before its parts are
//! measured (where the scan points, where the budgets stepped), so that each takes its
//! draws in the same order.

use super::access::{Event, Gap, Survival, gap, survival};
use super::influence::Ranking;
use super::model::Direction;
use super::stats::Draws;
use super::thresholds::decide;

/// A located turn: the verdict, `since`, and the candidates, gap and survival it rests on.
pub type Turned<'a> = (
    Direction,
    Option<String>,
    Vec<&'a Event>,
    Option<Gap>,
    Survival,
);

/// The parts of a series before and from one sprint.
pub struct Parts<'a> {
    pub after: Vec<&'a Event>,
    pub g_after: Option<Gap>,
    pub s_after: Survival,
    pub s_before: Survival,
    pub v_before: Direction,
}

impl<'a> Parts<'a> {
    /// `candidates` and `events` (of a series of `sprints` sprints) cut at sprint `from`.
    pub fn split(
        events: &[Event],
        rankings: &[Ranking],
        sprints: usize,
        candidates: &[&'a Event],
        from: usize,
        draws: &mut Draws,
    ) -> Self {
        let (before, after): (Vec<&Event>, Vec<&Event>) =
            candidates.iter().partition(|e| e.sprint < from);
        let (early, late): (Vec<Event>, Vec<Event>) =
            events.iter().cloned().partition(|e| e.sprint < from);
        let g_after = gap(&after, rankings, draws);
        let s_after = survival(&late, sprints, draws);
        let s_before = survival(&early, sprints, draws);
        let v_before = decide(gap(&before, rankings, draws).as_ref(), Some(&s_before));
        Self {
            after,
            g_after,
            s_after,
            s_before,
            v_before,
        }
    }

    /// The turn to `verdict` since sprint `since`, resting on the later part.
    pub fn turned(self, verdict: Direction, since: String) -> Turned<'a> {
        (verdict, Some(since), self.after, self.g_after, self.s_after)
    }
}
