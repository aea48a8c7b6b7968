/* Draw for the CNN: chapter 4's trained network in the reader's browser, every stage's maps live as they draw.
 *
 * An anywidget front end (`export default {render({model, el})}`), the same in the notebook
 * (cnncourse.DrawExplorer, whose _esm is cnn-net.js followed by this file) and on the website (a
 * static host gives it the same model interface, backed by the page's JSON config). It computes with
 * globalThis.cnnNet (cnn-net.js), tested equal to PyTorch. Model keys: network (export_network),
 * examples (export_examples), pixels (the drawing, row by row, 0 to 1), texts (English -> this
 * edition's words), brush (1 to 3 pixels), note (a line under the explorer). */

// The texts this module writes; templates ({name} stands for a value). cnncourse translates them.
const LABELS = [
  "Brush",
  "Draw",
  "Erase",
  "Clear",
  "Start from a validation image",
  "(your drawing)",
  "{name}, example {k}",
  "The network says: {name} ({p})",
  "Nothing drawn yet.",
  "Class probabilities",
  "Draw here with the mouse, a finger or a pen (32 × 32 pixels)",
  "Click a unit of any map: its receptive field lights up on the drawing. Point at a class's bar (or tap it): its Grad-CAM at relu3 lies over the drawing.",
  "Grad-CAM of “{name}” at relu3 over the drawing",
  "Grad-CAM of “{name}” at relu3 has no positive value for this drawing: nothing to show",
  "{layer}, channel {c}, unit ({row}, {col}): it sees rows {top} to {bottom}, columns {left} to {right}",
  "Stage maps, from conv1 to pool3",
  "brush size {k} pixels"
];

const STYLE = `
.cnn-draw{font-family:sans-serif;font-size:.9em;border:1px solid rgba(128,128,128,.5);border-radius:6px;padding:.6em;margin:.5em 0;max-width:100%;box-sizing:border-box}
.cnn-draw-top{display:flex;flex-wrap:wrap;gap:.8em;align-items:flex-start}
.cnn-draw-pad{position:relative;width:256px;max-width:100%;flex:0 0 auto;aspect-ratio:1}
.cnn-draw-pad canvas{position:absolute;inset:0;width:100%;height:100%;image-rendering:pixelated;border:1px solid rgba(128,128,128,.7);box-sizing:border-box}
.cnn-draw-pad canvas.cnn-draw-ink{touch-action:none;cursor:crosshair}
.cnn-draw-pad canvas.cnn-draw-cam{pointer-events:none;image-rendering:auto}
.cnn-draw-field{position:absolute;border:2px solid #E69F00;box-sizing:border-box;pointer-events:none;box-shadow:0 0 0 1px #000}
.cnn-draw-side{flex:1 1 15em;min-width:0}
.cnn-draw-row{display:flex;flex-wrap:wrap;gap:.35em .6em;align-items:center;margin:.25em 0}
.cnn-draw :is(button,select){color:inherit;background:transparent;border:1px solid rgba(128,128,128,.7);border-radius:3px;padding:.15em .45em;font:inherit}
.cnn-draw option{color:#000;background:#fff}
.cnn-draw button[aria-pressed=true]{font-weight:bold;outline:2px solid #0072B2}
.cnn-draw select{max-width:100%}
.cnn-draw-say{font-weight:bold;margin:.4em 0}
.cnn-draw-bar{display:grid;grid-template-columns:7.5em 1fr 3.6em;gap:.5em;align-items:center;padding:.1em .2em;border-radius:3px;cursor:default}
.cnn-draw-bar:is(:hover,:focus,[data-active]){background:rgba(128,128,128,.18);outline:none}
.cnn-draw-bar>span:nth-child(2){height:.8em;background:rgba(128,128,128,.2);border-radius:2px;overflow:hidden}
.cnn-draw-bar i{display:block;height:100%;background:#56B4E9}
.cnn-draw-bar[data-top] i{background:#0072B2}
.cnn-draw-bar>span:last-child{text-align:right;font-variant-numeric:tabular-nums}
.cnn-draw-stages{display:flex;flex-wrap:wrap;gap:.4em 1em;margin-top:.6em}
.cnn-draw-stage{margin:0;max-width:100%}
.cnn-draw-stage figcaption{font:.85em monospace;padding:.15em 0}
.cnn-draw-stage canvas{display:block;max-width:100%;height:auto;cursor:pointer}
.cnn-draw-hint,.cnn-draw-note,.cnn-draw-field-text,.cnn-draw-cam-text{font-size:.9em;opacity:.85;margin:.3em 0}
`;

