/* The in-browser explorers of chapters 1-3 of "How CNNs see". window.cnnLive computes as
 * cnncourse does; a player in <div class="cnn-live"> with a JSON config becomes live. */
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

// cnncourse.activations.erf: a table (steps of 1/128), Taylor polynomials of degree 5.
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

window.cnnLive = {conv2d, pool2d, erf, activate, activations: ACTIVATIONS, parseMatrix, formatMatrix, fmtG};
if (typeof document === "undefined") return;

// --- pictures
const esc = s => String(s).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
function fmt(v) {  // cnncourse.html._fmt with 2 decimals
  if (v !== v) return "";
  const s = v.toFixed(2), n = Number(s);
  return Number.isInteger(n) ? String(Math.trunc(n)) : s;
}
/* cnncourse.html.matrix_html, in place: rows and cells come and go at both ends (as padding does),
   so the others keep their text; a cell changes only where it differs. */
function fillMatrix(table, values, {caption, padding = 0, window: [y, x, wh, ww] = [], current = []}) {
  const h = values.length, w = values[0].length, rows = table.rows;
  if (table.caption?.textContent !== caption) table.createCaption().textContent = caption;
  while (rows.length < h) table.insertRow(rows.length % 2 ? 0 : -1);
  while (rows.length > h) table.deleteRow(rows.length % 2 ? 0 : -1);
  values.forEach((row, r) => {
    const tr = rows[r], cells = tr.cells;
    while (cells.length < w) tr.insertCell(cells.length % 2 ? 0 : -1);
    while (cells.length > w) tr.deleteCell(cells.length % 2 ? 0 : -1);
    row.forEach((v, c) => {
      const td = cells[c], text = fmt(v), cls = [
        (r < padding || r >= h - padding || c < padding || c >= w - padding) && "pad",
        r >= y && r < y + wh && c >= x && c < x + ww && "win",
        current[0] === r && current[1] === c && "cur"].filter(Boolean).join(" ");
      if (td.className !== cls) cls ? td.className = cls : td.removeAttribute("class");
      if (td.textContent !== text) td.textContent = text;
    });
  });
}
const padded = (image, p) => Array.from({length: image.length + 2 * p},
  (_, r) => Array.from({length: image[0].length + 2 * p}, (_, c) => image[r - p]?.[c - p] ?? 0));

// --- the common frame
function el(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}
const labelled = control => el("label", {}, [control.getAttribute("aria-label"), control]);
const row = (children, attrs = {}) => el("div", {class: "cnn-live-row", ...attrs}, children);
const textarea = (label, m, lines = m.length) => {
  const t = el("textarea", {"aria-label": label, spellcheck: "false", rows: Math.min(10, Math.max(4, lines + 1))});
  t.value = formatMatrix(m);
  return t;
};
const number = (label, min, max, value) => el("input", {type: "number", min, max, step: 1, value, "aria-label": label});

// Make `old`'s nodes equal `fresh`'s, touching only what differs (a cheaper layout); not a table's rows.
function patch(old, fresh) {
  const a = old.childNodes, b = fresh.childNodes;
  while (a.length > b.length) old.lastChild.remove();
  old.append(...[...b].slice(a.length));
  for (let i = b.length - 1; i >= 0; i--) {  // replaceWith takes b[i] out of b
    const x = a[i], y = b[i];
    if (x.nodeName !== y.nodeName) x.replaceWith(y);
    else if (x.nodeType === 3) { if (x.data !== y.data) x.data = y.data; }
    else {
      for (const {name, value} of y.attributes) if (x.getAttribute(name) !== value) x.setAttribute(name, value);
      for (const {name} of [...x.attributes]) if (!y.hasAttribute(name)) x.removeAttribute(name);
      if (x.nodeName !== "TABLE") patch(x, y);
    }
  }
}

/* spec.recompute() (on each edit of spec.edits) gives the number of steps or throws (the message
   shows, the picture stays); spec.frame(step, matrix) is the picture (matrix() marks a table). */
