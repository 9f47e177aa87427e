//! `bursar import` streaming: a file of 1,000,000 spans (100,000 agent runs of one agent
//! span and nine model calls, batched 512 spans a line as the SDK's batch processor
//! writes them), imported in time and peak heap, against reading the same file once,
//! line by line, measured in the same run.
//!
//! `cargo bench --bench import` (`IMPORT_BENCH_SPANS=N` for another size).

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts bytes held and their peak since the last reset.
struct Peak;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Peak {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Peak = Peak;

/// Peak heap above what was held when the measure started.
fn measure<T>(f: impl FnOnce() -> T) -> (T, f64, usize) {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let out = f();
    let secs = start.elapsed().as_secs_f64();
    (
        out,
        secs,
        PEAK.load(Ordering::Relaxed).saturating_sub(before),
    )
}

const T0: u64 = 1_794_823_200_000_000_000;
const PER_LINE: usize = 512;

fn span(trace: usize, i: usize, out: &mut String) {
    use std::fmt::Write;
    let start = T0 + (trace as u64) * 1_000_000_000 + i as u64;
    let (parent, attrs) = if i == 0 {
        (
            String::new(),
            r#"{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.agent.name","value":{"stringValue":"bugfix-triage"}},{"key":"gen_ai.agent.version","value":{"stringValue":"A"}}"#.to_owned(),
        )
    } else {
        (
            format!(r#""parentSpanId":"{:016x}","#, trace * 16 + 1),
            format!(
                r#"{{"key":"gen_ai.operation.name","value":{{"stringValue":"chat"}}}},{{"key":"gen_ai.request.model","value":{{"stringValue":"gpt-4o"}}}},{{"key":"gen_ai.usage.input_tokens","value":{{"intValue":"{}"}}}},{{"key":"gen_ai.usage.output_tokens","value":{{"intValue":"{}"}}}}"#,
                100 + i,
                20 + i
            ),
        )
    };
    let _ = write!(
        out,
        r#"{{"traceId":"{:032x}","spanId":"{:016x}",{parent}"flags":256,"name":"span {i}","kind":1,"startTimeUnixNano":"{start}","endTimeUnixNano":"{}","attributes":[{attrs}],"status":{{}}}}"#,
        trace + 1,
        trace * 16 + 1 + i,
        start + 1000,
    );
}

fn write_file(path: &std::path::Path, spans: usize) -> u64 {
    let mut out = BufWriter::new(File::create(path).unwrap());
    let head = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"agents"}},{"key":"team.id","value":{"stringValue":"payments"}}]},"scopeSpans":[{"scope":{"name":"bench","version":"1.0"},"spans":["#;
    let mut line = String::new();
    let mut n = 0;
    while n < spans {
        line.clear();
        line.push_str(head);
        for k in 0..PER_LINE.min(spans - n) {
            if k > 0 {
                line.push(',');
            }
            let global = n + k;
            span(global / 10, global % 10, &mut line);
        }
        line.push_str("]}]}]}\n");
        out.write_all(line.as_bytes()).unwrap();
        n += PER_LINE;
    }
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn main() {
    let spans: usize = std::env::var("IMPORT_BENCH_SPANS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spans.jsonl");
    let size = write_file(&path, spans);
    let base_text = std::fs::read("examples/import/base.json").unwrap();
    let base = bursar::parse_snapshot(&base_text, "base.json").unwrap();
    let mapping = bursar::parse_mapping(
        "[prices.\"gpt-4o\"]\ninput = 2.5\noutput = 10\n",
        "map.toml",
    )
    .unwrap();

    let (lines, read_secs, read_peak) = measure(|| {
        let mut reader = BufReader::with_capacity(1 << 20, File::open(&path).unwrap());
        let (mut line, mut count) = (Vec::new(), 0u64);
        while reader.read_until(b'\n', &mut line).unwrap() > 0 {
            count += 1;
            line.clear();
        }
        count
    });
    let (bytes, import_secs, import_peak) = measure(|| {
        let mut importer = bursar::Importer::new(&base.snapshot, &mapping);
        let reader = BufReader::with_capacity(1 << 20, File::open(&path).unwrap());
        importer.read_otlp("spans.jsonl", reader).unwrap();
        let imported = importer.finish().unwrap();
        let base_map = serde_json::from_slice(&base_text).unwrap();
        let provenance = bursar::import_provenance(&base.sha256, None, &imported.sources);
        let mut out = Vec::new();
        bursar::write_imported(&mut out, &base_map, &imported.runs, &provenance).unwrap();
        assert_eq!(imported.runs.len(), spans.div_ceil(10));
        out.len()
    });
    println!(
        "import: {spans} spans, {lines} lines, file {:.1} MiB",
        mib(size)
    );
    println!(
        "  read once, line by line: {read_secs:>7.2} s  peak heap {:>8.1} MiB",
        mib(read_peak as u64)
    );
    println!(
        "  import (to {:.1} MiB):   {import_secs:>7.2} s  peak heap {:>8.1} MiB ({:.2} x the file, {:.1} x the read)",
        mib(bytes as u64),
        mib(import_peak as u64),
        import_peak as f64 / size as f64,
        import_secs / read_secs
    );
}
