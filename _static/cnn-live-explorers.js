/* The in-browser explorers of chapters 1-3 of "How CNNs see": a player in <div class="cnn-live"> with a
 * JSON config becomes live, computed by window.cnnLive (cnn-live.js, loaded before or after this file). */
(() => {
"use strict";
// The texts these explorers (and cnn-live.js's messages) write, as templates: {name} stands for a value. The one list:
// cnncourse reads it (cnncourse.widgets.base.LIVE_LABELS) and sends the translations to cnn-live-zh.js. A text
// written below and not listed here stays in English on the Chinese pages (tests/test_live_config.py checks the list).
const LABELS = [
  "Play",
  "Pause",
  "position",
  "preset",
  "custom",
  "kernel",
  "input",
  "padding",
  "stride",
  "products",
  "output",
  "sum",
  "window",
  "mode",
  "activation",
  "slope",
  "feature map before",
  "input (padding {p})",
  "output size: {rows} rows, {cols} columns",
  "max of the window = {value}",
  "mean of the window = {value}",
  "output ({mode} pooling)",
  "after {label}",
  "step",
  "step {step} / {steps}",
  "Step {step} of {steps}: output row {row}, column {col}.",
  "Step {step} of {steps}: {k}×{k} window at row {top}, column {left}; output row {row}, column {col}.",
  "{label}: function (blue, solid) and derivative (orange, dashed)",
  "number of values (log scale)",
  "output size",
  "rows",
  "columns",
  "max of the window",
  "mean of the window",
  "The feature map before the activation: red where positive, blue where negative, white at zero",
  "The same feature map after {label}, on the same colour scale",
  "values before (grey) and after (green); {share} of the values are exactly 0 after",
  "Plot of {title} and its derivative for x from -4 to 4",
  "Histograms of the feature map's values before and after {label}",
  "{name} must be an int, got {value}",
  "{name} must be >= {minimum}, got {value}",
  "{name} must be <= {most} in the live explorer, got {value}",
  "{name} must be a number, got {value}",
  "{name} is {h}x{w}; the live explorer takes at most {side}x{side2} (type a smaller matrix)",
  "{name} is empty: type one row of numbers per line",
  "{name} must be a finite number, got {value}",
  "{name} row {number} ({row}) is not a list of numbers",
  "kernel must contain only finite numbers (found NaN or infinity)",
  "{name} rows have different lengths {lengths}: it must be rectangular",
  "window {kh}x{kw} is larger than the input ({h}x{w}): the window must fit",
  "kernel of size {kh}x{kw} is larger than the padded image ({h}x{w} with padding {padding})"
];
let conv2d, pool2d, getActivation, slopeOf, intAtLeast, parseMatrix, formatMatrix, fmtG, fail, repr, NUMBER, NONFINITE;

// --- pictures
const esc = s => String(s).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
function fmt(v) {  // cnncourse.figures.html._fmt with 2 decimals
  if (v !== v) return "";
  const s = v.toFixed(2), n = Number(s);
  return Number.isInteger(n) ? String(Math.trunc(n)) : s;
}
/* cnncourse.figures.html.matrix_html on a canvas: one box to lay out, not hundreds of cells, so an update takes
   less than a frame. It is painted as the stylesheet styles the table (.cnn-matrix td), which the canvas
   holds as its text for screen readers, written when the browser is idle. */
const cells = (values, {padding: p = 0, window: [y, x, wh, ww] = [], current: [cy, cx] = []}) => values.map((row, r) =>
  row.map((v, c) => [fmt(v), [(r < p || r >= values.length - p || c < p || c >= row.length - p) && "pad",
    r >= y && r < y + wh && c >= x && c < x + ww && "win", cy === r && cx === c && "cur"].filter(Boolean).join(" ")]));
const tableHtml = ({grid, caption}) => `<table class="cnn-matrix"><caption>${esc(caption)}</caption>${grid.map(row =>
  `<tr>${row.map(([t, cls]) => `<td class="${cls}">${t}</td>`).join("")}</tr>`).join("")}</table>`;
let looks = {}, probe;  // the stylesheet's cell, by class (forgotten when the theme or the zoom changes)
function look(cls, canvas) {
  if (looks[cls]) return looks[cls];
  canvas.append(probe ||= el("table", {class: "cnn-matrix", "aria-hidden": "true"}, [el("tr", {}, [el("td")])]));
  const td = probe.querySelector("td"), s = getComputedStyle(Object.assign(td, {className: cls})), px = v => parseFloat(s[v]);
  const b = px("borderTopWidth"), pad = px("paddingLeft"), box = s.boxSizing === "border-box";  // the site: border-box
  return looks[cls] = {font: `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`, color: s.color, fill: s.backgroundColor, b, pad,
    hatch: s.backgroundImage !== "none", min: px("minWidth") - (box ? 2 * pad + b : 0), h: px("height") + (box ? 0 : b), line: s.borderTopColor};
}
function draw(canvas, {grid}) {  // grid: cells(values, options)
  const ctx = canvas.getContext("2d"), {min, pad, b, h, line, font} = look("", canvas), dpr = devicePixelRatio || 1;
  ctx.font = look("win", canvas).font;  // monospace: the width of a number is its length times a digit's
  const digit = ctx.measureText("0").width;
  // The grid lines, on whole pixels (sharp): the width of each column as a table's, each row's height h.
  const xs = grid[0].reduce((a, _, c) => [...a, a.at(-1) + Math.max(min, ...grid.map(r => r[c][0].length * digit)) + 2 * pad + b], [0])
    .map(Math.round), ys = [...grid, 0].map((_, i) => Math.round(i * h)), W = xs.at(-1) + b, H = ys.at(-1) + b;
  if (canvas.width !== Math.ceil(W * dpr) || canvas.height !== Math.ceil(H * dpr)) {
    Object.assign(canvas, {width: Math.ceil(W * dpr), height: Math.ceil(H * dpr)});
    Object.assign(canvas.style, {width: `${W}px`, height: `${H}px`});
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  Object.assign(ctx, {textAlign: "right", textBaseline: "middle", font});
  const hatch = new Path2D(), texts = new Map();  // the numbers by look: a canvas parses each font and colour set
  grid.forEach((r, i) => r.forEach(([text, cls], j) => {
    const t = look(cls, canvas), x = xs[j] + b, y = ys[i] + b, w = xs[j + 1] - x, hi = ys[i + 1] - y;
    if (t.hatch) hatch.rect(x, y, w, hi);
    if (t.fill !== "rgba(0, 0, 0, 0)") Object.assign(ctx, {fillStyle: t.fill}).fillRect(x, y, w, hi);
    if (text) (texts.get(t) || texts.set(t, []).get(t)).push([text, x + w - pad, y + hi / 2]);
  }));
  texts.forEach((list, t) => {
    Object.assign(ctx, {font: t.font, fillStyle: t.color});
    list.forEach(a => ctx.fillText(...a));
  });
  ctx.fillStyle = line;
  xs.forEach(x => ctx.fillRect(x, 0, b, H));
  ys.forEach(y => ctx.fillRect(0, y, W, b));
  ctx.save();
  ctx.clip(hatch);  // html.STYLE's repeating-linear-gradient(45deg, ...)
  ctx.beginPath();
  for (let c = -H; c < W; c += 8 * Math.SQRT2) { ctx.moveTo(c, 0); ctx.lineTo(c + H, H); }
  Object.assign(ctx, {lineWidth: 4, strokeStyle: "rgba(128,128,128,0.18)"}).stroke();
  ctx.restore();
}
const redraw = () => { looks = {}; document.querySelectorAll(".cnn-mat canvas").forEach(c => c.cnnMatrix && draw(c, c.cnnMatrix)); };
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

// Make `old`'s nodes equal `fresh`'s, touching only what differs (a cheaper layout); a canvas keeps what it was drawn with.
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
      for (const {name} of [...x.attributes]) if (!y.hasAttribute(name) && x.nodeName !== "CANVAS") x.removeAttribute(name);
      if (x.nodeName !== "CANVAS") patch(x, y);
    }
  }
}

