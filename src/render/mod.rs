//! Pixel work: surfaces, images, weights and feature maps into RGBA
//! buffers for one putImageData, and line charts through plotters.

mod chart;
mod colormap;
mod contour;
mod decision_map;
mod dots;
mod heatmap;
mod overlay;
mod tiles;

pub use chart::{draw_line_chart, format_tick, ChartSpec, Series};
pub use colormap::ColorMap;
pub use decision_map::{decision_map, CLASS_PALETTE};
pub use dots::{DotLayer, DotStyle, MAX_DOT_COLORS, MAX_DOT_LAYER_SIDE};
pub use heatmap::{Heatmap, HeatmapStats, MAX_SIDE};
pub use overlay::ContourOverlay;
pub use tiles::{diverging, feature_mosaic, filter_mosaic, grey, Mosaic};