class Explorer {
  constructor(player, title, config, spec) {
    Object.assign(this, {spec, step: 0, steps: 1, timer: null, problem: null});
    this.box = el("div", {class: "cnn-livebox"});
    if (title) this.box.append(el("div", {class: "cnn-player-title", text: title}));
    this.box.append(el("div", {class: "cnn-note cnn-live-note", text: config.note}), ...spec.rows);
    if (spec.position) {
      this.play = el("button", {type: "button", "data-action": "play", "aria-label": "Play", text: "Play"});
      this.slider = el("input", {type: "range", min: 0, max: 0, value: 0, step: 1, "aria-label": "position"});
      this.counter = el("span", {class: "cnn-player-counter", "aria-live": "polite"});
      this.box.append(el("div", {class: "cnn-player-controls"}, [this.play, this.slider, this.counter]));
      this.play.addEventListener("click", () => (this.timer ? this.stop() : this.start(config.interval_ms)));
      this.slider.addEventListener("input", () => { this.stop(); this.show(Number(this.slider.value)); });
    }
    for (const c of spec.edits || []) ["input", "change"].forEach(t => c.addEventListener(t, () => this.refresh()));
    this.message = el("div", {class: "cnn-live-message", "aria-live": "polite"});
    this.display = el("div", {class: "cnn-live-display"});
    this.box.append(this.message, this.display);
    player.replaceWith(this.box);
    this.refresh();
  }
  refresh() {
    try {
      this.steps = this.spec.recompute() || 1;
    } catch (e) {
      this.problem = e.message;
      this.message.innerHTML = `<div class="cnn-error">\u26a0 ${esc(e.message)}</div>`;
      this.box.dataset.problem = e.message;
      return;
    }
    this.problem = null;
    delete this.box.dataset.problem;
    if (this.slider) this.slider.max = this.steps - 1;
    this.show(this.step);
  }
  show(k) {
    if (this.problem !== null) return;
    this.step = Math.max(0, Math.min(this.steps - 1, k));
    this.message.innerHTML = "";
    const t = document.createElement("template"), tables = [];
    t.innerHTML = this.spec.frame(this.step, (...args) => { tables.push(args); return '<table class="cnn-matrix"></table>'; });
    patch(this.display, t.content);
    this.display.querySelectorAll("table").forEach((table, k) => fillMatrix(table, ...tables[k]));
    this.spec.after?.(this.display);
    if (this.slider) {
      this.slider.value = this.step;
      this.counter.textContent = `position ${this.step} (step ${this.step + 1} / ${this.steps})`;
    }
    this.box.dataset.step = this.step;
  }
  say(text) { this.play.textContent = text; this.play.setAttribute("aria-label", text); }
  stop() {
    clearInterval(this.timer);
    this.timer = null;
    if (this.play) this.say("Play");
  }
  start(interval) {
    if (this.step >= this.steps - 1) this.show(0);
    this.say("Pause");
    this.timer = setInterval(() => {
      if (this.problem !== null || this.step >= this.steps - 1) this.stop(); else this.show(this.step + 1);
    }, interval);
  }
}

function readInt(input, name, minimum, most = Infinity) {
  const text = input.value.trim();
  if (!/^[+-]?\d+$/.test(text)) fail(`${name} must be an int, got ${repr(text)}`);
  const v = intAtLeast(Number(text), name, minimum);
  if (v > most) fail(`${name} must be <= ${most} in the live explorer, got ${v}`);
  return v;
}
function readMatrix(input, name, side) {
  const m = parseMatrix(input.value, name);
  if (m.length > side || m[0].length > side) {
    fail(`${name} is ${m.length}x${m[0].length}; the live explorer takes at most ${side}x${side} (type a smaller matrix)`);
  }
  return m;
}
const close = (a, b) => a.length === b.length && a[0].length === b[0].length &&
  a.every((r, i) => r.every((v, j) => Math.abs(v - b[i][j]) <= 1e-8 + 1e-5 * Math.abs(b[i][j])));  // numpy.allclose
const formulaBox = () => el("div", {class: "cnn-note cnn-live-formula", "aria-live": "polite"});
const formula = (rows, cols, out) => `output size: \u230a${rows}\u230b + 1 = <b>${out.length}</b> rows, ` +
  `\u230a${cols}\u230b + 1 = <b>${out[0].length}</b> columns`;
// Step `step` of a window sliding by st.s: parts(top, left, value) gives the input side and where.
function slide(st, step, matrix, caption, parts) {
  const ow = st.out[0].length, r = Math.floor(step / ow), c = step % ow, [html, where] = parts(r * st.s, c * st.s, st.out[r][c]);
  const soFar = st.out.map((row, i) => row.map((v, j) => (i * ow + j <= step ? v : NaN)));
  return `<div class="cnn-step">${html}${matrix(soFar, {current: [r, c], caption})}</div><div class="cnn-note">` +
    `Step ${step + 1} of ${st.out.length * ow}: ${where}output row ${r + 1}, column ${c + 1}.</div>`;
}

