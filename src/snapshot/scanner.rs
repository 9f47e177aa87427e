//! The streaming loader's reader: a minimal JSON structure scanner over a sliding window
//! of the input, which hands each top-level section and each run to serde whole.

use std::io::Read;

use serde::Deserialize;
use serde::de::DeserializeSeed;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::duplicates;
use super::extent::{Extent, advance, extent};
use super::raw::{RawGroup, RawRun};
use crate::problem::Problem;

/// Why the fast path gave up, or what it found wrong.
#[derive(Debug)]
pub enum Fallback {
    /// The file could not be read.
    Io(std::io::Error),
    /// Something the fast path does not vouch for: let the complete path judge it.
    Unusual,
    /// Every problem the tree loader would report, in its words and order: the fast path
    /// read the whole document and judged each record it refused where it stood.
    Located(Vec<Problem>),
    /// As `Unusual`, with the problems located so far: where the complete path cannot
    /// run (the memory budget), these still say where to look.
    Partial(Vec<Problem>),
}

/// A record of `runs` or `run_groups` the fast path refused: whole JSON, so its own
/// problems can be listed without a tree of the document.
pub struct Refused<'t> {
    /// `runs` or `run_groups`.
    pub array: &'static str,
    pub index: usize,
    pub value: Value,
    /// The record's text, from its first byte to its last.
    pub text: &'t str,
    /// The 1-based line and column in the document of a byte offset in `text`.
    pub at: &'t dyn Fn(usize) -> (usize, usize),
}

/// Bytes read from the file at a time.
pub const CHUNK: usize = 1 << 20;

/// A minimal JSON structure scanner over a sliding window of the file. It finds where
/// each top-level value and each run ends, then hands exactly those bytes to
/// `serde_json::from_slice`, which is several times faster than parsing from a reader
/// byte by byte, while the window keeps memory to a few chunks.
pub struct Scanner<'p> {
    chunks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    buf: Vec<u8>,
    pos: usize,
    /// `buf[..valid]` is known to be UTF-8 and ends on a character boundary.
    valid: usize,
    eof: bool,
    read: u64,
    size: u64,
    progress: &'p mut dyn FnMut(u64, u64),
    /// Newlines before `buf[0]`, and characters since the last of them: what a located
    /// message needs of the bytes no longer in the window.
    lines: usize,
    column: usize,
}

/// Reads the input in chunks, hashing them, and sends them on; returns the digest, or
/// `None` when the parser stopped listening before the end.
pub fn read_and_hash(
    mut reader: impl Read,
    tx: &std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>,
) -> Option<String> {
    let mut hasher = Sha256::new();
    loop {
        let mut chunk = vec![0; CHUNK];
        let n = loop {
            match reader.read(&mut chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return None;
                }
            }
        };
        chunk.truncate(n);
        hasher.update(&chunk);
        tx.send(Ok(chunk)).ok()?;
        if n == 0 {
            return Some(crate::digest::hex(&hasher.finalize()));
        }
    }
}

pub type Scan<T> = Result<T, Fallback>;

impl<'p> Scanner<'p> {
    /// A scanner over the chunks another thread reads; `size` is only for progress.
    pub fn new(
        chunks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
        size: u64,
        progress: &'p mut dyn FnMut(u64, u64),
    ) -> Self {
        Self {
            chunks,
            buf: Vec::with_capacity(CHUNK * 2),
            pos: 0,
            valid: 0,
            eof: false,
            read: 0,
            size,
            progress,
            lines: 0,
            column: 0,
        }
    }

