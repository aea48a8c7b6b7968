/* The explorers of chapters 1-3 of "How CNNs see", one front end for the notebook and the website.
 *
 * Each explorer is an anywidget-style view, computed in the browser by window.cnnLive (cnn-live.js):
 *   globalThis.cnnLiveViews.conv | .pool = {render({model, el})}, and .act in cnn-live-activations.js;
 *   the reader's own picture and camera are cnn-live-picture.js.
 * In a notebook, anywidget mounts it (cnncourse.widgets.browser: the ES module is cnn-live.js, cnn-live-zh.js,
 * cnn-live-picture.js, this file and cnn-live-activations.js, followed by `export default`); Python reads and sets the model's state (traits). On the
 * website, cnn-live-host.js mounts it on a plain-object model made from the page's JSON settings, which
 * replaces the recorded player (kept without JavaScript). The model's keys are the traits of the Python
 * explorers; the view reads them with model.get, writes the reader's changes with model.set + save_changes
 * and follows Python's changes with model.on("change:<key>"). */
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
  "input (padding {p})",
  "output size: {rows} rows, {cols} columns",
  "max of the window = {value}",
  "mean of the window = {value}",
  "output ({mode} pooling)",
  "step",
  "step {step} / {steps}",
  "Step {step} of {steps}: output row {row}, column {col}.",
  "Step {step} of {steps}: {k}×{k} window at row {top}, column {left}; output row {row}, column {col}.",
  "output size",
  "rows",
  "columns",
  "max of the window",
  "mean of the window",
  "{name} must be an int, got {value}",
  "{name} must be >= {minimum}, got {value}",
  "{name} must be <= {most} in the live explorer, got {value}",
  "{name} is {h}x{w}; the live explorer takes at most {side}x{side2} (type a smaller matrix)",
  "{name} is empty: type one row of numbers per line",
  "{name} row {number} ({row}) is not a list of numbers",
  "kernel must contain only finite numbers (found NaN or infinity)",
  "{name} rows have different lengths {lengths}: it must be rectangular",
  "window {kh}x{kw} is larger than the input ({h}x{w}): the window must fit",
  "kernel of size {kh}x{kw} is larger than the padded image ({h}x{w} with padding {padding})",
  "your picture, in grey",
  "your picture, filtered by the kernel",
  "your picture (click to choose the numbers above)",
  "the whole picture, filtered by the kernel"
];
let conv2d, pool2d, getActivation, slopeOf, intAtLeast, parseMatrix, formatMatrix, fmtG, fail, repr, NUMBER, NONFINITE, filterPicture,
  pictureTools, toImage, fromImage, paintGrey, figure, el, labelled, row;  // set by bind(), when a view renders

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

/* The common frame of an explorer. spec.recompute(byReader) (on each edit of spec.edits) reads the controls and gives
   the number of steps, or throws (the message shows, the picture stays); spec.frame(step, matrix) is the picture's
   HTML; spec.state() is what the controls hold, written to the model when the reader changed them. */
