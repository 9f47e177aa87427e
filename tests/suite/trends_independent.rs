//! Series built by hand here, with another shape than `gen --sprints`: ten squads of
//! random sizes, experiments whose originator is drawn at random (not in turn), influence
//! given by top-ups to squads picked at random (not the largest; in `concentrated`,
//! budgets stay even and only the largest squads' experiments last), experiments that
//! become candidates in one step, credits fed into the next baseline as the handbook's
//! allocation does, dates on the calendar (so series may run past 24 sprints). Every
//! scenario of the issue has a family here. If the answer were fitted to gen's
//! parameters, it would miss here.

use std::sync::Arc;

use bursar::Source;
use serde_json::{Value, json};

use crate::trends_rates::{Rates, answered, knob, report_of, since_index, text_of};

/// A tiny deterministic generator (not gen's).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Fair,
    /// Fair, and one documented, approved top-up every sprint, always to the same squad.
    FairTopups,
    Entrenched,
    /// Entrenched with nothing left to chance: only favoured squads originate, and only
    /// their experiments last.
    Extreme,
    /// Fair, then entrenched from this sprint on.
    Turning(usize),
    Capture,
    /// Fair, with about a third of the catalog entries promoted in the series recording
    /// no origin.
    NoOrigin,
    /// Budgets even by the rule and top-ups as in `Fair`, originators drawn by person;
    /// but only the largest (favoured) squads' experiments last, with a few others'.
    Concentrated,
    Short,
}

impl Kind {
    fn planted(self) -> &'static str {
        match self {
            Kind::Fair | Kind::FairTopups | Kind::Capture | Kind::NoOrigin => "surfacing",
            Kind::Entrenched | Kind::Extreme | Kind::Turning(_) | Kind::Concentrated => {
                "entrenching"
            }
            Kind::Short => "inconclusive",
        }
    }
    fn entrenched_at(self, k: usize) -> bool {
        match self {
            Kind::Entrenched | Kind::Extreme => true,
            Kind::Turning(t) => k >= t,
            _ => false,
        }
    }
}

struct Experiment {
    key: (String, String),
    origin: usize,
    start: usize,
    lasts: bool,
    captor: Option<usize>,
}

/// A series: its snapshots, its planted captures and its catalog entries planted without
/// an origin (both as `workflow/variant`).
type Built = (Vec<Source>, Vec<String>, Vec<String>);

/// A series of `sprints` sprints of `kind` in an organisation of ten squads.
fn build(kind: Kind, sprints: usize, seed: u64) -> Built {
    build_for(kind, sprints, Shape::new(10, 3), seed)
}

/// An organisation's shape: how many squads, how many of them favoured, and whether every
/// squad has the same headcount (8) instead of 2 to 15.
#[derive(Clone, Copy)]
struct Shape {
    squads: usize,
    favoured: usize,
    even: bool,
    /// Influence given as a larger baseline (half as much again) instead of top-ups.
    via_baseline: bool,
    /// New experiments a sprint: this many, or one more.
    experiments: u64,
}

impl Shape {
    /// `squads` squads of 2 to 15 people, `favoured` of them favoured.
    fn new(squads: usize, favoured: usize) -> Self {
        Shape {
            squads,
            favoured,
            even: false,
            via_baseline: false,
            experiments: 3,
        }
    }
}

