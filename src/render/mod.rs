//! Pixel work: surfaces and images into RGBA buffers for one putImageData.

mod colormap;
mod heatmap;

pub use colormap::ColorMap;
pub use heatmap::{Heatmap, HeatmapStats, MAX_SIDE};
mod chart;

pub use chart::{draw_line_chart, format_tick, ChartSpec, Series};