    /// The 1-based line and column (in characters) of `buf[offset]` in the document.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let (mut lines, mut column) = (self.lines, self.column);
        advance(
            &mut lines,
            &mut column,
            &self.buf[..offset.min(self.buf.len())],
        );
        (lines + 1, column + 1)
    }

    /// Appends the next chunk; drops what was consumed first, so the window stays small.
    fn fill(&mut self) -> Scan<()> {
        if self.pos > 0 {
            advance(&mut self.lines, &mut self.column, &self.buf[..self.pos]);
            self.buf.drain(..self.pos);
            self.valid -= self.pos;
            self.pos = 0;
        }
        let chunk = match self.chunks.recv() {
            Ok(Ok(chunk)) => chunk,
            Ok(Err(e)) => return Err(Fallback::Io(e)),
            Err(_) => return Err(Fallback::Unusual),
        };
        self.eof = chunk.is_empty();
        self.read += chunk.len() as u64;
        (self.progress)(self.read, self.size);
        if self.buf.is_empty() {
            self.buf = chunk;
        } else {
            self.buf.extend_from_slice(&chunk);
        }
        // Validated once here, so runs can be parsed from `&str` without serde checking
        // every string again. A character cut by the chunk's end waits for the next one.
        match std::str::from_utf8(&self.buf[self.valid..]) {
            Ok(_) => self.valid = self.buf.len(),
            Err(e) if e.error_len().is_none() && !self.eof => self.valid += e.valid_up_to(),
            Err(_) => return Err(Fallback::Unusual),
        }
        Ok(())
    }

    /// The validated text from the current position.
    fn text(&self) -> &str {
        let bytes = &self.buf[self.pos..self.valid];
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        // SAFETY: `fill` checked `buf[..valid]` is UTF-8 ending on a character boundary,
        // and `pos` only moves past whole JSON values and ASCII separators, so it sits on
        // a character boundary too.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// The next non-whitespace byte, without consuming it; `None` at the end.
    fn peek(&mut self) -> Scan<Option<u8>> {
        loop {
            while let Some(&b) = self.buf.get(self.pos) {
                match b {
                    b' ' | b'\n' | b'\r' | b'\t' => self.pos += 1,
                    _ => return Ok(Some(b)),
                }
            }
            if self.eof {
                return Ok(None);
            }
            self.fill()?;
        }
    }

    fn expect(&mut self, byte: u8) -> Scan<()> {
        if self.peek()? == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Fallback::Unusual)
        }
    }

    /// The bytes of the next value, read in whole.
    fn value(&mut self) -> Scan<std::ops::Range<usize>> {
        if self.peek()?.is_none() {
            return Err(Fallback::Unusual);
        }
        loop {
            match extent(&self.buf[self.pos..], self.eof) {
                Extent::Complete(n) => {
                    let range = self.pos..self.pos + n;
                    self.pos += n;
                    return Ok(range);
                }
                Extent::NeedMore if self.eof => return Err(Fallback::Unusual),
                // `fill` keeps the unread bytes, so the value still starts at `pos`.
                Extent::NeedMore => self.fill()?,
            }
        }
    }

    fn parse<'de, T: DeserializeSeed<'de>>(bytes: &'de [u8], seed: T) -> Scan<T::Value> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = seed.deserialize(&mut de).map_err(|_| Fallback::Unusual)?;
        de.end().map_err(|_| Fallback::Unusual)?;
        Ok(value)
    }

    /// The whole document: `runs` and `run_groups` streamed into `sink` one record at a
    /// time, every other (small) section returned as a tree.
    pub fn document(&mut self, sink: &mut impl Sink) -> Scan<Map<String, Value>> {
        self.fill()?;
        if self.buf.starts_with(b"\xEF\xBB\xBF") {
            // Not part of the text the tree loader locates problems in.
            self.buf.drain(..3);
            self.valid -= 3;
        }
        self.expect(b'{')?;
        let mut rest = Map::new();
        if self.peek()? == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                let key = self.value()?;
                let key: String = Self::parse(&self.buf[key], std::marker::PhantomData)?;
                self.expect(b':')?;
                if key == "runs" || key == "run_groups" {
                    if rest.contains_key(&key) {
                        return Err(Fallback::Unusual);
                    }
                    let mut at = At::default();
                    if key == "runs" {
                        self.array(|text, place| {
                            at.one(text, place, "runs", sink, |s, run| s.run(run))
                        })?;
                    } else {
                        self.array(|text, place| {
                            at.one(text, place, "run_groups", sink, |s, g| s.group(g))
                        })?;
                    }
                    // The schema sees an empty list; the records were checked here.
                    rest.insert(key, Value::Array(Vec::new()));
                } else {
                    let range = self.value()?;
                    let value: Value =
                        Self::parse(&self.buf[range.clone()], std::marker::PhantomData)?;
                    // The tree keeps the last of a repeated key: the tree loader reports it.
                    if !duplicates::find(&self.buf[range], "", 1).is_empty() {
                        return Err(Fallback::Unusual);
                    }
                    if rest.insert(key, value).is_some() {
                        return Err(Fallback::Unusual);
                    }
                }
                match self.peek()? {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(Fallback::Unusual),
                }
            }
        }
        // Only whitespace may follow; it still belongs to the digest.
        if self.peek()?.is_some() {
            return Err(Fallback::Unusual);
        }
        Ok(rest)
    }

    /// An array read one element at a time: `one` parses an element at the start of the
    /// text and says how many bytes it took, or `None` when the window ends inside it.
    /// Never the whole array in the window: finding the end of a 200 MB array again
    /// after every chunk made `run_groups` load in time quadratic in its size.
    fn array(
        &mut self,
        mut one: impl FnMut(&str, &dyn Fn(usize) -> (usize, usize)) -> Scan<Option<usize>>,
    ) -> Scan<()> {
        self.expect(b'[')?;
        if self.peek()? == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            // An element cut by the window's end is parsed again once the next chunk is in.
            loop {
                let place = |k: usize| self.line_column(self.pos + k);
                match one(self.text(), &place)? {
                    Some(used) => {
                        self.pos += used;
                        break;
                    }
                    None if !self.eof => self.fill()?,
                    None => return Err(Fallback::Unusual),
                }
            }
            match self.peek()? {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Fallback::Unusual),
            }
        }
    }
}

