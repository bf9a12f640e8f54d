// The augmentation ops the preview offers: their controls, URL parameters,
// engine settings, and how a drawn `params` object reads as text.
//
// The pipeline runs the enabled ops in the fixed order below (crops first,
// as torchvision recipes do, cutout last), so a link only has to say which
// ops are on and their settings.
import { t } from "../i18n/index.js";

/**
 * Each op: id (URL prefix and i18n key), engine kind, and its controls:
 * {key (URL suffix), label (i18n key), min, max, step, def} sliders, or
 * {key, label, values, def} choices. `config(v)` turns the values into the
 * engine's settings for the op (v.key = the control's value).
 */
export const OPS = [
  {
    id: "rrc", kind: "random_resized_crop",
    controls: [
      { key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 1 },
      { key: "smin", label: "aug.scaleMin", min: 0.02, max: 1, step: 0.01, def: 0.3 },
      { key: "smax", label: "aug.scaleMax", min: 0.02, max: 1, step: 0.01, def: 1 },
      { key: "rmin", label: "aug.ratioMin", min: 0.25, max: 4, step: 0.01, def: 0.75 },
      { key: "rmax", label: "aug.ratioMax", min: 0.25, max: 4, step: 0.01, def: 1.33 },
      { key: "size", label: "aug.size", min: 32, max: 320, step: 1, def: 224, integer: true },
    ],
    config: (v) => ({ kind: "random_resized_crop", p: v.p, scale: [v.smin, v.smax], ratio: [v.rmin, v.rmax], size: [v.size, v.size] }),
  },
  {
    id: "crop", kind: "random_crop",
    controls: [
      { key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 1 },
      { key: "size", label: "aug.size", min: 16, max: 320, step: 1, def: 224, integer: true },
      { key: "pad", label: "aug.padding", min: 0, max: 64, step: 1, def: 16, integer: true },
      { key: "mode", label: "aug.paddingMode", values: ["constant", "edge", "reflect", "wrap"], def: "constant" },
    ],
    config: (v) => ({ kind: "random_crop", p: v.p, size: [v.size, v.size], padding: v.pad, paddingMode: v.mode }),
  },
  {
    id: "hflip", kind: "hflip",
    controls: [{ key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 0.5 }],
    config: (v) => ({ kind: "hflip", p: v.p }),
  },
  {
    id: "vflip", kind: "vflip",
    controls: [{ key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 0.5 }],
    config: (v) => ({ kind: "vflip", p: v.p }),
  },
  {
    id: "rotate", kind: "rotate",
    controls: [
      { key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 1 },
      { key: "deg", label: "aug.degrees", min: 0, max: 180, step: 1, def: 15 },
    ],
    config: (v) => ({ kind: "rotate", p: v.p, degrees: v.deg }),
  },
  {
    id: "translate", kind: "translate",
    controls: [
      { key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 1 },
      { key: "shift", label: "aug.shift", min: 0, max: 0.5, step: 0.01, def: 0.1 },
      { key: "mode", label: "aug.paddingMode", values: ["constant", "edge", "reflect", "wrap"], def: "reflect" },
    ],
    config: (v) => ({ kind: "translate", p: v.p, maxShift: [v.shift, v.shift], paddingMode: v.mode }),
  },
  {
    id: "jitter", kind: "color_jitter",
    controls: [
      { key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 1 },
      { key: "b", label: "aug.brightness", min: 0, max: 1, step: 0.01, def: 0.4 },
      { key: "c", label: "aug.contrast", min: 0, max: 1, step: 0.01, def: 0.4 },
      { key: "s", label: "aug.saturation", min: 0, max: 1, step: 0.01, def: 0.4 },
      { key: "h", label: "aug.hue", min: 0, max: 0.5, step: 0.01, def: 0.1 },
    ],
    config: (v) => ({ kind: "color_jitter", p: v.p, brightness: v.b, contrast: v.c, saturation: v.s, hue: v.h }),
  },
  {
    id: "lighting", kind: "lighting",
    controls: [
      { key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 1 },
      { key: "std", label: "aug.std", min: 0, max: 1, step: 0.01, def: 0.1 },
    ],
    config: (v) => ({ kind: "lighting", p: v.p, std: v.std }),
  },
  {
    id: "gray", kind: "grayscale",
    controls: [{ key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 0.2 }],
    config: (v) => ({ kind: "grayscale", p: v.p }),
  },
  {
    id: "cutout", kind: "cutout",
    controls: [
      { key: "p", label: "aug.p", min: 0, max: 1, step: 0.05, def: 0.5 },
      { key: "smin", label: "aug.scaleMin", min: 0.01, max: 1, step: 0.01, def: 0.02 },
      { key: "smax", label: "aug.scaleMax", min: 0.01, max: 1, step: 0.01, def: 0.33 },
      { key: "fill", label: "aug.fill", values: ["black", "noise"], def: "black" },
    ],
    config: (v) => ({ kind: "cutout", p: v.p, scale: [v.smin, v.smax], fill: v.fill === "noise" ? "noise" : [0, 0, 0] }),
  },
];