// --- chapter 1: convolution
function convExplorer(player, title, config) {
  const L = config.limits, names = Object.keys(config.presets);
  const preset = el("select", {"aria-label": "preset"}, ["custom", ...names].map(n => el("option", {value: n, text: n})));
  const kernelText = textarea("kernel", config.kernel, config.image.length), imageText = textarea("input", config.image);
  const padding = number("padding", 0, L.padding, config.padding), stride = number("stride", 1, L.stride, config.stride);
  const formulas = formulaBox();
  let st;
  const explorer = new Explorer(player, title, config, {
    position: true,
    edits: [kernelText, imageText, padding, stride],
    rows: [row([preset, kernelText, imageText].map(labelled)), row([padding, stride].map(labelled)), formulas],
    recompute() {
      const kernel = readMatrix(kernelText, "kernel", L.side), image = readMatrix(imageText, "input", L.side);
      const p = readInt(padding, "padding", 0, L.padding), s = readInt(stride, "stride", 1, L.stride);
      const out = conv2d(image, kernel, {stride: s, padding: p});
      st = {kernel, p, s, out, padded: padded(image, p)};
      preset.value = names.find(n => close(kernel, config.presets[n])) || "custom";
      const sum = (n, k) => `(${n} + 2\u00b7${p} \u2212 ${k}) / ${s}`;
      formulas.innerHTML = formula(sum(image.length, kernel.length), sum(image[0].length, kernel[0].length), out);
      return out.length * out[0].length;
    },
    frame: (step, matrix) => slide(st, step, matrix, "output", (top, left) => {
      const {kernel, p} = st, products = kernel.map((kr, i) => kr.map((k, j) => st.padded[top + i][left + j] * k));
      const sum = products.flat().reduce((a, b) => a + b, 0), window = [top, left, kernel.length, kernel[0].length];
      return [`${matrix(st.padded, {window, padding: p, caption: `input (padding ${p})`})}<span class="cnn-op">\u2299</span>` +
        `${matrix(kernel, {caption: "kernel"})}<span class="cnn-op">=</span>${matrix(products, {caption: "products"})}` +
        `<span class="cnn-op">\u2192 sum = <b>${fmtG(sum)}</b> \u2192</span>`, ""];
    }),
  });
  preset.addEventListener("change", () => {
    if (preset.value !== "custom") kernelText.value = formatMatrix(config.presets[preset.value]);
    explorer.refresh();
  });
}

// --- chapter 2: pooling
function poolExplorer(player, title, config) {
  const L = config.limits, imageText = textarea("input", config.image);
  let mode = config.mode, st;
  const buttons = config.modes.map(([label, value]) =>
    el("button", {type: "button", "data-mode": value, "aria-pressed": String(value === mode), text: label}));
  const window_ = number("window", 1, L.side, config.window), stride = number("stride", 1, L.stride, config.stride);
  const formulas = formulaBox();
  const explorer = new Explorer(player, title, config, {
    position: true,
    edits: [imageText, window_, stride],
    rows: [row([labelled(imageText), el("div", {}, [row(["mode", ...buttons], {role: "group", "aria-label": "mode"}),
      row([window_, stride].map(labelled)), formulas])])],
    recompute() {
      const image = readMatrix(imageText, "input", L.side);
      const k = readInt(window_, "window", 1), s = readInt(stride, "stride", 1, L.stride);
      const out = pool2d(image, k, {stride: s, mode});
      st = {image, k, s, mode, out};
      formulas.innerHTML = formula(`(${image.length} \u2212 ${k}) / ${s}`, `(${image[0].length} \u2212 ${k}) / ${s}`, out);
      return out.length * out[0].length;
    },
    frame: (step, matrix) => slide(st, step, matrix, `output (${config.mode_names[st.mode]} pooling)`, (top, left, value) => {
      const k = st.k, max = st.mode === "max";
      let best = [top, left], total = 0;
      for (let i = top; i < top + k; i++) {
        for (let j = left; j < left + k; j++) {
          total += st.image[i][j];
          if (st.image[i][j] > st.image[best[0]][best[1]]) best = [i, j];
        }
      }
      const how = max ? `max of the window = <b>${fmtG(value)}</b>`
        : `mean of the window = ${fmtG(total)} / ${k * k} = <b>${fmtG(value, 4)}</b>`;
      return [`${matrix(st.image, {window: [top, left, k, k], current: max ? best : [], caption: "input"})}` +
        `<span class="cnn-op">\u2192 ${how} \u2192</span>`, `${k}\u00d7${k} window at row ${top + 1}, column ${left + 1}; `];
    }),
  });
  for (const b of buttons) {
    b.addEventListener("click", () => {
      mode = b.dataset.mode;
      buttons.forEach(o => o.setAttribute("aria-pressed", String(o === b)));
      explorer.refresh();
    });
  }
}

