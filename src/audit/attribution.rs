//! Attribution: given two snapshots and two packs, which input caused each change. The
//! old pack on the old snapshot and the new pack on the new one give the two sides; the
//! cross combinations say whether the new pack alone (on the old data) or the new data
//! alone (under the old pack) already gives the new result. Exceptions count as policy. Each pack is read and
//! compiled once, each snapshot loaded once.

use std::collections::BTreeMap;

use crate::audit::compare::{Cause, Diff};
use crate::decision::{Decision, Document};
use crate::eval::evaluate_loaded_with;
use crate::exceptions::Exceptions;
use crate::host::{Host, Pack, PackSource};
use crate::limits::Limits;
use crate::operator::Op;
use crate::snapshot::{self, LoadOptions, Source};

/// The four evaluations, and what their policies printed.
pub struct Crossed {
    /// The old pack on the old snapshot.
    pub old: Document,
    /// The new pack on the new snapshot.
    pub new: Document,
    /// The new pack on the old snapshot.
    pub policy_only: Document,
    /// The old pack on the new snapshot.
    pub data_only: Document,
    pub log: Vec<String>,
}

/// One side's inputs. Exceptions go with the pack: both are what governance decided,
/// so "the new policy on the old data" applies the new exceptions too.
pub struct Inputs<'a> {
    pub snapshot: &'a Source,
    pub policies: &'a PackSource,
    pub exceptions: &'a Exceptions,
}

fn compile(source: &PackSource, limits: Limits) -> crate::Result<(Host, Pack)> {
    let host = Host::new(source, limits);
    let pack = host.load_pack()?;
    Ok((host, pack))
}

/// Evaluates both packs on both snapshots. Packs are compiled before any snapshot is
/// read, so a broken pack is reported first, as by `eval`.
pub fn evaluate(
    old: Inputs,
    new: Inputs,
    limits: Limits,
    load: &LoadOptions,
) -> crate::Result<Crossed> {
    let old_pack = (compile(old.policies, limits)?, old.exceptions);
    let new_pack = (compile(new.policies, limits)?, new.exceptions);
    let old_data = snapshot::load_from(old.snapshot, load, &mut |_, _| {})?;
    let new_data = snapshot::load_from(new.snapshot, load, &mut |_, _| {})?;
    let mut log = Vec::new();
    let mut run = |((host, pack), exceptions): &((Host, Pack), &Exceptions),
                   data: snapshot::Loaded,
                   what: &str|
     -> crate::Result<Document> {
        let evaluation = evaluate_loaded_with(host, pack, data, exceptions)?;
        log.extend(evaluation.log.into_iter().map(|l| format!("{what}: {l}")));
        Ok(evaluation.document)
    };
    Ok(Crossed {
        old: run(&old_pack, old_data.clone(), "old pack on old snapshot")?,
        policy_only: run(&new_pack, old_data, "new pack on old snapshot")?,
        data_only: run(&old_pack, new_data.clone(), "old pack on new snapshot")?,
        new: run(&new_pack, new_data, "new pack on new snapshot")?,
        log,
    })
}

type Index<'a> = BTreeMap<(&'a str, &'a str), &'a Decision>;

fn index(decisions: &[Decision]) -> Index<'_> {
    decisions
        .iter()
        .map(|d| ((d.policy.as_str(), d.subject.as_str()), d))
        .collect()
}

fn cause(policy_alone: bool, data_alone: bool) -> Cause {
    match (policy_alone, data_alone) {
        (true, true) => Cause::Either,
        (true, false) => Cause::Policy,
        (false, true) => Cause::Data,
        (false, false) => Cause::Both,
    }
}

/// Whether `found` already concludes what the change ended in (`new`): for an outcome
/// change, the same outcome and severity; for any other change, the same result in every
/// part (values, summary, checks, evidence, links, exception), places in the policy
/// aside, since the other pack's lines differ. Worked out from the decisions alone, never
/// from what a report shows, so the cause is the same whatever the display options.
fn gives(found: Option<&&Decision>, new: Option<&&Decision>, outcome_changed: bool) -> bool {
    let (Some(found), Some(new)) = (found, new) else {
        return false;
    };
    if outcome_changed {
        return found.outcome == new.outcome && found.severity == new.severity;
    }
    let checks = |d: &Decision| -> Vec<(String, String, Op, String, bool)> {
        d.explanation
            .checks
            .iter()
            .map(|c| {
                (
                    c.label.clone(),
                    c.actual.to_string(),
                    c.op,
                    c.threshold.to_string(),
                    c.pass,
                )
            })
            .collect()
    };
    found.outcome == new.outcome
        && found.severity == new.severity
        && found.values == new.values
        && found.explanation.summary == new.explanation.summary
        && found.explanation.evidence == new.explanation.evidence
        && found.because == new.because
        && found.exception == new.exception
        && checks(found) == checks(new)
}

/// Labels every listed difference of `diff` (old pack on old data against `new`, the new
/// pack on new data) with its cause, from the two cross evaluations.
pub fn attribute(
    diff: &mut Diff,
    new: &[Decision],
    policy_only: &[Decision],
    data_only: &[Decision],
) {
    let (p, d, n) = (index(policy_only), index(data_only), index(new));
    let changes = diff.changed.iter_mut().map(|c| (c, true));
    let others = diff.values_changed.iter_mut().flatten().map(|c| (c, false));
    for (c, outcome_changed) in changes.chain(others) {
        let at = (c.policy.as_str(), c.subject.as_str());
        let now = n.get(&at);
        let found = cause(
            gives(p.get(&at), now, outcome_changed),
            gives(d.get(&at), now, outcome_changed),
        );
        c.cause = Some(found);
    }
    for l in &mut diff.added {
        let at = (l.policy.as_str(), l.subject.as_str());
        let v = &l.verdict;
        let has = |i: &Index| {
            i.get(&at)
                .is_some_and(|x| x.outcome == v.outcome && x.severity == v.severity)
        };
        let found = cause(has(&p), has(&d));
        l.cause = Some(found);
    }
    for l in &mut diff.removed {
        let at = (l.policy.as_str(), l.subject.as_str());
        let found = cause(!p.contains_key(&at), !d.contains_key(&at));
        l.cause = Some(found);
    }
}