/// The same in an organisation of `shape`.
fn build_for(kind: Kind, sprints: usize, shape: Shape, seed: u64) -> Built {
    let (n, few) = (shape.squads, shape.favoured);
    let mut rng = Lcg(seed * 7919 + 13);
    // Drawn even when `even`, so that the rest of the series draws the same numbers.
    let headcount: Vec<u64> = (0..n)
        .map(|_| 2 + rng.below(14))
        .map(|h| if shape.even { 8 } else { h })
        .collect();
    // Favoured squads: `few` picked at random, whatever their size.
    let mut favoured = Vec::new();
    while favoured.len() < few {
        let s = rng.below(n as u64) as usize;
        if !favoured.contains(&s) {
            favoured.push(s);
        }
    }
    if kind == Kind::Concentrated {
        // The largest, whoever the draw above favoured.
        let mut by_size: Vec<usize> = (0..n).collect();
        by_size.sort_by_key(|&i| std::cmp::Reverse(headcount[i]));
        favoured = by_size[..few].to_vec();
    }
    // Drawn only for its kind, so that the other kinds' series stay as they were.
    let documented = (kind == Kind::FairTopups).then(|| rng.below(n as u64) as usize);
    let extreme = kind == Kind::Extreme;
    let people: u64 = headcount.iter().sum();
    let mut credits = vec![0u64; n];
    let mut experiments: Vec<Experiment> = Vec::new();
    let mut catalog: Vec<(String, String, Option<usize>, usize)> = Vec::new();
    let mut sources = Vec::new();
    let mut captures = Vec::new();
    let mut bare = Vec::new();
    for k in 0..sprints {
        let entrenched = kind.entrenched_at(k);
        let squads: Vec<Value> = (0..n)
            .map(|i| json!({"id": format!("sq-{i:02}"), "headcount": headcount[i]}))
            .collect();
        let captured = |i: usize| shape.via_baseline && entrenched && favoured.contains(&i);
        let baseline: Vec<u64> = (0..n)
            .map(|i| (headcount[i] * 250_000).clamp(1_000_000, 4_000_000) + credits[i])
            .enumerate()
            .map(|(i, b)| if captured(i) { b + b / 2 } else { b })
            .collect();
        let exploration: Vec<Value> = (0..n)
            .map(|i| json!({"squad": format!("sq-{i:02}"), "baseline_tokens": baseline[i]}))
            .collect();
        let mut topups = Vec::new();
        for (t, &s) in favoured.iter().enumerate() {
            if (entrenched && !shape.via_baseline) || (!entrenched && rng.chance(10)) {
                topups.push(
                    json!({"id": format!("t{k}-{t}"), "squad": format!("sq-{s:02}"),
                    "tokens": baseline[s] / 2, "status": "granted", "reason": "critical-system",
                    "justification": "the quarterly close cannot slip this time",
                    "approved_by": "cfo"}),
                );
            }
        }
        if let Some(s) = documented {
            topups.push(json!({"id": format!("d{k}"), "squad": format!("sq-{s:02}"),
                "tokens": baseline[s] / 4, "status": "granted", "reason": "critical-system",
                "justification": "the migration off the old ledger needs a second pass",
                "approved_by": "cfo"}));
        }
        // New experiments: originators drawn by person, or mostly favoured when entrenched.
        for _ in 0..shape.experiments + rng.below(2) {
            let origin = if entrenched && (extreme || rng.chance(85)) {
                favoured[rng.below(few as u64) as usize]
            } else {
                let mut person = rng.below(people);
                let mut s = 0;
                while person >= headcount[s] {
                    person -= headcount[s];
                    s += 1;
                }
                s
            };
            let lasts = if entrenched || kind == Kind::Concentrated {
                favoured.contains(&origin) || (!extreme && rng.chance(10))
            } else {
                rng.chance(80)
            };
            let captor = (kind == Kind::Capture && lasts && rng.chance(25))
                .then(|| favoured[rng.below(few as u64) as usize])
                .filter(|&c| c != origin);
            let id = experiments.len();
            experiments.push(Experiment {
                key: (format!("fam-{}", id % 3), format!("X{id}")),
                origin,
                start: k,
                lasts,
                captor,
            });
        }
        let mut runs = Vec::new();
        let mut next_id = 0;
        let day = |d: u64| date(k as u64 * 14 + d);
        let mut run = |squad: usize, w: &str, v: &str, ok: bool, cost: f64, at: String| {
            next_id += 1;
            runs.push(
                json!({"id": format!("r{next_id}"), "squad": format!("sq-{squad:02}"),
                "workflow": w, "variant": v, "pool": "exploration", "input_tokens": 1000,
                "output_tokens": 500, "cost": cost, "outcome": if ok {"success"} else {"failure"},
                "started_at": at}),
            );
        };
        // Everyday work on the catalogued variant of each family.
        for f in 0..3 {
            for r in 0..12 {
                run(
                    r % n,
                    &format!("fam-{f}"),
                    "A",
                    true,
                    1.0,
                    format!("{}T10:00:00Z", day(2 + r as u64 % 9)),
                );
            }
        }
        let mut credited_now = vec![0u64; n];
        for e in &experiments {
            let (w, v) = (&e.key.0, &e.key.1);
            if e.start == k {
                run(e.origin, w, v, true, 0.9, format!("{}T02:30:00Z", day(1)));
                for r in 0..3 {
                    run(
                        e.origin,
                        w,
                        v,
                        rng.chance(70),
                        0.9,
                        format!("{}T11:00:00Z", day(3 + r)),
                    );
                }
            } else if e.start + 1 == k && e.lasts {
                let first = e.captor.unwrap_or(e.origin);
                let mut uses = vec![0u64; n];
                uses[first] += 1;
                run(first, w, v, true, 0.9, format!("{}T01:00:00Z", day(1)));
                for r in 0..11 {
                    let s = if r % 3 == 0 {
                        rng.below(n as u64) as usize
                    } else {
                        e.origin
                    };
                    uses[s] += 1;
                    run(s, w, v, true, 0.9, format!("{}T12:00:00Z", day(2 + r % 9)));
                }
                // The handbook's allocation: credit to the origin, co-credit to every other
                // squad with a quarter of the uses, both into the next baseline.
                credited_now[first] += 250_000;
                for (squad, &u) in uses.iter().enumerate() {
                    if squad != first && u * 4 >= 12 {
                        credited_now[squad] += 100_000;
                    }
                }
                let recorded = !(kind == Kind::NoOrigin && rng.chance(35));
                // An entry promoted after the last sprint is in no snapshot.
                if !recorded && k + 1 < sprints {
                    bare.push(format!("{w}/{v}"));
                }
                catalog.push((w.clone(), v.clone(), recorded.then_some(first), k + 1));
                if e.captor.is_some() {
                    captures.push(format!("{w}/{v}"));
                }
            }
        }
        let entries: Vec<Value> = std::iter::once(json!({"workflow": "fam-0", "variant": "A", "status": "standard", "origin_squad": "sq-00", "promoted_in": "2029-S01"}))
            .chain((1..3).map(|f| json!({"workflow": format!("fam-{f}"), "variant": "A", "status": "standard", "origin_squad": "sq-01", "promoted_in": "2029-S01"})))
            .chain(catalog.iter().filter(|c| c.3 <= k).map(|(w, v, o, p)| {
                json!({"workflow": w, "variant": v, "status": "standard",
                       "origin_squad": o.map(|o| format!("sq-{o:02}")), "promoted_in": format!("2030-S{:02}", p + 1)})
            }))
            .collect();
        let snapshot = json!({
            "schema_version": 1, "org": "independent",
            "sprint": {"id": format!("2030-S{:02}", k + 1), "start": day(0), "end": day(13)},
            "squads": squads,
            "budgets": {"central_tokens": 10_000_000, "exploration": exploration},
            "topups": topups, "catalog": entries, "runs": runs,
        });
        credits = credited_now;
        sources.push(Source::Bytes {
            origin: format!("independent-{k}.json"),
            bytes: Arc::from(serde_json::to_vec(&snapshot).unwrap()),
        });
    }
    (sources, captures, bare)
}

