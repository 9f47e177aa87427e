//! The trends report as text for a terminal and as the HTML dashboard, with the inline
//! SVG charts the dashboard draws; JSON is the shared `render::json`.

pub mod dashboard;
mod dashboard_answer;
mod dashboard_sections;
mod dashboard_tables;
mod findings;
pub mod svg;
pub mod text;

// The dashboard's files reach the shared trait as `super::emitter`.
use super::emitter;
