//! The one test binary: data-driven cases, rendered output snapshots, properties.