// --- chapter 3: activations
const f1 = v => v.toFixed(1);
const points = (xs, ys) => xs.map((x, i) => `${f1(x)},${f1(ys[i])}`).join(" ");
const scale = (v, lo, hi, a, b) => a + (v - lo) / (hi - lo) * (b - a);
const line = (x1, y1, x2, y2, stroke, more = "") =>
  `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${stroke}"${more}/>`;
const text = (x, y, body, anchor) => `<text x="${x}" y="${y}"${anchor ? ` text-anchor="${anchor}"` : ""}>${body}</text>`;
const svg = label => `<svg xmlns="http://www.w3.org/2000/svg" class="cnn-chart" width="240" height="190" ` +
  `viewBox="0 0 240 190" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>`;

/* cnncourse.widgets.activations._svg_curves: function and derivative on [-4, 4]. */
function svgCurves(x, y, dy, title, [y0, y1], colours) {
  const left = 28, right = 234, top = 18, bottom = 170, x0 = x[0], x1 = x[x.length - 1];
  const px = v => scale(v, x0, x1, left, right), py = v => scale(v !== v ? 0 : v, y0, y1, bottom, top);
  let out = svg(`Plot of ${title} and its derivative for x from -4 to 4`);
  for (let t = -4; t <= 4; t += 2) out += line(f1(px(t)), top, f1(px(t)), bottom, "#ddd") + text(f1(px(t)), bottom + 12, t, "middle");
  for (let t = -1; t <= 4; t++) out += line(left, f1(py(t)), right, f1(py(t)), "#ddd") + text(left - 4, f1(py(t) + 3), t, "end");
  out += line(left, f1(py(0)), right, f1(py(0)), "#777") + line(f1(px(0)), top, f1(px(0)), bottom, "#777");
  const xs = x.map(px), w = right - left, h = bottom - top;
  out += `<svg x="${left}" y="${top}" width="${w}" height="${h}" viewBox="${left} ${top} ${w} ${h}" overflow="hidden">` +
    `<g fill="none" stroke-width="2"><polyline points="${points(xs, dy.map(py))}" stroke="${colours.derivative}" stroke-dasharray="5 3"/>` +
    `<polyline points="${points(xs, y.map(py))}" stroke="${colours.function}"/></g></svg>`;
  return out + text(left + 4, top - 5, `${esc(title)}: <tspan fill="${colours.function}">f(x)</tspan>, ` +
    `<tspan fill="${colours.derivative}">f\u2032(x)</tspan>`) + "</svg>";
}
/* cnncourse.widgets.activations._svg_histograms: two step outlines, log scale. */
function svgHistograms(bins, counts, label, colours) {
  const left = 8, right = 232, top = 18, bottom = 170, lo = bins[0], hi = bins[bins.length - 1];
  const logs = counts.map(c => c.map(v => Math.log10(1 + v))), peak = Math.max(...logs.flat()) || 1;
  const edges = bins.map(b => scale(b, lo, hi, left, right));
  let out = svg(`Histograms of the feature map's values before and after ${label}`);
  [[colours.before, "0.35"], [colours.after, "0"]].forEach(([colour, fill], k) => {
    const xs = [edges[0]], ys = [bottom];
    logs[k].forEach((v, i) => { const yv = scale(v, 0, peak, bottom, top); xs.push(edges[i], edges[i + 1]); ys.push(yv, yv); });
    xs.push(edges[edges.length - 1]);
    ys.push(bottom);
    out += `<polyline points="${points(xs, ys)}" stroke="${colour}" stroke-width="2" fill="${colour}" fill-opacity="${fill}"/>`;
  });
  const zero = f1(scale(0, lo, hi, left, right));
  return out + line(left, bottom, right, bottom, "#777") + line(zero, top, zero, bottom, "#777", ' stroke-dasharray="2 2"') +
    text(left, bottom + 12, lo.toFixed(1)) + text(zero, bottom + 12, 0, "middle") + text(right, bottom + 12, hi.toFixed(1), "end") +
    text(left, top - 5, "number of values (log scale)") + "</svg>";
}
function histogram(values, bins) {  // numpy.histogram: uniform edges, the last bin closed
  const n = bins.length - 1, lo = bins[0], hi = bins[n], counts = new Array(n).fill(0);
  for (const v of values) if (v >= lo && v <= hi) counts[Math.min(n - 1, Math.floor((v - lo) / (hi - lo) * n))]++;
  return counts;
}