/** The ops of the example pipeline, on by default. */
export const DEFAULT_ON = ["rrc", "hflip", "jitter"];

/** URL parameter entries of every op control: `rrc.smin`, `jitter.b`, ... */
export function opParams() {
  const table = {};
  for (const op of OPS) {
    for (const c of op.controls) {
      table[`${op.id}.${c.key}`] = c.values
        ? { type: "enum", values: c.values, default: c.def }
        : { type: "number", min: c.min, max: c.max, integer: c.integer, default: c.def };
    }
  }
  return table;
}

/** The engine settings of op `op` from the demo's values. */
export function opConfig(op, values) {
  const v = {};
  for (const c of op.controls) v[c.key] = values[`${op.id}.${c.key}`];
  return op.config(v);
}

/** `{ops: [...]}` for the enabled ops, in the fixed order. */
export function pipelineConfig(values) {
  return { ops: OPS.filter((op) => values.on.includes(op.id)).map((op) => opConfig(op, values)) };
}

const fixed = (x, digits = 2) => Number(x).toFixed(digits);
const signed = (x, digits = 2) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;

/** One drawn op as short text in the current language. */
export function describeOp(p) {
  const name = t(`aug.kind.${p.kind}`);
  if (!p.applied) return `${name}: ${t("aug.skipped")}`;
  switch (p.kind) {
    case "hflip":
    case "vflip":
      return `${name}: ${t("aug.yes")}`;
    case "random_crop":
    case "random_resized_crop": {
      const b = p.box;
      const extra = p.fallback ? ` (${t("aug.fallback")})` : "";
      return `${name}: x=${b.x} y=${b.y} ${b.width}×${b.height}${extra}`;
    }
    case "color_jitter":
      return `${name}: ${t("aug.brightness")} ${fixed(p.brightness)}, ${t("aug.contrast")} ${fixed(p.contrast)}, `
        + `${t("aug.saturation")} ${fixed(p.saturation)}, ${t("aug.hue")} ${signed(p.hue, 3)}`;
    case "lighting":
      return `${name}: RGB ${p.rgbShift.map((x) => signed(x, 1)).join(" ")}`;
    case "rotate":
      return `${name}: ${signed(p.degrees, 1)}°`;
    case "translate":
      return `${name}: dx=${p.dx} dy=${p.dy}`;
    case "cutout":
      return p.box ? `${name}: x=${p.box.x} y=${p.box.y} ${p.box.width}×${p.box.height}` : `${name}: ${t("aug.noBox")}`;
    default:
      return name;
  }
}

/** Every op of a sample, one per line. */
export function describeSample(params) {
  return params.length ? params.map(describeOp).join("\n") : t("aug.noOps");
}

/**
 * Where the sample's first crop came from, in the original image's
 * coordinates: its box, mirrored for flips that ran before it. Null if the
 * sample has no crop or a rotation/translation ran before it (then no box
 * of the original describes it).
 */
export function cropOnOriginal(params) {
  let mirrorX = false;
  let mirrorY = false;
  for (const p of params) {
    if (!p.applied) continue;
    if (p.kind === "hflip") mirrorX = !mirrorX;
    else if (p.kind === "vflip") mirrorY = !mirrorY;
    else if (p.kind === "random_crop" || p.kind === "random_resized_crop") {
      const b = { ...p.box };
      if (mirrorX) b.x = p.inputWidth - b.x - b.width;
      if (mirrorY) b.y = p.inputHeight - b.y - b.height;
      return b;
    } else if (p.kind === "rotate" || p.kind === "translate") return null;
  }
  return null;
}