/* spec.recompute() (on each edit of spec.edits) gives the number of steps or throws (the message
   shows, the picture stays); spec.frame(step, matrix) is the picture's HTML. */
class Explorer {
  constructor(player, title, config, spec) {
    Object.assign(this, {spec, step: 0, steps: 1, timer: null, problem: null});
    this.box = el("div", {class: "cnn-livebox"});
    if (title) this.box.append(el("div", {class: "cnn-player-title", text: title}));
    this.box.append(el("div", {class: "cnn-note cnn-live-note", text: config.note}), ...spec.rows);
    if (spec.position) {
      this.play = el("button", {type: "button", "data-action": "play", "aria-label": "Play", text: "Play"});
      this.slider = el("input", {type: "range", min: 0, max: 0, value: 0, step: 1, "aria-label": "step"});
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
    const t = document.createElement("template"), matrices = [];
    t.innerHTML = this.spec.frame(this.step, (...m) => matrices.push(m) &&
      `<span class="cnn-mat"><span aria-hidden="true">${esc(m[1].caption)}</span><canvas></canvas></span>`);
    patch(this.display, t.content);
    const canvases = [...this.display.querySelectorAll(".cnn-mat canvas")];
    canvases.forEach((c, k) => draw(c, c.cnnMatrix = {grid: cells(...matrices[k]), caption: matrices[k][1].caption}));
    (window.cancelIdleCallback || clearTimeout)(this.idle);
    this.idle = (window.requestIdleCallback || setTimeout)(() => canvases.forEach(c => { c.innerHTML = tableHtml(c.cnnMatrix); }),
      {timeout: 500});
    this.spec.after?.(this.display);
    if (this.slider) {
      this.slider.value = this.step;
      this.counter.textContent = `step ${this.step + 1} / ${this.steps}`;  // as the caption and the player count
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
  if (!window.cnnLive) return;  // the recorded players stay
  ({conv2d, pool2d, getActivation, slopeOf, intAtLeast, parseMatrix, formatMatrix, fmtG, fail, repr, NUMBER, NONFINITE} =
    window.cnnLive);
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
if (window.cnnLive && document.readyState !== "loading") mount(); else addEventListener("DOMContentLoaded", mount);
new MutationObserver(redraw).observe(document.documentElement, {attributeFilter: ["data-theme"]});
addEventListener("resize", redraw);  // a zoom changes devicePixelRatio
})();
