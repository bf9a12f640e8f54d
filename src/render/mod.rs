//! Pixel work: heatmaps and colour maps into RGBA buffers.
