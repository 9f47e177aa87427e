//! The trends answer's rates: for every `gen --sprints` scenario and every family of
//! series built by another hand (`tests/suite/trends_independent.rs`), over 20 seeds, how
//! often the answer is the planted one, how often the opposite, how often `since` lands
//! within two sprints of a planted turn, and how many planted captures and bare catalog
//! entries are listed. Run from the repository root: `cargo bench --bench trends_rates`
//! (`TRENDS_RATES_OFFSET=N` starts at seed N + 1, `TRENDS_RATES_SEEDS=N` runs N seeds;
//! `TRENDS_RATES_SQUADS`, `_FAVOURED`, `_EVEN=1`, `_SPRINTS`, `_TURN` and `_GEN_SQUADS`
//! change the organisations' shape, `_EXPERIMENTS` and `_BASELINE=1` the independent
//! series' evidence and where their influence shows, `TRENDS_RATES_ONLY=gen` or
//! `=independent` runs one table; `TRENDS_RATES_DETAIL=1` prints every series' figures
//! and `TRENDS_RATES_DUMP=DIR` writes the independent series' snapshots).
//! Exits 1 when a scenario falls below the bar (19 in 20 right, never the opposite).

#![allow(dead_code)] // the test-only helpers of the included files

#[path = "../tests/suite/trends_rates.rs"]
mod trends_rates;

#[path = "../tests/suite/trends_independent.rs"]
mod trends_independent;

fn main() {
    let seeds = trends_rates::report_seeds();
    // `TRENDS_RATES_ONLY=gen` or `=independent` runs one of the two tables.
    let only = std::env::var("TRENDS_RATES_ONLY").ok();
    let runs = |table: &str| only.as_deref().is_none_or(|o| o == table);
    let mut held = true;
    let mut tables = Vec::new();
    if runs("gen") {
        tables.push(("gen --sprints", trends_rates::gen_table(seeds)));
    }
    if runs("independent") {
        let table = trends_independent::independent_table(seeds);
        tables.push(("built by another hand", table));
    }
    for (title, table) in tables {
        println!("{title}, {seeds} seeds each");
        for (name, rates) in &table {
            let mark = if rates.holds() {
                ""
            } else {
                "  <- below the bar"
            };
            println!("{}{mark}", rates.line(name));
            held &= rates.holds();
        }
    }
    if !held {
        std::process::exit(1);
    }
}
