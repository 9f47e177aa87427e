//! The words of the trends report's findings: one sentence per kind of `Finding`, with
//! its figures in it. The text report and the dashboard print them, and the JSON report
//! writes each as its sentence (`Serialize` below), so every view says the same.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::text::{count, percent};
use crate::trends::{CreditCapture, Finding, InfluenceMeasure, PackChange};

impl fmt::Display for Finding {
    // long: one arm per kind of finding, the report's sentences read as one list; the
    // longer ones are functions below.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Surfacing { since, candidates } => surfacing(f, since.as_deref(), *candidates),
            Self::Entrenching {
                since,
                candidates,
                measure,
            } => entrenching(f, since.as_deref(), *candidates, *measure),
            Self::Inconclusive { candidates } => write!(
                f,
                "inconclusive: {candidates} candidates cannot tell surfacing workflows from entrenching squads"
            ),
            Self::InfluenceGap {
                gap,
                interval,
                margin,
                p_value,
            } => write!(
                f,
                "influence gap {gap:+.2} (95% interval {:+.2} to {:+.2}; 0 = in proportion to people, {margin:.2} or more with significance = entrenching), permutation p = {p_value:.3}",
                interval[0], interval[1]
            ),
            Self::LowerHalf {
                originated,
                candidates,
                share,
                interval,
                expected,
                access,
                p_value,
            } => write!(
                f,
                "the less influential half of people originated {originated} of {candidates} candidates ({:.0}%, 95% interval {:.0}% to {:.0}%) against {:.0}% expected from their numbers (access {access:.2}; permutation p = {p_value:.3})",
                share * 100.0,
                interval[0] * 100.0,
                interval[1] * 100.0,
                expected * 100.0,
            ),
            Self::Originators {
                originating,
                squads,
                largest_share,
            } => write!(
                f,
                "{originating} of {squads} squads originated a candidate; the most prolific originated {:.0}% of them",
                largest_share * 100.0
            ),
            Self::NoOriginator => {
                f.write_str("no candidate's originator could be placed in the organisation")
            }
            Self::Survival {
                followed,
                lower,
                upper,
                p_value,
            } => write!(
                f,
                "of experiments followed at least {followed} sprints, {} of {} from the less influential half became candidates against {} of {} from the more influential half (permutation p = {p_value:.3})",
                lower.0, lower.1, upper.0, upper.1
            ),
            Self::SquadDependent { p_value } => write!(
                f,
                "whether an experiment became a candidate depended on the squad that ran it (permutation p = {p_value:.3}): candidates in proportion to people are no evidence of fair access when only some squads' experiments reach the threshold"
            ),
            Self::StandingAlone { p_value, needed } => write!(
                f,
                "retested on up to 20,000 draws, the candidates' lean toward the most influential squads stands at permutation p = {p_value:.4}, while the less influential half's experiments became candidates about as often as the other half's: without survival to back it, where candidates stand calls the series entrenching only below p = {needed}"
            ),
            Self::LatestExplorers {
                since,
                explorations,
                gap,
                p_value,
            } => write!(
                f,
                "the {explorations} explorations begun since {since} came mainly from the most influential squads (influence gap {gap:+.2}, permutation p = {p_value:.3}): an experiment becomes a candidate a sprint or more after it begins, so the latest sprints may have turned where candidates cannot show it yet"
            ),
            Self::LaterPart {
                since,
                candidates,
                gap,
                p_value,
            } => write!(
                f,
                "the {candidates} candidates since {since}, where the series split best, leaned toward the most influential squads (influence gap {gap:+.2}, permutation p = {p_value:.3}): the part was found by searching, so this is a sign of a turn, not yet evidence of one"
            ),
            Self::Fading { ratio, p_value } => write!(
                f,
                "over the series the less influential half's experiments became candidates at {ratio:.2} of the other half's rate (permutation p = {p_value:.3}): short of calling the series entrenching, and no evidence of fair access"
            ),
            Self::TooFewCandidates { needed, candidates } => write!(
                f,
                "at least {needed} candidates with a known originator are needed for an answer, and the series has {candidates}: more sprints would settle it"
            ),
            Self::TooFewForSurfacing { needed, candidates } => write!(
                f,
                "the series has {candidates} candidates with a known originator, and at least {needed} are needed to show that they come from across the organisation (among fewer, a turn in the last sprints cannot show yet): more sprints would settle it"
            ),
            Self::SignToSettle => f.write_str(
                "the candidates it rests on stand where fair access would put them: more sprints of the same organisation would show whether the sign above holds",
            ),
            Self::MoreCandidates { more } => write!(
                f,
                "about {more} more candidates (more sprints of the same organisation) would settle it"
            ),
            Self::TooFewFollowed {
                followed,
                needed,
                sprints,
            } => write!(
                f,
                "only {followed} experiments can be followed {sprints} sprints past the one they began in, and at least {needed} are needed to see whether the less influential half's experiments fade before they become candidates: more sprints would settle it"
            ),
            Self::CreditCaptured { captures } => credit_captured(f, captures),
            Self::NoOriginListed { variants } => write!(
                f,
                "{} no origin squad: {}",
                no_origin_entries(variants.len()),
                variants.join(", ")
            ),
            Self::Baselines {
                covered,
                with_health,
                sprints,
            } => baselines(f, *covered, *with_health, *sprints),
            Self::GiniWithin { within, checked } => write!(
                f,
                "capacity was spread evenly (gini within its threshold) in {within} of {checked} sprints"
            ),
            Self::CreditedOrigins {
                originating,
                squads,
            } => write!(
                f,
                "{originating} of {squads} squads were credited as origin of a candidate"
            ),
            Self::PackUnchanged { sprints } => write!(
                f,
                "the pack's policy digests did not change in {sprints} sprints"
            ),
            Self::PackChanged { digests, changes } => pack_changed(f, *digests, changes),
            Self::CreditMismatches { entries } => credit_mismatches(f, *entries),
            Self::CapturedCredit { variants } => captured_credit(f, *variants),
            Self::NoOrigin { entries } => {
                write!(f, "{} no origin squad", no_origin_entries(*entries))
            }
            Self::InformalTopups {
                informal,
                violations,
            } => informal_topups(f, *informal, *violations),
            Self::Untagged {
                share,
                within,
                checked,
            } => write!(
                f,
                "{} of exploration tokens over the series were untagged; untagged share within its threshold in {within} of {checked} sprints",
                percent(*share)
            ),
            Self::TopupsSpread { spread, checked } => write!(
                f,
                "top-ups were not concentrated in one squad (within the threshold) in {spread} of {checked} sprints"
            ),
            Self::TooFewTopups { grants, least } => write!(
                f,
                "{} over the series: too few to judge their concentration (at least {least})",
                count(*grants, "granted top-up")
            ),
            Self::TopupGrants { grants, largest } => topup_grants(f, *grants, largest.as_ref()),
        }
    }
}