const MAP = 48, GAP = 3, COLUMNS = 8;  // each map drawn 48 px wide, 8 to a row

// Colour maps as 256-entry tables (r, g, b): viridis for magnitudes, blue-white-red for signed values.
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function table(colour) {
  const out = new Uint8ClampedArray(3 * 256);
  for (let i = 0; i < 256; i++) out.set(colour(i / 255).map(Math.round), 3 * i);
  return out;
}
const MAGNITUDE = table(t => {
  const x = t * (VIRIDIS.length - 1), i = Math.min(Math.floor(x), VIRIDIS.length - 2), f = x - i;
  return VIRIDIS[i].map((a, k) => a + (VIRIDIS[i + 1][k] - a) * f);
});
const SIGNED = table(t => {  // t = 0 is -1, t = 1 is +1
  const v = 2 * t - 1;
  return v >= 0 ? [255, 255 - 190 * v, 255 - 200 * v] : [255 + 222 * v, 255 + 150 * v, 255];
});

function injectStyle(root) {
  const doc = root.ownerDocument || document;
  if (doc.getElementById("cnn-draw-style")) return;
  const style = doc.createElement("style");
  style.id = "cnn-draw-style";
  style.textContent = STYLE;
  doc.head.appendChild(style);
}

function render({model, el}) {
  const N = globalThis.cnnNet;
  injectStyle(el);
  const texts = () => model.get("texts") || {};
  const t = (text, values = {}) => (texts()[text] || text).replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const network = N.loadNetwork(model.get("network"));
  const examples = model.get("examples") ? N.decodeExamples(model.get("examples")) : {images: [], labels: []};
  const [, H, W] = network.input, className = k => t(network.classes[k]);
  const pixels = new Float64Array(H * W);
  const state = {mode: 1, selected: null, target: -1, outputs: null, drawing: false, last: null};

  const h = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    for (const child of children) node.appendChild(child);
    return node;
  };
  const box = h("div", {class: "cnn-draw"});
  const ink = h("canvas", {class: "cnn-draw-ink", width: W, height: H, role: "img", tabindex: "0",
    "aria-label": t("Draw here with the mouse, a finger or a pen (32 × 32 pixels)")});
  const cam = h("canvas", {class: "cnn-draw-cam", width: W, height: H, "aria-hidden": "true"});
  const field = h("div", {class: "cnn-draw-field", hidden: ""});
  const pad = h("div", {class: "cnn-draw-pad"}, ink, cam, field);
  const brushes = [1, 2, 3].map(k => h("button", {type: "button", "data-brush": k, text: String(k),
    "aria-label": t("brush size {k} pixels", {k})}));
  const draw = h("button", {type: "button", "data-mode": "draw", text: t("Draw")});
  const erase = h("button", {type: "button", "data-mode": "erase", text: t("Erase")});
  const clear = h("button", {type: "button", "data-action": "clear", text: t("Clear")});
  const pick = h("select", {"aria-label": t("Start from a validation image")},
    h("option", {value: "", text: t("(your drawing)")}));
  const counts = {};
  examples.images.forEach((_, k) => {
    const label = examples.labels[k];
    counts[label] = (counts[label] || 0) + 1;
    pick.appendChild(h("option", {value: String(k), text: t("{name}, example {k}", {name: className(label), k: counts[label]})}));
  });
  const say = h("div", {class: "cnn-draw-say", "aria-live": "polite"});
  const bars = h("div", {class: "cnn-draw-bars", role: "list", "aria-label": t("Class probabilities")});
  const barRows = network.classes.map((_, k) => {
    const row = h("div", {class: "cnn-draw-bar", role: "listitem", tabindex: "0", "data-class": k},
      h("span", {text: className(k)}), h("span", {}, h("i")), h("span"));
    bars.appendChild(row);
    return row;
  });
  const fieldText = h("p", {class: "cnn-draw-field-text", "aria-live": "polite"});
  const camText = h("p", {class: "cnn-draw-cam-text", "aria-live": "polite"});
  const side = h("div", {class: "cnn-draw-side"},
    h("div", {class: "cnn-draw-row"}, h("span", {text: t("Brush")}), ...brushes, draw, erase, clear),
    h("div", {class: "cnn-draw-row"}, pick), say, bars, camText, fieldText);
  const stages = h("div", {class: "cnn-draw-stages", role: "group", "aria-label": t("Stage maps, from conv1 to pool3")});
  const views = [];
  const probe = N.forward(network, pixels);
  for (const o of probe.slice(1)) {
    if (o.shape.length !== 3) continue;
    const [c, mh, mw] = o.shape, rows = Math.ceil(c / COLUMNS), cols = Math.min(c, COLUMNS);
    const canvas = h("canvas", {width: cols * (MAP + GAP) - GAP, height: rows * (MAP + GAP) - GAP,
      role: "img", "aria-label": `${o.name}: ${c} × ${mh} × ${mw}`, "data-stage": o.name});
    canvas.style.width = `${cols * (MAP + GAP) - GAP}px`;
    const small = document.createElement("canvas");
    small.width = mw * c; small.height = mh;
    stages.appendChild(h("figure", {class: "cnn-draw-stage"}, h("figcaption", {text: `${o.name} · ${c}×${mh}×${mw}`}), canvas));
    views.push({name: o.name, kind: o.kind, shape: o.shape, canvas, small, image: small.getContext("2d").createImageData(mw * c, mh)});
  }
  const note = h("p", {class: "cnn-draw-note"});
  box.append(h("div", {class: "cnn-draw-top"}, pad, side), stages,
    h("p", {class: "cnn-draw-hint", text: t("Click a unit of any map: its receptive field lights up on the drawing. Point at a class's bar (or tap it): its Grad-CAM at relu3 lies over the drawing.")}), note);
  el.appendChild(box);

  // --- drawing what the network sees
  const inkContext = ink.getContext("2d"), inkImage = inkContext.createImageData(W, H);
  function paintInk() {
    const d = inkImage.data;
    for (let i = 0; i < H * W; i++) {
      const v = Math.round(255 * Math.min(Math.max(pixels[i], 0), 1));
      d[4 * i] = v; d[4 * i + 1] = v; d[4 * i + 2] = v; d[4 * i + 3] = 255;
    }
    inkContext.putImageData(inkImage, 0, 0);
  }
  function paintStage(view, output) {
    const [c, mh, mw] = view.shape, data = output.data, img = view.image.data;
    let top = 0;
    for (const v of data) if (Math.abs(v) > top) top = Math.abs(v);
    const signed = view.kind === "conv", lut = signed ? SIGNED : MAGNITUDE, scale = top > 0 ? 1 / top : 0;
    for (let ch = 0; ch < c; ch++) {
      for (let r = 0; r < mh; r++) {
        for (let q = 0; q < mw; q++) {
          const v = data[(ch * mh + r) * mw + q] * scale;
          const k = 3 * Math.min(255, Math.max(0, Math.round(signed ? 127.5 * (v + 1) : 255 * v)));
          const at = 4 * (r * mw * c + ch * mw + q);
          img[at] = lut[k]; img[at + 1] = lut[k + 1]; img[at + 2] = lut[k + 2]; img[at + 3] = 255;
        }
      }
    }
    view.small.getContext("2d").putImageData(view.image, 0, 0);
    const g = view.canvas.getContext("2d");
    g.imageSmoothingEnabled = false;
    g.clearRect(0, 0, view.canvas.width, view.canvas.height);
    for (let ch = 0; ch < c; ch++) {
      const x = (ch % COLUMNS) * (MAP + GAP), y = Math.floor(ch / COLUMNS) * (MAP + GAP);
      g.drawImage(view.small, ch * mw, 0, mw, mh, x, y, MAP, MAP);
    }
    const s = state.selected;
    if (s && s.name === view.name) {
      const x = (s.channel % COLUMNS) * (MAP + GAP) + s.col * MAP / mw, y = Math.floor(s.channel / COLUMNS) * (MAP + GAP) + s.row * MAP / mh;
      g.lineWidth = 2; g.strokeStyle = "#000"; g.strokeRect(x - 1, y - 1, MAP / mw + 2, MAP / mh + 2);
      g.strokeStyle = "#E69F00"; g.strokeRect(x, y, MAP / mw, MAP / mh);
    }
  }
  function paintCam() {
    const g = cam.getContext("2d");
    g.clearRect(0, 0, W, H);
    if (state.target < 0 || !state.outputs) { camText.textContent = ""; return; }
    const heat = N.gradCam(network, state.outputs, state.target, "relu3"), img = g.createImageData(W, H);
    for (let i = 0; i < H * W; i++) img.data.set([255, Math.round(90 + 140 * heat[i]), 0, Math.round(170 * heat[i])], 4 * i);
    g.putImageData(img, 0, 0);
    const name = className(state.target);
    camText.textContent = heat.some(v => v > 0) ? t("Grad-CAM of “{name}” at relu3 over the drawing", {name})
      : t("Grad-CAM of “{name}” at relu3 has no positive value for this drawing: nothing to show", {name});
    cam.setAttribute("aria-label", camText.textContent);
  }
  function paintField() {
    const s = state.selected;
    if (!s) { field.hidden = true; fieldText.textContent = ""; return; }
    const [top, left, bottom, right] = N.receptiveBox(network, s.name, s.row, s.col);
    Object.assign(field.style, {top: `${100 * top / H}%`, left: `${100 * left / W}%`,
      height: `${100 * (bottom - top + 1) / H}%`, width: `${100 * (right - left + 1) / W}%`});
    field.hidden = false;
    fieldText.textContent = t("{layer}, channel {c}, unit ({row}, {col}): it sees rows {top} to {bottom}, columns {left} to {right}",
      {layer: s.name, c: s.channel, row: s.row, col: s.col, top, bottom, left, right});
  }
  const percent = p => `${(100 * p).toFixed(1)}%`;
  function update() {
    paintInk();
    const outputs = N.forward(network, pixels);
    state.outputs = outputs;
    for (const view of views) paintStage(view, outputs.find(o => o.name === view.name));
    const probabilities = N.softmax(outputs[outputs.length - 1].data);
    let best = 0;
    probabilities.forEach((p, k) => { if (p > probabilities[best]) best = k; });
    barRows.forEach((row, k) => {
      row.children[1].firstChild.style.width = percent(probabilities[k]);
      row.children[2].textContent = percent(probabilities[k]);
      row.toggleAttribute("data-top", k === best);
      row.setAttribute("aria-label", `${className(k)}: ${percent(probabilities[k])}`);
    });
    const empty = !pixels.some(v => v > 0);
    say.textContent = empty ? t("Nothing drawn yet.") : t("The network says: {name} ({p})", {name: className(best), p: percent(probabilities[best])});
    box.dataset.prediction = network.classes[best];
    paintCam();
    paintField();
  }

  // --- the controls
  function sync() {
    model.set("pixels", Array.from(pixels));
    model.save_changes();
  }
  function setBrush(k) {
    brushes.forEach(b => b.setAttribute("aria-pressed", String(Number(b.dataset.brush) === k)));
  }
  function setMode(value) {
    state.mode = value;
    draw.setAttribute("aria-pressed", String(value === 1));
    erase.setAttribute("aria-pressed", String(value === 0));
  }
  const brush = () => Math.min(Math.max(Math.round(Number(model.get("brush")) || 2), 1), 3);
  brushes.forEach(b => b.addEventListener("click", () => { model.set("brush", Number(b.dataset.brush)); model.save_changes(); setBrush(brush()); }));
  draw.addEventListener("click", () => setMode(1));
  erase.addEventListener("click", () => setMode(0));
  clear.addEventListener("click", () => { pixels.fill(0); pick.value = ""; update(); sync(); });
  pick.addEventListener("change", () => {
    if (pick.value === "") return;
    pixels.set(examples.images[Number(pick.value)]);
    update(); sync();
  });

  // A disc of the brush's diameter at (x, y), in pixels of the drawing.
  function dab(x, y) {
    const radius = brush() / 2, r2 = radius * radius;
    for (let r = Math.max(0, Math.floor(y - radius)); r <= Math.min(H - 1, Math.floor(y + radius)); r++) {
      for (let q = Math.max(0, Math.floor(x - radius)); q <= Math.min(W - 1, Math.floor(x + radius)); q++) {
        const dy = r + 0.5 - y, dx = q + 0.5 - x;
        if (dy * dy + dx * dx <= r2 + 1e-9 || (r === Math.floor(y) && q === Math.floor(x))) pixels[r * W + q] = state.mode;
      }
    }
  }
  function where(event) {
    const rect = ink.getBoundingClientRect();
    return [(event.clientX - rect.left) / rect.width * W, (event.clientY - rect.top) / rect.height * H];
  }
  function stroke(event) {
    const [x, y] = where(event), [x0, y0] = state.last || [x, y];
    const steps = Math.max(1, Math.ceil(Math.hypot(x - x0, y - y0) * 4));
    for (let i = 1; i <= steps; i++) dab(x0 + (x - x0) * i / steps, y0 + (y - y0) * i / steps);
    state.last = [x, y];
    pick.value = "";
    update();
  }
  ink.addEventListener("pointerdown", event => {
    event.preventDefault();
    if (ink.setPointerCapture && event.pointerId !== undefined) { try { ink.setPointerCapture(event.pointerId); } catch (e) { /* synthetic pointer */ } }
    state.drawing = true; state.last = null;
    stroke(event);
  });
  ink.addEventListener("pointermove", event => { if (state.drawing) { event.preventDefault(); stroke(event); } });
  const end = () => { if (state.drawing) { state.drawing = false; state.last = null; sync(); } };
  ink.addEventListener("pointerup", end);
  ink.addEventListener("pointercancel", end);
  ink.addEventListener("touchstart", event => event.preventDefault(), {passive: false});
  ink.addEventListener("touchmove", event => event.preventDefault(), {passive: false});

  for (const view of views) {
    view.canvas.addEventListener("click", event => {
      const rect = view.canvas.getBoundingClientRect(), [c, mh, mw] = view.shape;
      const x = (event.clientX - rect.left) * view.canvas.width / rect.width, y = (event.clientY - rect.top) * view.canvas.height / rect.height;
      const column = Math.floor(x / (MAP + GAP)), line = Math.floor(y / (MAP + GAP)), channel = line * COLUMNS + column;
      const dx = x - column * (MAP + GAP), dy = y - line * (MAP + GAP);
      if (channel >= c || column >= COLUMNS || dx >= MAP || dy >= MAP) return;
      state.selected = {name: view.name, channel, row: Math.min(Math.floor(dy * mh / MAP), mh - 1), col: Math.min(Math.floor(dx * mw / MAP), mw - 1)};
      update();
    });
  }
  barRows.forEach((row, k) => {
    const show = () => { state.target = k; barRows.forEach((r, j) => r.toggleAttribute("data-active", j === k)); paintCam(); };
    const hide = () => { if (state.target === k) { state.target = -1; row.removeAttribute("data-active"); paintCam(); } };
    row.addEventListener("pointerenter", show);
    row.addEventListener("focus", show);
    row.addEventListener("pointerleave", event => { if (event.pointerType !== "touch") hide(); });
    row.addEventListener("blur", hide);
    row.addEventListener("click", () => (state.target === k && row.matches(":focus") ? null : show()));
  });

  // --- the model: Python (or the page) may set the drawing, the brush and the texts
  function fromModel() {
    const values = model.get("pixels") || [];
    pixels.fill(0);
    if (values.length === H * W) pixels.set(values.map(v => Math.min(Math.max(Number(v) || 0, 0), 1)));
    update();
  }
  const onPixels = () => { if (!state.drawing) fromModel(); };
  const onBrush = () => setBrush(brush());
  const onNote = () => { note.textContent = model.get("note") || ""; note.hidden = !note.textContent; };
  model.on("change:pixels", onPixels);
  model.on("change:brush", onBrush);
  model.on("change:note", onNote);
  setBrush(brush()); setMode(1); onNote(); fromModel();
  el.dataset.ready = "1";
  return () => {
    model.off("change:pixels", onPixels);
    model.off("change:brush", onBrush);
    model.off("change:note", onNote);
  };
}

export default {render};
