//! The snapshot's bytes: an indented outline with one record per line, every key and
//! value serialised by serde_json, runs streamed as they are drawn.
//!
//! The outline (which containers span lines) is written here rather than by a serde_json
//! `Formatter`: a formatter sees one token at a time, and the layout depends on what
//! follows (`sprint` stays on one line, `budgets` spans lines because it holds a list).
//! Records go through [`Spaced`], runs through `run_lines` (which says why); a million
//! runs never sit in memory.

use std::io::{self, Write};

use serde::Serialize;

use serde_json::ser::Formatter;

use super::groups::group;
use super::records::{
    BaselineRecord, CatalogRecord, GroupRecord, SprintRecord, SquadRecord, TopupRecord, id_width,
};
use super::run_lines::RunLines;
use super::runs::Runs;
use super::sprint::{self, date};
use super::world::World;

/// The version of the snapshot format written.
const SCHEMA_VERSION: u32 = 1;

/// Writes the snapshot of `world` with its runs, as runs or as `run_groups`.
pub(super) fn document(
    world: &World,
    runs: &Runs,
    groups: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut doc = Block::document(out)?;
    doc.field("schema_version", &SCHEMA_VERSION)?;
    doc.field("org", "acme")?;
    let start = date(world.start_days);
    let end = date(world.start_days + sprint::DAYS - 1);
    let sprint = SprintRecord {
        id: &world.sprint,
        start: &start,
        end: &end,
    };
    doc.field("sprint", &sprint)?;
    doc.field("currency", "USD")?;

    let mut squads = doc.array("squads")?;
    for s in &world.squads {
        squads.element(&SquadRecord::from(s))?;
    }
    squads.end()?;

    let mut budgets = doc.object("budgets")?;
    budgets.field("central_tokens", &world.central_tokens)?;
    let mut exploration = budgets.array("exploration")?;
    for baseline in world.squads.iter().filter_map(BaselineRecord::of) {
        exploration.element(&baseline)?;
    }
    exploration.end()?;
    budgets.end()?;

    let mut topups = doc.array("topups")?;
    for (i, t) in world.topups.iter().enumerate() {
        topups.element(&TopupRecord::new(world, i, t))?;
    }
    topups.end()?;

    let mut catalog = doc.array("catalog")?;
    for entry in world
        .variants
        .iter()
        .filter_map(|v| CatalogRecord::of(world, v))
    {
        catalog.element(&entry)?;
    }
    catalog.end()?;

    let width = id_width(runs.total());
    if groups {
        let mut list = doc.array("run_groups")?;
        for (key, g) in &group(runs) {
            list.element(&GroupRecord::new(world, width, key, g))?;
        }
        list.end()?;
    } else {
        let lines = RunLines::new(world, width);
        let mut list = doc.array("runs")?;
        let mut line = Vec::with_capacity(512);
        runs.for_each(|i, run| {
            line.clear();
            lines.push(&mut line, i, run);
            list.next()?.write_all(&line)
        })?;
        list.end()?;
    }
    doc.end()?;
    out.write_all(b"\n")
}

const INDENT: &[u8] = b"        ";

/// A JSON object or array laid out one entry per line, `depth` levels into the document.
struct Block<'o, W: Write> {
    out: &'o mut W,
    depth: usize,
    entries: usize,
    close: &'static [u8],
}

impl<'o, W: Write> Block<'o, W> {
    /// The document itself.
    fn document(out: &'o mut W) -> io::Result<Self> {
        Self::open(out, 0, b"{", b"}")
    }

    /// An object under `key` of this one, itself one entry per line.
    fn object(&mut self, key: &str) -> io::Result<Block<'_, W>> {
        let depth = self.depth + 1;
        Block::open(self.key(key)?, depth, b"{", b"}")
    }

    /// An array under `key` of this object, one element per line.
    fn array(&mut self, key: &str) -> io::Result<Block<'_, W>> {
        let depth = self.depth + 1;
        Block::open(self.key(key)?, depth, b"[", b"]")
    }

    fn open(out: &'o mut W, depth: usize, open: &[u8], close: &'static [u8]) -> io::Result<Self> {
        out.write_all(open)?;
        Ok(Self {
            out,
            depth,
            entries: 0,
            close,
        })
    }

    /// Starts the next entry on its own line, one level deeper.
    fn next(&mut self) -> io::Result<&mut W> {
        let separator: &[u8] = if self.entries == 0 { b"\n" } else { b",\n" };
        self.entries += 1;
        self.out.write_all(separator)?;
        self.out.write_all(&INDENT[..2 * (self.depth + 1)])?;
        Ok(self.out)
    }

    /// Starts an object's entry `"key": `, for its value to follow.
    fn key(&mut self, key: &str) -> io::Result<&mut W> {
        let out = self.next()?;
        serde_json::to_writer(&mut *out, key)?;
        out.write_all(b": ")?;
        Ok(out)
    }

    fn field(&mut self, key: &str, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
        let out = self.key(key)?;
        record(out, value)
    }

    fn element(&mut self, value: &impl Serialize) -> io::Result<()> {
        let out = self.next()?;
        record(out, value)
    }

    /// Closes the block: on its own line after entries, right after the bracket if none.
    fn end(self) -> io::Result<()> {
        if self.entries > 0 {
            self.out.write_all(b"\n")?;
            self.out.write_all(&INDENT[..2 * self.depth])?;
        }
        self.out.write_all(self.close)
    }
}

/// One value on one line.
fn record(out: &mut impl Write, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
    Ok(value.serialize(&mut serde_json::Serializer::with_formatter(out, Spaced))?)
}

/// How a record reads: serde_json's compact layout with a space after each `:` and `,`,
/// as people write JSON by hand.
struct Spaced;

impl Formatter for Spaced {
    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { out.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.begin_array_value(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spaced(value: &impl serde::Serialize) -> String {
        let mut text = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut text, Spaced,
            ))
            .unwrap();
        String::from_utf8(text).unwrap()
    }

    #[test]
    fn records_read_on_one_spaced_line() {
        let record = serde_json::json!({"id": "r-1", "tags": ["a", "b"], "none": null});
        assert_eq!(
            spaced(&record),
            r#"{"id": "r-1", "none": null, "tags": ["a", "b"]}"#
        );
    }
}
