//! The diff report (`bursar diff`) as text and Markdown; the text file's line builders
//! also serve `impact` and `verify`, which list differences the same way.

pub mod markdown;
pub mod text;