function actExplorer(player, title, config) {
  const bytes = Uint8Array.from(atob(config.map.float32), ch => ch.charCodeAt(0));
  const before = new Float32Array(bytes.buffer), shape = config.map.shape, after = new Float64Array(before.length);
  const lut = config.lut.match(/../g).map(h => parseInt(h, 16)), bins = config.bins, [x0, x1, nx] = config.x;
  const x = Array.from({length: nx}, (_, i) => x0 + i * (x1 - x0) / (nx - 1)), beforeCounts = histogram(before, bins);
  const select = el("select", {"aria-label": "activation"}, config.activations.map(([label, value]) => el("option", {value, text: label})));
  select.value = config.activation;
  const slope = el("input", {type: "text", value: fmtG(config.slope), "aria-label": "slope"});
  let st;
  const paint = (canvas, values) => {  // as png_data_uri
    const ctx = canvas.getContext("2d"), img = ctx.createImageData(shape[1], shape[0]), d = img.data, limit = config.limit;
    for (let i = 0; i < values.length; i++) {
      const v = values[i], level = 3 * Math.max(0, Math.min(255, Math.round(((v !== v ? 0 : v) + limit) * 255 / (2 * limit))));
      d[4 * i] = lut[level]; d[4 * i + 1] = lut[level + 1]; d[4 * i + 2] = lut[level + 2]; d[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  };
  const canvas = (cls, alt, caption) => `<figure><canvas class="cnn-img ${cls}" width="${shape[1]}" height="${shape[0]}" ` +
    `role="img" aria-label="${esc(alt)}"></canvas><figcaption>${esc(caption)}</figcaption></figure>`;
  const explorer = new Explorer(player, title, config, {
    rows: [row([select, slope].map(labelled))],
    recompute() {
      const name = select.value, raw = slope.value.trim(), leaky = name === "leaky_relu";
      slope.disabled = !leaky;
      if (leaky && !NUMBER.test(raw)) fail(`slope must be a ${NONFINITE.test(raw) ? "finite " : ""}number, got ${repr(raw)}`);
      const s = leaky ? slopeOf(Number(raw)) : undefined, [f, df] = getActivation(name);
      let zeros = 0;
      for (let k = 0; k < after.length; k++) zeros += (after[k] = f(before[k], s)) === 0;
      const label = config.activations.find(a => a[1] === name)[0] + (leaky ? ` (slope ${fmtG(s)})` : "");
      st = {label, zeros: zeros / after.length, y: x.map(v => f(v, s)), dy: x.map(v => df(v, s))};
    },
    frame() {
      const clipped = after.map(v => Math.max(bins[0], Math.min(bins[bins.length - 1], v)));
      return `<div class="cnn-figures cnn-top"><figure>${svgCurves(x, st.y, st.dy, st.label, config.ylim, config.colours)}` +
        `<figcaption>${esc(st.label)}: function (blue, solid) and derivative (orange, dashed)</figcaption></figure>` +
        canvas("cnn-before", "The feature map before the activation: red where positive, blue where negative, white at zero",
          "feature map before") +
        canvas("cnn-after", `The same feature map after ${st.label}, on the same colour scale`, `after ${st.label}`) +
        `<figure>${svgHistograms(bins, [beforeCounts, histogram(clipped, bins)], st.label, config.colours)}<figcaption>` +
        `values before (grey) and after (green); ${Math.round(st.zeros * 100)}% of the values are exactly 0 after</figcaption></figure></div>`;
    },
    after: display => display.querySelectorAll("canvas").forEach((c, k) => paint(c, k ? after : before)),
  });
  [select, slope].forEach(c => c.addEventListener("change", () => explorer.refresh()));
}

// --- mounting
const KINDS = {conv: convExplorer, pool: poolExplorer, act: actExplorer};
function mount() {
  for (const wrapper of document.querySelectorAll("div.cnn-live[data-cnn-live]")) {
    const make = KINDS[wrapper.dataset.cnnLive], script = wrapper.querySelector("script.cnn-live-config");
    const player = wrapper.querySelector(".cnn-player");
    if (wrapper.dataset.mounted || !make || !script || !player) continue;
    try {
      make(player, player.querySelector(".cnn-player-title")?.textContent, JSON.parse(script.textContent));
      wrapper.dataset.mounted = "1";
    } catch (e) {  // the recorded player stays, with the reason
      wrapper.dataset.liveError = e.message;
    }
  }
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount); else mount();
})();
