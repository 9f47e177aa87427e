//! Runs written by hand, one line each, rather than through serde_json like the rest.
//!
//! Why: at a million runs, serialising each run through serde_json (a derived `Serialize`
//! record and the spaced formatter of `write`) took 0.35 to 0.45 s of CPU against 0.14
//! to 0.18 s here (release build, output to /dev/null), about 2.5 times as long: serde_json
//! escapes every key and name of every run, a quarter of its time. This writer splices
//! names that serde_json escaped once per squad and variant, and writes numbers, costs
//! and instants from integers. The pinned digests in the test suite hold it to the bytes.

use super::digits::push_padded;
use super::records::RunId;
use super::runs::Run;
use super::world::World;
use crate::snapshot::Pool;

/// A world's run lines, with its names escaped once.
pub(super) struct RunLines {
    /// Per squad: `"squad": "<id>", `.
    squads: Vec<Vec<u8>>,
    /// Per variant: `"workflow": "<family>", "variant": "<name>", `.
    tags: Vec<Vec<u8>>,
    /// Digits in a run id.
    width: usize,
}

/// `s` as a JSON string.
fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

impl RunLines {
    pub(super) fn new(world: &World, width: usize) -> Self {
        let squads = world
            .squads
            .iter()
            .map(|s| format!("\"squad\": {}, ", json_str(&s.id)).into_bytes());
        let tags = world.variants.iter().map(|v| {
            let family = &world.families[v.family].name;
            format!(
                "\"workflow\": {}, \"variant\": {}, ",
                json_str(family),
                json_str(&v.name)
            )
            .into_bytes()
        });
        Self {
            squads: squads.collect(),
            tags: tags.collect(),
            width,
        }
    }

    /// Appends run `index` (from 0) as one JSON object, as the spaced formatter writes it.
    pub(super) fn push(&self, line: &mut Vec<u8>, index: u64, run: &Run) {
        line.extend_from_slice(b"{\"id\": \"");
        RunId::new(index, self.width).push(line);
        line.extend_from_slice(b"\", ");
        line.extend_from_slice(&self.squads[run.squad]);
        match run.variant {
            Some(v) => line.extend_from_slice(&self.tags[v]),
            None => line.extend_from_slice(b"\"workflow\": null, \"variant\": null, "),
        }
        line.extend_from_slice(match run.pool {
            Pool::Central => b"\"pool\": \"central\", ",
            Pool::Exploration => b"\"pool\": \"exploration\", ",
        });
        line.extend_from_slice(b"\"input_tokens\": ");
        push_padded(line, run.input_tokens, 1);
        line.extend_from_slice(b", \"output_tokens\": ");
        push_padded(line, run.output_tokens, 1);
        line.extend_from_slice(b", \"cost\": ");
        push_cost(line, run.cost_e4);
        line.extend_from_slice(b", \"outcome\": \"");
        line.extend_from_slice(run.outcome.as_str().as_bytes());
        line.extend_from_slice(b"\", \"started_at\": \"");
        run.started.push(line);
        line.extend_from_slice(b"\"}");
    }
}

/// `2.73`, `2.70`, `0.971`, `3.3331`: at least two decimals, at most four, exact.
fn push_cost(line: &mut Vec<u8>, cost_e4: u64) {
    push_padded(line, cost_e4 / 10_000, 1);
    line.push(b'.');
    let mut frac = cost_e4 % 10_000;
    let mut digits = 4;
    while digits > 2 && frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    push_padded(line, frac, digits);
}

#[cfg(test)]
mod tests {
    use super::super::options::Options;
    use super::super::runs::Runs;
    use super::super::sprint::SprintId;
    use super::*;

    /// serde_json reads each line back as the run it was written from.
    #[test]
    fn each_line_is_the_json_of_its_run() {
        let options = Options {
            runs: 3000,
            squads: 30,
            ..Options::default()
        };
        let world = World::new(&options, SprintId::parse(&options.sprint).unwrap());
        let runs = Runs::new(&world, &options);
        let lines = RunLines::new(&world, 7);
        let mut line = Vec::new();
        let mut untagged = 0;
        let read: Result<(), String> = runs.for_each(|i, run| {
            line.clear();
            lines.push(&mut line, i, run);
            let got: serde_json::Value =
                serde_json::from_slice(&line).map_err(|e| e.to_string())?;
            let (workflow, variant) = match run.variant {
                Some(v) => {
                    let v = &world.variants[v];
                    (
                        Some(world.families[v.family].name.as_str()),
                        Some(v.name.as_str()),
                    )
                }
                None => {
                    untagged += 1;
                    (None, None)
                }
            };
            let mut started = Vec::new();
            run.started.push(&mut started);
            let want = serde_json::json!({
                "id": format!("r-{:07}", i + 1),
                "squad": world.squads[run.squad].id,
                "workflow": workflow,
                "variant": variant,
                "pool": run.pool.as_str(),
                "input_tokens": run.input_tokens,
                "output_tokens": run.output_tokens,
                "cost": run.cost_e4 as f64 / 10_000.0,
                "outcome": run.outcome.as_str(),
                "started_at": String::from_utf8(started).unwrap(),
            });
            if got == want {
                Ok(())
            } else {
                Err(format!("{}\nwant {want}", String::from_utf8_lossy(&line)))
            }
        });
        read.unwrap();
        assert!(untagged > 0, "untagged runs are covered");
    }

    #[test]
    fn written_costs_are_exact_micro_units() {
        for cost_e4 in (0..200_000).chain(99_990_000..100_000_000) {
            let mut text = Vec::new();
            push_cost(&mut text, cost_e4);
            let text = std::str::from_utf8(&text).unwrap();
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            assert!((2..=4).contains(&decimals), "{text}");
            let parsed: f64 = text.parse().unwrap();
            assert_eq!(
                crate::money::to_micros(parsed),
                Some(cost_e4 as i64 * 100),
                "{text}"
            );
        }
    }
}
