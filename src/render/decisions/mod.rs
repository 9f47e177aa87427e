//! The decisions document's formats, one file each, all behind [`super::Format`]; and the
//! short summary of failing decisions `eval` prints to stderr when it exits 1.

pub mod failures;
pub mod github;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;
