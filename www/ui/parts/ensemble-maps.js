// The ensemble maps part: an averaged model's decision regions, large, with
// the training and validation points, above one small tile per member
// (regions only). It takes the maps answer of an Ensemble handle
// (www/workers/kinds/ensemble.js: the average, then every member, in one
// RGBA buffer; a snapshot run's live map beside them) and the tiles to show
// with their captions; it knows nothing of the engine or the URL.
import { h } from "../dom.js";
import { t } from "../../i18n/index.js";
import { createDecisionMap } from "./decision-map.js";

/**
 * @param {object} o
 * @param {object} o.engine the wasm module (the maps' points are stamped by its DotLayer)
 * @param {string} o.which the ensemble's name, kept in data-run
 * @param {string} o.labelKey i18n key of the large map's accessible name
 * @param {string} o.tileLabelKey i18n key of a tile's accessible name ({n}, {caption})
 * @param {Node[]} [o.afterMap] shown under the large map (its download button)
 * @param {Node[]} [o.afterTiles] shown under the tiles
 * Returns {element, title, metrics, mapCanvas, shownTiles(), setView(view), setPoints(points),
 * setMaps(maps), setTiles(tiles), setColumns(n), draw(), redraw(), destroy()}:
 *   tiles [{member: i | null, caption, value, live}] in display order;
 *   member i is the i-th member of the maps answer, null the run's live map;
 *   a tile with nothing to show yet keeps its place, blank. `caption` and
 *   `value` are the tile's two short lines.
 */
export function createEnsembleMaps({ engine, which, labelKey, tileLabelKey, afterMap = [], afterTiles = [] }) {
  const big = createDecisionMap({ engine, attrs: { class: "map ens-map", "data-run": which, "data-i18n-label": labelKey } });
  const title = h("h3", { class: "ens-panel-title" });
  const metrics = h("p", { class: "ens-metrics" });
  const strip = h("ol", { class: "ens-tiles", "data-run": which });
  const element = h("div", { class: "ens-panel", "data-run": which }, title, h("div", { class: "map-wrap" }, big.element), ...afterMap, metrics, strip, ...afterTiles);
  let tiles = [];
  let maps = null;
  let mapsVersion = 0;
  let view = null;
  let bigDirty = true;
  const sameView = (a, b) => a && b && a.xMin === b.xMin && a.xMax === b.xMax && a.yMin === b.yMin && a.yMax === b.yMax;
  const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

  function blockOf(tile) {
    if (!maps) return null;
    const cells = maps.grid * maps.grid * 4;
    if (tile.member === null) return maps.live ? maps.rgba : maps.run;
    if (maps.live || !maps.members || tile.member >= maps.count) return null;
    return maps.rgba.subarray((tile.member + 1) * cells, (tile.member + 2) * cells);
  }

  function makeTile() {
    const map = createDecisionMap({ engine, attrs: { class: "ens-tile-map" } });
    const caption = h("span", { class: "ens-tile-caption" });
    const value = h("span", { class: "ens-tile-value" });
    const item = h("li", { class: "ens-tile" }, map.element, caption, value);
    return { map, caption, value, item, shown: false, drawn: null };
  }

  return {
    element,
    title,
    metrics,
    mapCanvas: big.element,
    /** The tiles that show a map, in display order: {canvas, caption, value}. */
    shownTiles() {
      return tiles.filter((tile) => tile.shown)
        .map((tile) => ({ canvas: tile.map.element, caption: tile.caption.textContent, value: tile.value.textContent }));
    },
    /** The data rectangle; the same rectangle again costs nothing (the points are not redrawn). */
    setView(next) {
      if (sameView(view, next)) return;
      view = next;
      bigDirty = true;
      big.setView(next);
      for (const tile of tiles) tile.map.setView(next);
    },
    setPoints(points) {
      bigDirty = true;
      big.setPoints(points);
    },
    /** The maps answer (see the kind); null keeps the last pictures. */
    setMaps(next) {
      if (!next) return;
      maps = next;
      mapsVersion++;
      bigDirty = true;
      big.setImage(maps.rgba.subarray(0, maps.grid * maps.grid * 4), maps.grid, maps.grid);
    },
    setTiles(list) {
      while (tiles.length < list.length) {
        const tile = makeTile();
        if (view) tile.map.setView(view);
        tiles.push(tile);
        strip.append(tile.item);
      }
      while (tiles.length > list.length) {
        const tile = tiles.pop();
        tile.map.destroy();
        tile.item.remove();
      }
      list.forEach((spec, i) => {
        const tile = tiles[i];
        // Only what changed is written: the page is not laid out again for nothing.
        setText(tile.caption, spec.caption);
        setText(tile.value, spec.value ?? "");
        tile.item.classList.toggle("live", Boolean(spec.live));
        const label = t(tileLabelKey, { n: i + 1, caption: `${spec.caption} ${spec.value ?? ""}`.trim() });
        if (tile.map.element.getAttribute("aria-label") !== label) tile.map.element.setAttribute("aria-label", label);
        const block = blockOf(spec);
        tile.shown = block !== null;
        tile.item.classList.toggle("empty", !tile.shown);
        const key = `${mapsVersion}:${spec.member}`;
        if (block && tile.drawn !== key) {
          tile.map.setImage(block, maps.grid, maps.grid);
          tile.drawn = key;
          tile.dirty = true;
        }
      });
    },
    setColumns(n) {
      // A custom property set through the CSSOM: allowed under the app's CSP.
      strip.style.setProperty("--tiles", String(n));
    },
    /** Draws what changed: the large map, the tiles with a new picture. */
    draw() {
      if (bigDirty) big.draw();
      bigDirty = false;
      for (const tile of tiles) {
        if (!tile.dirty) continue;
        tile.dirty = false;
        tile.map.draw();
      }
    },
    /** Draws everything again (after a resize of the page or a language change). */
    redraw() {
      big.draw();
      for (const tile of tiles) tile.map.draw();
    },
    destroy() {
      big.destroy();
      for (const tile of tiles) tile.map.destroy();
      tiles = [];
    },
  };
}