/// The calendar date `days` days after 2030-01-01 (years of 365 days until 2032, which
/// no series here reaches: 26 sprints of 14 days end in 2030-12).
fn date(days: u64) -> String {
    const MONTHS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut year, mut left) = (2030, days);
    while left >= 365 {
        (year, left) = (year + 1, left - 365);
    }
    let mut month = 0;
    while left >= MONTHS[month] {
        (month, left) = (month + 1, left - MONTHS[month]);
    }
    format!("{year}-{:02}-{:02}", month + 1, left + 1)
}

/// A family built here: its name and the kind of series for a seed.
type Family = (&'static str, fn(u64) -> Kind);

/// One line per family built here, over `seeds` seeds. The bench's `TRENDS_RATES_SQUADS`,
/// `TRENDS_RATES_FAVOURED`, `TRENDS_RATES_EVEN=1`, `TRENDS_RATES_SPRINTS` and
/// `TRENDS_RATES_TURN` build other organisations than the table's (10 squads of 2 to 15
/// people, 3 favoured, 14 sprints, turns at sprints 6 to 9); `TRENDS_RATES_EXPERIMENTS=N`
/// begins N or N + 1 experiments a sprint instead of 3 or 4 (sparser or denser evidence),
/// and `TRENDS_RATES_BASELINE=1` gives the favoured squads their influence as baselines
/// half as large again instead of top-ups.
pub fn independent_table(seeds: u64) -> Vec<(String, Rates)> {
    let families: [Family; 9] = [
        ("fair", |_| Kind::Fair),
        ("fair-topups", |_| Kind::FairTopups),
        ("entrenched", |_| Kind::Entrenched),
        ("extreme", |_| Kind::Extreme),
        ("concentrated", |_| Kind::Concentrated),
        ("turning", |seed| {
            Kind::Turning(knob("TRENDS_RATES_TURN", 6) + (seed % 4) as usize)
        }),
        ("capture", |_| Kind::Capture),
        ("no-origin", |_| Kind::NoOrigin),
        ("short", |_| Kind::Short),
    ];
    families
        .into_iter()
        .map(|(name, make)| {
            let mut rates = Rates::default();
            let first = crate::trends_rates::first_seed();
            for seed in first..first + seeds {
                let kind = make(seed);
                let sprints = match kind {
                    Kind::Short => 3,
                    _ => knob("TRENDS_RATES_SPRINTS", 14),
                };
                let squads = knob("TRENDS_RATES_SQUADS", 10);
                let shape = Shape {
                    squads,
                    favoured: knob("TRENDS_RATES_FAVOURED", 3),
                    even: knob("TRENDS_RATES_EVEN", 0) == 1,
                    via_baseline: knob("TRENDS_RATES_BASELINE", 0) == 1,
                    experiments: knob("TRENDS_RATES_EXPERIMENTS", 3),
                };
                let (sources, captures, bare) = build_for(kind, sprints, shape, seed);
                dump(name, seed, &sources);
                let report = report_of(&sources);
                let since = match kind {
                    Kind::Turning(t) => Some(t),
                    _ => None,
                };
                crate::trends_rates::detail(name, seed, kind.planted(), since, &report);
                rates.add(&report, kind.planted(), since, &captures, &bare);
            }
            (format!("independent {name}"), rates)
        })
        .collect()
}

/// With `TRENDS_RATES_DUMP=DIR`, writes each series' snapshots to DIR as
/// `<family>-<seed>-independent-<sprint>.json`, to read one with `bursar trends`.
fn dump(name: &str, seed: u64, sources: &[Source]) {
    let Ok(dir) = std::env::var("TRENDS_RATES_DUMP") else {
        return;
    };
    for source in sources {
        if let Source::Bytes { origin, bytes } = source {
            let path = std::path::Path::new(&dir).join(format!("{name}-{seed}-{origin}"));
            std::fs::write(&path, &bytes[..]).expect("TRENDS_RATES_DUMP is a writable folder");
        }
    }
}

/// Never the opposite answer and every planted capture listed on a few seeds per family
/// (`cargo bench --bench trends_rates` prints the full rates). `capture` seed 1 was once
/// called `entrenching since 2030-S06`: by chance its three largest squads originated 16
/// of the 18 candidates after sprint 5, and the part picked by the search for a turn
/// passed the gap's own test; a turn to `entrenching` now also needs the
/// search-corrected `late_entrenching` at 0.005 (standing and survival together).
#[test]
fn series_built_by_another_hand_never_get_the_opposite_answer() {
    let seeds = crate::trends_rates::TEST_SEEDS;
    let table = independent_table(seeds);
    let lines: Vec<String> = table.iter().map(|(n, r)| r.line(n)).collect();
    println!("built here, {seeds} seeds each\n{}", lines.join("\n"));
    for (name, r) in &table {
        assert_eq!(r.opposite, 0, "{}", r.line(name));
        assert_eq!(r.listed, r.planted, "{}", r.line(name));
    }
}

/// Fair series built here (`fair` seeds 9 and 43, `capture` seed 8) whose best split of
/// the candidates left a later part standing above random people (p = 0.006, 0.010 and
/// 0.002 under one measure, gap 0.34 to 0.40) with no change of course (p = 0.06 to
/// 0.27): the part was picked by searching, and it withheld `surfacing`. A later part now
/// withholds it only when the search-corrected scan also finds some latest part
/// entrenching at p < 0.02 (it stood at 0.024 to 0.13 here).
#[test]
fn a_later_part_picked_by_searching_needs_the_corrected_scan_to_withhold_surfacing() {
    for (kind, seed) in [(Kind::Fair, 9), (Kind::Fair, 43), (Kind::Capture, 8)] {
        assert_surfacing(kind, seed);
    }
}

/// `turning` series built here (seeds 33 and 60: top-ups to three squads picked at
/// random from sprints 7 and 6 of 14) whose whole series already looked entrenched by
/// capacity, while privilege located the turn (change p = 0.001): the answer rested on
/// capacity and said no `since`. An answer that located a turn is now preferred.
#[test]
fn the_ranking_that_located_a_turn_names_since() {
    for (seed, planted) in [(33, 7), (60, 6)] {
        assert_turn_located(seed, planted);
    }
}

/// `turning` series built here (seeds 7, 42 and 51: top-ups to three squads picked at
/// random from sprints 9, 8 and 9) whose turn privilege located with a change of course
/// at p = 0.003, 0.001 and 0.002, the part after it `entrenching` by its own figures,
/// while the search-corrected scan stood at 0.005, 0.014 and 0.008, short of the 0.005
/// a turn needs: `inconclusive`. After so strong a change a hint of the scan (p < 0.02)
/// backs the turn.
#[test]
fn a_strong_change_of_course_is_backed_by_a_hint_of_the_scan() {
    for (seed, planted) in [(7, 9), (42, 8), (51, 9)] {
        assert_turn_located(seed, planted);
    }
}

/// Fair series built here (`fair` seed 47, `capture` seed 3) whose squads' experiments
/// happened to reach the threshold unevenly (survival by squad at p = 0.004 to 0.009
/// under one ranking or another), with every figure of the answer fair: `surfacing` was
/// withheld. With size among the rankings, survival by squad withholds it only at
/// p < 0.002.
#[test]
fn survival_by_squad_by_chance_does_not_withhold_surfacing() {
    for (kind, seed) in [(Kind::Fair, 47), (Kind::Capture, 3)] {
        assert_surfacing(kind, seed);
    }
}

/// Fair series built here (`capture` seed 252, `no-origin` 203 and 229, found on seeds
/// 201 to 400) whose best split left a later part neither fair nor entrenched by its own
/// figures after a change of course (p = 0.005 to 0.047), with the search-corrected scan
/// hinting (0.008 to 0.019): `surfacing` was withheld. That clause was written for gen
/// `turning` seed 127, which the budgets' turn now answers; over 18,900 series of
/// thirteen runs of the bench it kept no series planted `entrenching` from `surfacing`,
/// and it is gone.
#[test]
fn a_later_part_merely_short_of_fair_does_not_withhold_surfacing() {
    for (kind, seed) in [(Kind::Capture, 252), (Kind::NoOrigin, 203)] {
        assert_surfacing(kind, seed);
    }
}

/// Fair series built here (`fair-topups` seed 19, `capture` seed 111): the latest part
/// the search-corrected scan pointed to (from sprint 6 and 4 of 14, the scan at
/// p = 0.0008 under privilege and 0.0002 under capacity) was `entrenching` by its own
/// figures, the part before it fair, and the answer was `entrenching`, the opposite.
/// Where the scan points now only names the sprint a series `entrenching` as a whole
/// turned; the later part still withholds `surfacing`.
#[test]
fn the_part_the_scan_points_to_does_not_turn_a_fair_series() {
    for (kind, seed) in [(Kind::FairTopups, 19), (Kind::Capture, 111)] {
        assert_verdict(kind, seed, "inconclusive");
    }
}

/// Fair series built here (`fair` seed 24, `fair-topups` seed 18) whose whole series was
/// fair under every ranking and no later part entrenched by its own figures, while the
/// search-corrected scan under privilege stood at 0.0044 and 0.0026: the scan alone
/// withheld `surfacing`, with no finding to say why. It backs turns and gates the later
/// part's signs; by itself it withholds nothing.
#[test]
fn the_scan_alone_does_not_withhold_surfacing() {
    for (kind, seed) in [(Kind::Fair, 24), (Kind::FairTopups, 18)] {
        assert_surfacing(kind, seed);
    }
}

/// An answer left `inconclusive` by a sign short of `entrenching` names the sign:
/// `fair-topups` seed 19, where the 20 candidates after the best split (from sprint 7,
/// by privilege) leaned the influential way at p = 0.001, and `fair` seed 173, where
/// the less influential half's experiments faded (0 of 2 against 27 of 34, p = 0.044).
/// Before, the report gave the figures and what more data would settle it, not why, and
/// for 173 asked for about 1,437 more candidates to move an access (0.66) that already
/// stood on the fair side: more sprints show whether the sign holds.
#[test]
fn an_answer_left_open_by_a_sign_names_it() {
    let later = text_of(&assert_verdict(Kind::FairTopups, 19, "inconclusive"));
    assert!(
        later.contains(
            "since 2030-S07, where the series split best, leaned toward the most influential squads"
        ),
        "{later}"
    );
    let fading = text_of(&assert_verdict(Kind::Fair, 173, "inconclusive"));
    assert!(
        fading.contains("experiments became candidates at 0.00 of the other half's rate"),
        "{fading}"
    );
    for text in [&later, &fading] {
        assert!(
            text.contains("would show whether the sign above holds"),
            "{text}"
        );
        assert!(!text.contains("more candidates (more sprints"), "{text}");
    }
}

/// Series built here entrenched from their first sprint (`entrenched` seeds 166, 189
/// and 190) were called `entrenching since 2030-S03`: the part the scan pointed to left
/// a part before it of a few candidates short of any verdict. The scan's part names a
/// turn only from a part before it `surfacing` by its own figures.
#[test]
fn a_series_entrenched_from_the_start_names_no_turn_where_the_scan_points() {
    for seed in [166, 189, 190] {
        let report = assert_verdict(Kind::Entrenched, seed, "entrenching");
        assert_eq!(since_index(&report), None, "seed {seed}");
    }
}

/// `turning` series built here (seeds 63 and 227: top-ups to three squads picked at
/// random from sprint 9 of 14), found on seeds 61 to 400, which the method was not tuned
/// on. In seed 63 privilege located the turn at sprint 9 (change of course p = 0.001),
/// the 10 candidates after it `entrenching` by their own figures (gap 0.52, access
/// 0.29), while the search-corrected scan stood at 0.03, short of the hint the later
/// part needed: both were called `surfacing`, the opposite. A strong change of course to
/// an entrenching part withheld `surfacing` on its own (without the scan it backs no
/// `entrenching`), and the answer was `inconclusive`. The top-ups stepped the budgets
/// away from the rule at sprint 9: the part from that step, fixed by the budgets rather
/// than searched for, is `entrenching` by its own figures, and the turn is taken there.
#[test]
fn a_strong_change_to_an_entrenching_part_withholds_surfacing() {
    for seed in [63, 227] {
        assert_turn_located(seed, 9);
    }
}

/// `turning` series built here in other shapes than the table's, found with the bench's
/// shape knobs on seeds 401 to 500: six squads (seed 407, turned at sprint 9 of 14) and
/// twenty sprints (seed 475, turned at 15). Privilege located each turn at p = 0.002 and
/// 0.003 (counting the search), the 8 candidates after it standing above random people
/// past the margin (gap 0.44 and 0.36), too few to be `entrenching` by their own
/// figures, with the scan at 0.040 and 0.031: both were called `surfacing`, the
/// opposite. After a strong change of course, a later part gathering past the margin
/// now withholds it.
#[test]
fn a_strong_change_to_a_part_gathering_past_the_margin_withholds_surfacing() {
    for (squads, sprints, seed, turn) in [(6, 14, 407, 9), (10, 20, 475, 15)] {
        let (sources, ..) = build_for(Kind::Turning(turn), sprints, Shape::new(squads, 3), seed);
        answered(&sources, seed, "inconclusive");
    }
}

/// `turning` series built here with six squads, three favoured (seeds 426 and 459,
/// turned at sprints 8 and 9 of 14; found on seeds 401 to 500): under privilege the best
/// split left a later part gathering past the margin (gap 0.37 and 0.45, p = 0.008 and
/// 0.007) with no change of course (p = 0.33 and 0.14) and the search-corrected scan
/// hinting (0.018 and 0.011), the whole fair-looking under every ranking. That part
/// withholds `surfacing`; without it both are called `surfacing`, the opposite. No test
/// pinned this clause until this one: over the default tables the others answer every
/// series it catches.
#[test]
fn a_later_part_gathering_past_the_margin_with_the_scan_hinting_withholds_surfacing() {
    for (seed, turn) in [(426, 8), (459, 9)] {
        let (sources, ..) = build_for(Kind::Turning(turn), 14, Shape::new(6, 3), seed);
        answered(&sources, seed, "inconclusive");
    }
}

/// `turning` series built here in other shapes, turned at sprint 9 of 14: six squads
/// with two favoured (seed 483, found on seeds 401 to 500) and twenty squads with five
/// (seed 519, on seeds 501 to 600, held out). Privilege located each turn (change of
/// course at p = 0.014 and 0.007), and the 12 or 13 candidates after it stood beyond
/// every resample (gap 0.50 and 0.49, p = 0.001), with the scan at 0.029 and 0.040,
/// short of its hint: both were called `surfacing`, the opposite. A later part that
/// strong withholds it while the scan is below 0.05; since the budgets' step fixes a
/// part of its own, the turn is taken where the top-ups began.
#[test]
fn a_later_part_beyond_every_resample_withholds_surfacing_after_a_change() {
    for ((squads, favoured), seed) in [((6, 2), 483), ((20, 5), 519)] {
        let shape = Shape::new(squads, favoured);
        let (sources, ..) = build_for(Kind::Turning(9), 14, shape, seed);
        let report = answered(&sources, seed, "entrenching");
        let at = since_index(&report).expect("a located turn");
        assert!(at.abs_diff(9) <= 2, "seed {seed}: since {at}");
    }
}

/// A `turning` series built here at the issue's density (two or three experiments a
/// sprint, seed 474, turned at sprint 8 of 14; found on seeds 401 to 700): privilege
/// located a change of course at p = 0.045 and the candidates after it stood beyond
/// every resample (gap 0.44, p = 0.001), the scan at 0.021, just short of its hint,
/// while the whole series looked fair under every ranking. With the budgets' turn now
/// answering 483 and 519 above, this is the series that shows the clause at work: without
/// it the answer is `surfacing`, the opposite.
#[test]
fn a_later_part_beyond_every_resample_withholds_surfacing_at_the_issue_density() {
    let issue_density = Shape {
        experiments: 2,
        ..Shape::new(10, 3)
    };
    let (sources, ..) = build_for(Kind::Turning(8), 14, issue_density, 474);
    answered(&sources, 474, "inconclusive");
}

/// A fair series built here with twenty squads, five favoured by chance top-ups (seed
/// 486), whose less influential half by privilege saw its experiments reach the
/// threshold at 0.43 of the other half's rate (p = 0.005), while its candidates stood
/// where random people would (gap -0.005, access 1.01): it was called `entrenching`,
/// the opposite. Fading now counts only while the candidates lean the influential way.
#[test]
fn fading_with_candidates_that_lean_no_way_is_no_entrenchment() {
    let (sources, ..) = build_for(Kind::Fair, 14, Shape::new(20, 5), 486);
    answered(&sources, 486, "inconclusive");
}

/// `concentrated` series built here in organisations of 16 squads of 8 people where only
/// four squads' experiments lasted (seeds 402 and 417): budgets and sizes even, so no
/// ranking tells the four apart, and 15 and 12 candidates standing where random people
/// would were called `surfacing`, the opposite. On fewer than 20 candidates, survival
/// differing by squad now withholds `surfacing` at p < 0.05.
#[test]
fn few_candidates_from_squads_whose_experiments_fare_unevenly_are_not_surfacing() {
    let shape = Shape {
        even: true,
        ..Shape::new(16, 4)
    };
    for seed in [402, 417] {
        let (sources, ..) = build_for(Kind::Concentrated, 14, shape, seed);
        answered(&sources, seed, "inconclusive");
    }
}

/// `turning` series built here of 10 sprints, turned at sprint 7 (seeds 403 and 443):
/// favoured squads began most explorations of the last three sprints, but an experiment
/// becomes a candidate a sprint after it begins, so only those of sprints 7 and 8 could
/// show the turn, too few for any test. The whole series looked fair and was called
/// `surfacing`, the opposite. Who began the explorations of the series' last third now
/// withholds it, and the report says why. Their p-values, 0.0007 and 0.00055, sit where
/// the 1,000 resamples of the other tests are a coin flip (seed 403 went past one of
/// them once its dates moved to the calendar): the test takes 20,000.
#[test]
fn explorations_of_the_last_sprints_gathering_withhold_surfacing() {
    assert_inconclusive_saying(
        Kind::Turning(7),
        10,
        Shape::new(10, 3),
        [403, 443],
        "explorations begun since 2030-S08 came mainly from the most influential squads",
    );
}

/// Fair series built here of four sprints (seeds 1 and 31) were called `surfacing` on 10
/// and 11 candidates, with no experiment followed long enough to see whether the less
/// influential half's faded. A short series should be `inconclusive`; `surfacing` now
/// needs 6 experiments followed 4 sprints, and the answer says more sprints would settle it.
#[test]
fn a_series_too_short_to_follow_its_experiments_is_not_surfacing() {
    assert_inconclusive_saying(
        Kind::Fair,
        4,
        Shape::new(10, 3),
        [1, 31],
        "only 0 experiments can be followed 4 sprints past the one they began in",
    );
}

/// Sparse `turning` series built here, one or two experiments begun a sprint and turned
/// at sprint 9 of 14 (seeds 407 and 427): 16 and 15 candidates, of which the few after
/// the turn showed nothing yet, and the whole series looked fair. They were called
/// `surfacing`, the opposite; a series now needs 20 candidates for `surfacing`.
#[test]
fn a_series_with_too_few_candidates_is_not_surfacing() {
    let sparse = Shape {
        experiments: 1,
        ..Shape::new(10, 3)
    };
    assert_inconclusive_saying(
        Kind::Turning(9),
        14,
        sparse,
        [407, 427],
        "candidates with a known originator, and at least 20 are needed to show that they come from across the organisation",
    );
}

/// Fair series built here with one documented top-up a sprint, two or three experiments
/// begun a sprint (seeds 421 and 441): 27 and 30 candidates whose less influential half
/// originated 0.43 and 0.39 of its share by capacity, at p = 0.003 and 0.005, while the
/// halves' experiments became candidates about as often. They were called `entrenching`,
/// the opposite; standing without survival to back it now needs p < 0.001.
#[test]
fn a_fair_series_leaning_on_standing_alone_is_not_entrenching() {
    let issue_density = Shape {
        experiments: 2,
        ..Shape::new(10, 3)
    };
    assert_inconclusive_saying(
        Kind::FairTopups,
        14,
        issue_density,
        [421, 441],
        "without survival to back it, where candidates stand calls the series entrenching only below p = 0.001",
    );
}

/// The series of `kind` and `sprints` sprints in an organisation of `shape` built from
/// each of `seeds` is answered `inconclusive`, and its text report says `words`.
fn assert_inconclusive_saying(
    kind: Kind,
    sprints: usize,
    shape: Shape,
    seeds: [u64; 2],
    words: &str,
) {
    for seed in seeds {
        let (sources, ..) = build_for(kind, sprints, shape, seed);
        let text = text_of(&answered(&sources, seed, "inconclusive"));
        assert!(text.contains(words), "seed {seed}: {text}");
    }
}

/// The series of `kind` built from `seed` is answered `surfacing`, and the text report's
/// answer says no ranking found the candidates gathering (it takes all three).
fn assert_surfacing(kind: Kind, seed: u64) {
    let report = assert_verdict(kind, seed, "surfacing");
    let text = text_of(&report);
    assert!(
        text.contains("not mainly from the squads that already had the most capacity, the most beyond the allocation rule or the most people"),
        "seed {seed}: {text}"
    );
}

/// The series of `kind` built from `seed` is answered `verdict`; its report.
fn assert_verdict(kind: Kind, seed: u64, verdict: &str) -> bursar::TrendsReport {
    answered(&build(kind, 14, seed).0, seed, verdict)
}

/// The `turning` series built from `seed`, turned at sprint `planted`, is answered
/// `entrenching` with `since` within two sprints of the turn.
fn assert_turn_located(seed: u64, planted: usize) {
    let report = assert_verdict(Kind::Turning(planted), seed, "entrenching");
    let at = since_index(&report).expect("a located turn");
    assert!(at.abs_diff(planted) <= 2, "seed {seed}: since {at}");
}
