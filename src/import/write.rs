//! The imported snapshot as bytes: the base's members as they were (a previous
//! `provenance` replaced), the base's runs then the imported ones sorted by id, one run
//! a line. The same inputs give the same bytes.

use std::io::{self, Write};

use serde_json::{Map, Value};

use super::run::Run;

/// Writes `base` with `runs` added and `provenance` set.
pub fn snapshot(
    out: &mut dyn Write,
    base: &Map<String, Value>,
    runs: &[Run],
    provenance: &Value,
) -> io::Result<()> {
    let mut members: Vec<(&str, Option<&Value>)> = base
        .iter()
        .filter(|(k, _)| *k != "provenance" && *k != "runs")
        .map(|(k, v)| (k.as_str(), Some(v)))
        .collect();
    members.push(("runs", None));
    members.push(("provenance", Some(provenance)));
    out.write_all(b"{\n")?;
    for (i, (key, value)) in members.iter().enumerate() {
        write!(out, "  {}: ", Value::from(*key))?;
        match value {
            Some(v) => serde_json::to_writer(&mut *out, v)?,
            None => write_runs(out, base.get("runs"), runs)?,
        }
        out.write_all(if i + 1 == members.len() {
            b"\n"
        } else {
            b",\n"
        })?;
    }
    out.write_all(b"}\n")
}

fn write_runs(out: &mut dyn Write, kept: Option<&Value>, runs: &[Run]) -> io::Result<()> {
    let kept: &[Value] = kept.and_then(Value::as_array).map_or(&[], Vec::as_slice);
    if kept.is_empty() && runs.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[\n")?;
    let total = kept.len() + runs.len();
    let mut n = 0;
    for run in kept {
        n += 1;
        out.write_all(b"    ")?;
        serde_json::to_writer(&mut *out, run)?;
        out.write_all(if n == total { b"\n" } else { b",\n" })?;
    }
    for run in runs {
        n += 1;
        out.write_all(b"    ")?;
        write_run(out, run)?;
        out.write_all(if n == total { b"\n" } else { b",\n" })?;
    }
    out.write_all(b"  ]")
}

fn write_run(out: &mut dyn Write, run: &Run) -> io::Result<()> {
    let text = |s: &str| Value::from(s).to_string();
    let nullable = |s: &Option<String>| s.as_deref().map_or("null".to_owned(), text);
    write!(
        out,
        "{{\"id\": {}, \"squad\": {}, \"workflow\": {}, \"variant\": {}, \"pool\": \"{}\", \
         \"input_tokens\": {}, \"output_tokens\": {}, \"cost\": {}, \"outcome\": \"{}\", \
         \"started_at\": {}}}",
        text(&run.id),
        text(&run.squad),
        nullable(&run.workflow),
        nullable(&run.variant),
        run.pool.as_str(),
        run.input_tokens,
        run.output_tokens,
        run.cost.json_number(),
        run.outcome.as_str(),
        text(&run.started_at),
    )
}