const same = (a, b) => a === b || JSON.stringify(a) === JSON.stringify(b);
class Explorer {
  constructor(root, model, spec) {
    Object.assign(this, {model, spec, step: 0, steps: 1, timer: null, problem: null, writing: false, offs: []});
    // Keys belong to the explorer's controls, not to the page around it (JupyterLab's shortcuts took a slider's arrows).
    this.box = el("div", {class: "cnn-livebox", tabindex: "-1", "data-lm-suppress-shortcuts": "true"});
    this.box.addEventListener("keydown", e => e.stopPropagation());
    const title = model.get("title");
    if (title) this.box.append(el("div", {class: "cnn-player-title", text: title}));
    this.box.append(el("div", {class: "cnn-note cnn-live-note", text: model.get("note") || ""}), ...spec.rows);
    if (spec.position) {
      this.play = el("button", {type: "button", "data-action": "play", "aria-label": "Play", text: "Play"});
      this.slider = el("input", {type: "range", min: 0, max: 0, value: 0, step: 1, "aria-label": "step"});
      this.counter = el("span", {class: "cnn-player-counter", "aria-live": "polite"});
      this.box.append(el("div", {class: "cnn-player-controls"}, [this.play, this.slider, this.counter]));
      this.play.addEventListener("click", () => (this.timer ? this.stop() : this.start(model.get("interval_ms") || 700)));
      this.slider.addEventListener("input", () => { this.stop(); this.show(Number(this.slider.value), true); });
      this.step = model.get("position") || 0;
      this.listen(["position"], () => this.show(model.get("position") || 0), false);
    }
    for (const c of spec.edits || []) ["input", "change"].forEach(t => c.addEventListener(t, () => this.refresh(true)));
    this.message = el("div", {class: "cnn-live-message", "aria-live": "polite"});
    this.display = el("div", {class: "cnn-live-display"});
    this.box.append(this.message, this.display, ...(spec.below || []));
    root.append(this.box);
    const labels = model.get("labels");
    if (labels && Object.keys(labels).length) globalThis.cnnLiveZh?.translateIn(this.box, labels);
  }
  // The reader changed something: into the model (and, in a notebook, to Python).
  write(state) {
    const changed = Object.entries(state).filter(([k, v]) => !same(this.model.get(k), v));
    if (!changed.length) return;
    this.writing = true;
    try { changed.forEach(([k, v]) => this.model.set(k, v)); } finally { this.writing = false; }
    this.model.save_changes();
  }
  // Python (or the host) changed `names`: update the controls, then recompute (unless only the position moved).
  listen(names, update, recompute = true) {
    const handler = () => { if (!this.writing) { update(); if (recompute) this.refresh(false); } };
    for (const name of names) {
      this.model.on(`change:${name}`, handler);
      this.offs.push(() => this.model.off(`change:${name}`, handler));
    }
  }
  refresh(byReader) {
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
    if (byReader) this.write(this.spec.state());
    if (this.slider) this.slider.max = this.steps - 1;
    this.show(this.step, byReader);
  }
  show(k, byReader = false) {
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
      if (byReader || this.model.get("position") !== this.step) this.write({position: this.step});
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
    if (this.step >= this.steps - 1) this.show(0, true);
    this.say("Pause");
    this.timer = setInterval(() => {
      if (this.problem !== null || this.step >= this.steps - 1) this.stop(); else this.show(this.step + 1, true);
    }, interval);
  }
  destroy() {
    this.stop();
    this.offs.forEach(off => off());
    this.spec.destroy?.();
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
const CROP = 8;
function convView(root, model) {
  const L = model.get("limits"), presets = model.get("presets"), names = Object.keys(presets);
  const preset = el("select", {"aria-label": "preset"}, ["custom", ...names].map(n => el("option", {value: n, text: n})));
  const kernelText = textarea("kernel", model.get("kernel"), model.get("input").length), imageText = textarea("input", model.get("input"));
  const padding = number("padding", 0, L.padding, model.get("padding")), stride = number("stride", 1, L.stride, model.get("stride"));
  const formulas = formulaBox();
  const seen = el("canvas", {class: "cnn-img cnn-picture", role: "img", "aria-label": "your picture, in grey"});
  const filtered = el("canvas", {class: "cnn-img cnn-filtered", role: "img", "aria-label": "your picture, filtered by the kernel"});
  const pictures = el("div", {class: "cnn-figures cnn-own", hidden: ""}, [
    figure(seen, "your picture (click to choose the numbers above)"), figure(filtered, "the whole picture, filtered by the kernel")]);
  let st, picture = null, crop = null;
  const filter = (gray, w, h) => {  // the explorer's convolution on a whole picture, in [0, 1]
    if (!st) return null;
    const levels = new Float64Array(gray.length);
    for (let i = 0; i < gray.length; i++) levels[i] = gray[i] / 255;
    const values = filterPicture(levels, h, w, st.kernel, {stride: st.s, padding: st.p});
    return {values, h: Math.floor((h + 2 * st.p - st.kernel.length) / st.s) + 1, w: Math.floor((w + 2 * st.p - st.kernel[0].length) / st.s) + 1};
  };
  const paintPicture = () => {
    if (!picture) return;
    const {gray, w, h} = picture, ctx = seen.getContext("2d");
    paintGrey(seen, gray, w, h, [[255]]);  // the grey levels as they are
    if (crop) Object.assign(ctx, {strokeStyle: "#E69F00", lineWidth: 2}).strokeRect(crop[1] - 1, crop[0] - 1, CROP + 2, CROP + 2);
    const out = filter(gray, w, h);
    if (out && out.w > 0 && out.h > 0) paintGrey(filtered, out.values, out.w, out.h, st.kernel);
    pictures.hidden = false;
  };
  const choose = (top, left) => {  // the numbers of the crop at (top, left), rounded to 2 decimals
    const {gray, w, h} = picture;
    crop = [Math.max(0, Math.min(h - CROP, top)), Math.max(0, Math.min(w - CROP, left))];
    const m = Array.from({length: Math.min(CROP, h)}, (_, r) => Array.from({length: Math.min(CROP, w)},
      (_, c) => Math.round(gray[(crop[0] + r) * w + crop[1] + c] / 2.55) / 100));
    imageText.value = formatMatrix(m);
  };
  const usePicture = (p, byReader) => {
    picture = p;
    choose(Math.floor((p.h - CROP) / 2), Math.floor((p.w - CROP) / 2));
    if (byReader) explorer.write({image: toImage(p.gray, p.w, p.h)});
    explorer.refresh(byReader);
  };
  seen.addEventListener("click", e => {
    const r = seen.getBoundingClientRect(), y = (e.clientY - r.top) * seen.height / r.height, x = (e.clientX - r.left) * seen.width / r.width;
    choose(Math.round(y - CROP / 2), Math.round(x - CROP / 2));
    explorer.refresh(true);
  });
  let tools;
  const explorer = new Explorer(root, model, {
    position: true,
    edits: [kernelText, imageText, padding, stride],
    rows: [row([preset, kernelText, imageText].map(labelled)), row([padding, stride].map(labelled)), formulas],
    recompute() {
      const kernel = readMatrix(kernelText, "kernel", L.side), image = readMatrix(imageText, "input", L.side);
      const p = readInt(padding, "padding", 0, L.padding), s = readInt(stride, "stride", 1, L.stride);
      const out = conv2d(image, kernel, {stride: s, padding: p});
      st = {image, kernel, p, s, out, padded: padded(image, p)};
      preset.value = names.find(n => close(kernel, presets[n])) || "custom";
      const sum = (n, k) => `(${n} + 2\u00b7${p} \u2212 ${k}) / ${s}`;
      formulas.innerHTML = formula(sum(image.length, kernel.length), sum(image[0].length, kernel[0].length), out);
      return out.length * out[0].length;
    },
    state: () => ({input: st.image, kernel: st.kernel, padding: st.p, stride: st.s}),
    frame: (step, matrix) => slide(st, step, matrix, "output", (top, left) => {
      const {kernel, p} = st, products = kernel.map((kr, i) => kr.map((k, j) => st.padded[top + i][left + j] * k));
      const sum = products.flat().reduce((a, b) => a + b, 0), window = [top, left, kernel.length, kernel[0].length];
      return [`${matrix(st.padded, {window, padding: p, caption: `input (padding ${p})`})}<span class="cnn-op">\u2299</span>` +
        `${matrix(kernel, {caption: "kernel"})}<span class="cnn-op">=</span>${matrix(products, {caption: "products"})}` +
        `<span class="cnn-op">\u2192 sum = <b>${fmtG(sum)}</b> \u2192</span>`, ""];
    }),
    after: paintPicture,
    destroy: () => tools.stop(),
  });
  tools = pictureTools(explorer, {onPicture: p => usePicture(p, true), camera: model.get("camera"), filter, kernel: () => st.kernel});
  explorer.box.insertBefore(tools.row, explorer.message);
  explorer.box.append(tools.status, pictures, ...(tools.cameraView ? [tools.cameraView] : []));
  preset.addEventListener("change", () => {
    if (preset.value !== "custom") kernelText.value = formatMatrix(presets[preset.value]);
    explorer.refresh(true);
  });
  explorer.listen(["kernel", "input", "padding", "stride"], () => {
    kernelText.value = formatMatrix(model.get("kernel"));
    imageText.value = formatMatrix(model.get("input"));
    padding.value = model.get("padding");
    stride.value = model.get("stride");
  });
  explorer.listen(["image"], () => {
    const p = fromImage(model.get("image"));
    if (p) usePicture(p, false); else { picture = null; crop = null; pictures.hidden = true; }
  }, false);
  const initial = fromImage(model.get("image"));
  if (initial) { picture = initial; crop = null; }
  explorer.refresh(false);
  return () => explorer.destroy();
}

// --- chapter 2: pooling
function poolView(root, model) {
  const L = model.get("limits"), imageText = textarea("input", model.get("input")), modeNames = model.get("mode_names");
  let mode = model.get("mode"), st;
  const buttons = model.get("modes").map(([label, value]) =>
    el("button", {type: "button", "data-mode": value, "aria-pressed": String(value === mode), text: label}));
  const window_ = number("window", 1, L.side, model.get("window")), stride = number("stride", 1, L.stride, model.get("stride"));
  const formulas = formulaBox();
  const explorer = new Explorer(root, model, {
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
    state: () => ({input: st.image, window: st.k, stride: st.s, mode: st.mode}),
    frame: (step, matrix) => slide(st, step, matrix, `output (${modeNames[st.mode]} pooling)`, (top, left, value) => {
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
  const press = () => buttons.forEach(o => o.setAttribute("aria-pressed", String(o.dataset.mode === mode)));
  for (const b of buttons) {
    b.addEventListener("click", () => {
      mode = b.dataset.mode;
      press();
      explorer.refresh(true);
    });
  }
  explorer.listen(["input", "window", "stride", "mode"], () => {
    imageText.value = formatMatrix(model.get("input"));
    window_.value = model.get("window");
    stride.value = model.get("stride");
    mode = model.get("mode");
    press();
  });
  explorer.refresh(false);
  return () => explorer.destroy();
}

const views = globalThis.cnnLiveViews ||= {};
const bound = make => ({render({model, el: root}) { bind(); return make(root, model); }});
function bind() {
  ({conv2d, pool2d, getActivation, slopeOf, intAtLeast, parseMatrix, formatMatrix, fmtG, fail, repr, NUMBER, NONFINITE,
    filterPicture} = window.cnnLive);
  ({pictureTools, toImage, fromImage, paintGrey, figure, el, labelled, row} = globalThis.cnnLivePicture);
}
Object.assign(views, {conv: bound(convView), pool: bound(poolView)});
// What chapter 3's view (cnn-live-activations.js) shares with these two.
views.kit = {Explorer, esc, bind: () => (bind(), {el, row, labelled, fmtG, NUMBER, NONFINITE, fail, repr, slopeOf, getActivation,
  filterPicture, pictureTools, toImage, fromImage})};
new MutationObserver(redraw).observe(document.documentElement, {attributeFilter: ["data-theme"]});
addEventListener("resize", redraw);  // a zoom changes devicePixelRatio
})();