/// `surfacing` needs every ranking to agree, so the sentence names all three.
fn surfacing(f: &mut fmt::Formatter<'_>, since: Option<&str>, n: usize) -> fmt::Result {
    write!(
        f,
        "surfacing{}: candidates came from across the organisation in proportion to its people, not mainly from the squads that already had the most capacity, the most beyond the allocation rule or the most people ({n} candidates)",
        since_words(since)
    )
}

fn entrenching(
    f: &mut fmt::Formatter<'_>,
    since: Option<&str>,
    n: usize,
    measure: InfluenceMeasure,
) -> fmt::Result {
    let who = match measure {
        InfluenceMeasure::Capacity => "the squads that already had the most capacity",
        InfluenceMeasure::Privilege => {
            "the squads already given the most capacity beyond the allocation rule"
        }
        InfluenceMeasure::Size => "the largest squads",
    };
    write!(
        f,
        "entrenching{}: candidates came mainly from {who} ({n} candidates)",
        since_words(since)
    )
}

/// What people are ranked by under `measure`, for the tiers' headings and keys: the
/// tiers are drawn under the ranking the answer rests on.
pub fn ranked_by(measure: InfluenceMeasure) -> &'static str {
    match measure {
        InfluenceMeasure::Capacity => {
            "their squad's capacity before each experiment began, credits left out"
        }
        InfluenceMeasure::Privilege => {
            "their squad's capacity beyond the allocation rule before each experiment began, credits left out"
        }
        InfluenceMeasure::Size => "their squad's headcount before each experiment began",
    }
}