/// Which record of an array is being read.
#[derive(Default)]
struct At {
    index: usize,
}

impl At {
    /// Parses one record at the start of `text` (serde finds its end) and hands it to
    /// `take`; one it or `take` refuses goes to the sink whole, with its place. The bytes
    /// it took, or `None` when the text ends inside it (or before it starts).
    fn one<'t, T: Deserialize<'t>, S: Sink>(
        &mut self,
        text: &'t str,
        place: &'t dyn Fn(usize) -> (usize, usize),
        array: &'static str,
        sink: &mut S,
        take: impl FnOnce(&mut S, T) -> Scan<()>,
    ) -> Scan<Option<usize>> {
        let mut records = serde_json::Deserializer::from_str(text).into_iter::<T>();
        match records.next() {
            Some(Ok(record)) => {
                let used = records.byte_offset();
                match take(sink, record) {
                    Ok(()) => {
                        self.index += 1;
                        return Ok(Some(used));
                    }
                    Err(Fallback::Unusual) => {}
                    Err(e) => return Err(e),
                }
            }
            Some(Err(e)) if e.is_eof() => return Ok(None),
            None => return Ok(None),
            Some(Err(_)) => {}
        }
        // Refused: read again as plain JSON, whose problems the sink can list. A record
        // refused before its end may be cut by the window: read once the rest is in.
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        let value = match values.next() {
            Some(Ok(value)) => value,
            Some(Err(e)) if e.is_eof() => return Ok(None),
            None => return Ok(None),
            Some(Err(_)) => return Err(Fallback::Unusual),
        };
        let used = values.byte_offset();
        // From the record's first byte: serde skipped the whitespace before it.
        let start = text.len() - text.trim_start().len();
        sink.refused(Refused {
            array,
            index: self.index,
            value,
            text: &text[start..used],
            at: &move |k| place(start + k),
        })?;
        self.index += 1;
        Ok(Some(used))
    }
}

/// Where the streamed records go.
pub trait Sink {
    fn run(&mut self, run: RawRun<'_>) -> Scan<()>;
    fn group(&mut self, group: RawGroup) -> Scan<()>;
    /// A record `run` or `group` refused, or serde could not read as one.
    fn refused(&mut self, record: Refused<'_>) -> Scan<()>;
}
