/* What the in-browser explorers of "How CNNs see" compute, as cnncourse computes it: window.cnnLive.
 * The explorers themselves are cnn-live-explorers.js. Loaded as a classic script on the website, and as the first part
 * of the explorers' ES module in a notebook (cnncourse.widgets.browser). */
(() => {
"use strict";

// --- checks
const fail = message => { throw new Error(message); };
const repr = v => (typeof v === "string" ? `'${v}'` : String(v));

function intAtLeast(value, name, minimum) {
  if (typeof value !== "number" || !Number.isInteger(value)) fail(`${name} must be an int, got ${repr(value)}`);
  if (value < minimum) fail(`${name} must be >= ${minimum}, got ${value}`);
  return value;
}

function asPair(value, name, minimum) {
  const pair = Array.isArray(value) ? value : [value, value];
  if (pair.length !== 2) fail(`${name} must be an int or a pair of ints, got (${pair.join(", ")})`);
  return pair.map(v => intAtLeast(v, name, minimum));
}

// Nested numbers of shape (H, W) or (C, H, W), as (C, H, W).
function asChannels(value, name) {
  if (!Array.isArray(value) || !value.length) fail(`${name} must be a non-empty array of shape (H, W) or (C, H, W)`);
  const three = Array.isArray(value[0]) && Array.isArray(value[0][0]);
  const data = three ? value : [value];
  const h = data[0].length, w = Array.isArray(data[0][0]) ? data[0][0].length : 0;
  if (!h || !w) fail(`${name} must not be empty`);
  for (const c of data) {
    for (const row of Array.isArray(c) && c.length === h ? c : [0]) {
      if (!Array.isArray(row) || row.length !== w) fail(`${name} is ragged: it must have shape (H, W) or (C, H, W)`);
      for (const v of row) if (typeof v !== "number") fail(`${name} must be numeric, got ${repr(v)}`);
    }
  }
  return {data, three, c: data.length, h, w};
}

// --- convolution
// cnncourse.conv2d, with its order of sums (so its roundings).
function conv2d(image, kernel, {stride = 1, padding = 0} = {}) {
  const x = asChannels(image, "image"), k = asChannels(kernel, "kernel");
  if (k.data.flat(2).some(v => !isFinite(v))) fail("kernel must contain only finite numbers (found NaN or infinity)");
  if (k.c !== x.c) fail(`kernel has ${k.c} channel(s) but image has ${x.c}: a kernel needs one slice per input channel`);
  const [sh, sw] = asPair(stride, "stride", 1), [ph, pw] = asPair(padding, "padding", 0);
  if (k.h > x.h + 2 * ph || k.w > x.w + 2 * pw) {
    fail(`kernel of size ${k.h}x${k.w} is larger than the padded image (${x.h + 2 * ph}x${x.w + 2 * pw} with padding (${ph}, ${pw}))`);
  }
  const oh = Math.floor((x.h + 2 * ph - k.h) / sh) + 1, ow = Math.floor((x.w + 2 * pw - k.w) / sw) + 1;
  const at = (c, r, q) => (r < 0 || r >= x.h || q < 0 || q >= x.w ? 0 : x.data[c][r][q]);
  const out = [];
  for (let r = 0; r < oh; r++) {
    const row = [];
    for (let q = 0; q < ow; q++) {
      let total = 0;
      for (let c = 0; c < x.c; c++) {
        for (let i = 0; i < k.h; i++) {
          for (let j = 0; j < k.w; j++) total += at(c, r * sh + i - ph, q * sw + j - pw) * k.data[c][i][j];
        }
      }
      row.push(total);
    }
    out.push(row);
  }
  return out;
}

/* cnncourse.conv2d of one channel held row by row (a picture: Float64Array of h*w), with its order of sums.
   Returns the output row by row (Float64Array); the zero padding's terms are skipped (adding 0 changes no sum). */
function filterPicture(data, h, w, kernel, {stride = 1, padding = 0} = {}) {
  const k = asChannels(kernel, "kernel");
  if (k.three) fail("kernel must have shape (H, W) for a picture");
  const [sh, sw] = asPair(stride, "stride", 1), [ph, pw] = asPair(padding, "padding", 0), kh = k.h, kw = k.w;
  if (kh > h + 2 * ph || kw > w + 2 * pw) {
    fail(`kernel of size ${kh}x${kw} is larger than the padded image (${h + 2 * ph}x${w + 2 * pw} with padding (${ph}, ${pw}))`);
  }
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1, ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  const flat = Float64Array.from(k.data[0].flat()), out = new Float64Array(oh * ow);
  for (let r = 0; r < oh; r++) {
    for (let q = 0; q < ow; q++) {
      let total = 0;
      for (let i = 0; i < kh; i++) {
        const y = r * sh + i - ph;
        if (y < 0 || y >= h) continue;
        for (let j = 0; j < kw; j++) {
          const x = q * sw + j - pw;
          if (x >= 0 && x < w) total += data[y * w + x] * flat[i * kw + j];
        }
      }
      out[r * ow + q] = total;
    }
  }
  return out;
}

// --- pooling
// cnncourse.pool2d: along each row first, then down, then divide.
function pool2d(image, window = 2, {stride = null, mode = "max"} = {}) {
  const x = asChannels(image, "image");
  const [kh, kw] = asPair(window, "window", 1);
  const [sh, sw] = asPair(stride === null || stride === undefined ? window : stride, "stride", 1);
  if (mode !== "max" && mode !== "avg") fail(`unknown mode ${repr(mode)}; valid values are 'max', 'avg'`);
  if (kh > x.h || kw > x.w) fail(`window ${kh}x${kw} is larger than the input (${x.h}x${x.w}): the window must fit`);
  const oh = Math.floor((x.h - kh) / sh) + 1, ow = Math.floor((x.w - kw) / sw) + 1;
  const combine = mode === "max" ? (a, b) => (b > a || b !== b ? b : a) : (a, b) => a + b;
  const result = x.data.map(ch => {
    const out = [];
    for (let r = 0; r < oh; r++) {
      const row = [];
      for (let q = 0; q < ow; q++) {
        let acc;
        for (let i = 0; i < kh; i++) {
          const line = ch[r * sh + i];
          let part = line[q * sw];
          for (let j = 1; j < kw; j++) part = combine(part, line[q * sw + j]);
          acc = i ? combine(acc, part) : part;
        }
        row.push(mode === "avg" ? acc / (kh * kw) : acc);
      }
      out.push(row);
    }
    return out;
  });
  return x.three ? result : result[0];
}

// --- activations
function slopeOf(slope = 0.01) {
  if (typeof slope !== "number") fail(`slope must be a number, got ${repr(slope)}`);
  if (!isFinite(slope)) fail(`slope must be a finite number, got ${slope}`);
  return slope;
}
const sigmoid = x => { const e = Math.exp(-Math.abs(x)), r = 1 / (1 + e); return x >= 0 ? r : e * r; };
const sigmoidDerivative = x => { const s = sigmoid(x); return s * (1 - s); };
const tanhDerivative = x => { const t = Math.tanh(x); return 1 - t * t; };
const relu = x => (x > 0 || x !== x ? x : 0);
const reluDerivative = x => (x > 0 ? 1 : 0);
const leakyRelu = (x, slope) => (x > 0 ? x : slopeOf(slope) * x);
const leakyReluDerivative = (x, slope) => (x > 0 ? 1 : slopeOf(slope));

/* erf to about 2 ulp (fills the table as math.erf does cnncourse's): Maclaurin series
   (compensated) below 1.25, else 1 - erfc by its continued fraction (modified Lentz). */
function erfExact(a) {
  let sum = a;
  if (a < 1.25) {
    let term = a, lost = 0;
    for (let n = 1; n < 60; n++) {
      term *= -a * a / n;
      const y = term / (2 * n + 1) - lost, t = sum + y;
      lost = (t - sum) - y;
      sum = t;
    }
    return sum * 2 / Math.sqrt(Math.PI);
  }
  let f = a, c = a, d = 0;  // erfc = exp(-a^2)/sqrt(pi)/(a + (1/2)/(a + 1/(a + ...)))
  for (let n = 1; n < 5000; n++) {
    d = 1 / (a + n / 2 * d);
    c = a + n / 2 / c;
    f *= c * d;
    if (Math.abs(c * d - 1) < 1e-17) break;
  }
  return 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
}

// cnncourse.ops.activations.erf: a table (steps of 1/128), Taylor polynomials of degree 5.
const STEP = 1 / 128, ERF_MAX = 6;
let table = null;
function erfTable() {
  const rows = [];
  for (let i = 0; i * STEP <= ERF_MAX + STEP / 2; i++) {
    const t = i * STEP, g = 2 / Math.sqrt(Math.PI) * Math.exp(-t * t), t2 = t * t;
    rows.push([erfExact(t), g, -t * g, (2 * t2 - 1) / 3 * g, (3 * t - 2 * t ** 3) / 6 * g, (4 * t ** 4 - 12 * t2 + 3) / 30 * g]);
  }
  return rows;
}
const rint = v => { const r = Math.round(v); return r - v === 0.5 && r % 2 ? r - 1 : r; };  // ties to even
function erf(x) {
  if (x !== x) return x;
  table = table || erfTable();
  const a = Math.min(Math.abs(x), ERF_MAX), index = rint(a / STEP), d = a - index * STEP, c = table[index];
  let value = c[5];
  for (let k = 4; k >= 0; k--) value = value * d + c[k];
  return x < 0 || Object.is(x, -0) ? -value : value;
}
const gelu = x => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluDerivative = x => 0.5 * (1 + erf(x / Math.SQRT2)) + x * (Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI));

const ACTIVATIONS = {
  sigmoid: [sigmoid, sigmoidDerivative], tanh: [Math.tanh, tanhDerivative], relu: [relu, reluDerivative],
  leaky_relu: [leakyRelu, leakyReluDerivative], gelu: [gelu, geluDerivative],
};
function getActivation(name) {
  if (!Object.prototype.hasOwnProperty.call(ACTIVATIONS, name)) {
    fail(`unknown activation ${repr(name)}; valid values are ${Object.keys(ACTIVATIONS).map(repr).join(", ")}`);
  }
  return ACTIVATIONS[name];
}
function activate(name, values, slope, derivative = false) {
  const f = getActivation(name)[derivative ? 1 : 0];
  if (name === "leaky_relu") slopeOf(slope);
  const go = v => (Array.isArray(v) ? v.map(go) : f(v, slope));
  return go(values);
}

// --- typed matrices
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, NONFINITE = /^[+-]?(inf|infinity|nan)$/i;
/* cnncourse.widgets.base.parse_matrix: rows end at newlines or ";". */
function parseMatrix(text, name = "kernel") {
  const rows = String(text).split(/[;\n]/).filter(r => r.trim());
  if (!rows.length) fail(`${name} is empty: type one row of numbers per line`);
  let finite = true;
  const table = rows.map((row, k) => row.trim().split(/[,\s]+/).map(v => {
    if (NONFINITE.test(v)) { finite = false; return NaN; }
    if (!NUMBER.test(v)) fail(`${name} row ${k + 1} (${repr(row.trim())}) is not a list of numbers`);
    return Number(v);
  }));
  const widths = [...new Set(table.map(r => r.length))].sort((a, b) => a - b);
  if (widths.length !== 1) fail(`${name} rows have different lengths [${widths.join(", ")}]: it must be rectangular`);
  if (!finite) fail(`${name} must contain only finite numbers`);
  return table;
}

// Python's format(v, "g") or ".4g".
function fmtG(v, precision = 6) {
  if (!isFinite(v)) return v !== v ? "nan" : v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(precision)))));
  if (exp >= -4 && exp < precision) return String(Number(v.toPrecision(precision)));
  const [mant, e] = v.toExponential(precision - 1).split("e");
  return `${mant.includes(".") ? mant.replace(/\.?0+$/, "") : mant}e${e[0] === "-" ? "-" : "+"}${e.replace(/^[+-]/, "").padStart(2, "0")}`;
}
const formatMatrix = m => m.map(r => r.map(v => fmtG(v)).join(" ")).join("\n");

window.cnnLive = {conv2d, filterPicture, pool2d, erf, activate, activations: ACTIVATIONS, getActivation, slopeOf, intAtLeast,
  parseMatrix, formatMatrix, fmtG, fail, repr, NUMBER, NONFINITE};
})();