fn since_words(since: Option<&str>) -> String {
    since.map(|s| format!(" since {s}")).unwrap_or_default()
}

fn credit_captured(f: &mut fmt::Formatter<'_>, captures: &[CreditCapture]) -> fmt::Result {
    let list: Vec<String> = captures
        .iter()
        .map(|c| {
            format!(
                "{} (explored by {} in {}, credited to {} in {})",
                c.variant, c.explored_by, c.explored_in, c.credited, c.credited_in
            )
        })
        .collect();
    write!(
        f,
        "credit captured: {} first explored by one squad and credited to another: {}",
        count(captures.len(), "variant"),
        list.join("; ")
    )
}

/// `1 catalog entry records`, `2 catalog entries record`.
fn no_origin_entries(n: usize) -> String {
    let entries = if n == 1 {
        "entry records"
    } else {
        "entries record"
    };
    format!("{n} catalog {entries}")
}

fn baselines(f: &mut fmt::Formatter<'_>, covered: usize, known: usize, n: usize) -> fmt::Result {
    if known == n {
        write!(f, "every squad had a baseline in {covered} of {n} sprints")
    } else {
        write!(
            f,
            "every squad had a baseline in {covered} of the {known} sprints (of {n}) with a health decision"
        )
    }
}

fn pack_changed(f: &mut fmt::Formatter<'_>, digests: usize, changes: &[PackChange]) -> fmt::Result {
    let files: Vec<String> = changes
        .iter()
        .map(|c| {
            let how = match (&c.from, &c.to) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            format!("{} {how} in {}", c.file, c.sprint)
        })
        .collect();
    write!(
        f,
        "the pack changed within the series ({digests} digests): {}",
        files.join(", ")
    )
}

fn informal_topups(f: &mut fmt::Formatter<'_>, informal: usize, violations: usize) -> fmt::Result {
    write!(
        f,
        "{} without an approver; {} {}",
        count(informal, "granted top-up"),
        count(violations, "top-up decision"),
        if violations == 1 {
            "was a violation"
        } else {
            "were violations"
        }
    )
}

fn credit_mismatches(f: &mut fmt::Formatter<'_>, entries: usize) -> fmt::Result {
    match entries {
        0 => f.write_str("every catalog entry records as origin the squad bursar credited"),
        1 => f.write_str("1 catalog entry records an origin other than the squad bursar credited"),
        n => write!(
            f,
            "{n} catalog entries record an origin other than the squad bursar credited"
        ),
    }
}

fn captured_credit(f: &mut fmt::Formatter<'_>, variants: usize) -> fmt::Result {
    match variants {
        0 => f.write_str("every candidate was credited to the squad that explored it first"),
        n => write!(
            f,
            "{n} {} credited to another squad than the one that explored it first",
            if n == 1 {
                "variant was"
            } else {
                "variants were"
            }
        ),
    }
}

fn topup_grants(
    f: &mut fmt::Formatter<'_>,
    grants: usize,
    largest: Option<&(f64, String)>,
) -> fmt::Result {
    let grants = count(grants, "granted top-up");
    match largest {
        Some((share, squad)) => write!(
            f,
            "{grants} over the series; the largest share, {squad}'s, is {} of their tokens",
            percent(*share)
        ),
        None => write!(f, "{grants} over the series"),
    }
}

/// In the JSON report a finding is its sentence, as the text report prints it.
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
