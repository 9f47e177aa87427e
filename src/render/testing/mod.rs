//! The policy test report (`bursar test`) as text and JUnit, and its coverage as text;
//! JSON is the shared `render::json`.

pub mod coverage;
pub mod junit;
pub mod text;
