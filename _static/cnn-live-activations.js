/* Chapter 3's explorer of "How CNNs see": an activation, its derivative and its effect on a feature map (the
 * reader's picture's edges too). An anywidget-style view, globalThis.cnnLiveViews.act, on the frame of
 * cnn-live-explorers.js (loaded before it); see that file for the model's interface. */
(() => {
"use strict";
// The texts written here (see LABELS in cnn-live-explorers.js: cnncourse reads every list).
const LABELS = [
  "activation",
  "slope",
  "feature map before",
  "after {label}",
  "{label}: function (blue, solid) and derivative (orange, dashed)",
  "number of values (log scale)",
  "The feature map before the activation: red where positive, blue where negative, white at zero",
  "The same feature map after {label}, on the same colour scale",
  "values before (grey) and after (green); {share} of the values are exactly 0 after",
  "Plot of {title} and its derivative for x from -4 to 4",
  "Histograms of the feature map's values before and after {label}",
  "{name} must be a number, got {value}",
  "{name} must be a finite number, got {value}"
];
const views = globalThis.cnnLiveViews ||= {};
let Explorer, el, esc, row, labelled, fmtG, NUMBER, NONFINITE, fail, repr, slopeOf, getActivation, filterPicture, pictureTools, toImage,
  fromImage;
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

function percentile99(values) {  // numpy.percentile(|values|, 99), linear
  const a = Float64Array.from(values, Math.abs).sort(), at = 0.99 * (a.length - 1), i = Math.floor(at);
  return i + 1 < a.length ? a[i] + (a[i + 1] - a[i]) * (at - i) : a[i];
}
function actView(root, model) {
  const lut = model.get("lut").match(/../g).map(h => parseInt(h, 16)), [x0, x1, nx] = model.get("x"), colours = model.get("colours");
  const x = Array.from({length: nx}, (_, i) => x0 + i * (x1 - x0) / (nx - 1)), names = model.get("activations");
  const select = el("select", {"aria-label": "activation"}, names.map(([label, value]) => el("option", {value, text: label})));
  select.value = model.get("activation");
  const slope = el("input", {type: "text", value: fmtG(model.get("slope")), "aria-label": "slope"});
  let st, before, shape, after, limit, bins, beforeCounts;
  const useMap = (values, dims, lim, edges) => {  // the feature map before the activation, and its scale
    before = values; shape = dims; after = new Float64Array(before.length); limit = lim; bins = edges;
    beforeCounts = histogram(before, bins);
  };
  const map = model.get("map"), bytes = Uint8Array.from(atob(map.float32), ch => ch.charCodeAt(0));
  const original = [new Float32Array(bytes.buffer), map.shape, model.get("limit"), model.get("bins")];
  useMap(...original);
  const usePicture = p => {  // its vertical-edge map at half resolution, as cnncourse.default_feature_map
    if (!p) { useMap(...original); return; }
    const k = model.get("edge_kernel"), [kh, kw] = [k.length, k[0].length];
    const full = filterPicture(Float64Array.from(p.gray, v => v / 255), p.h, p.w, k);
    const fh = p.h - kh + 1, fw = p.w - kw + 1, h = Math.ceil(fh / 2), w = Math.ceil(fw / 2), half = new Float64Array(h * w);
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) half[r * w + c] = full[2 * r * fw + 2 * c];
    const top = half.reduce((a, v) => Math.max(a, Math.abs(v)), 0) || 1;
    useMap(half, [h, w], percentile99(half) || top, Array.from({length: 49}, (_, i) => -top + i * 2 * top / 48));
  };
  const paint = (canvas, values) => {  // as png_data_uri (the canvas has the map's size: its HTML says so)
    const ctx = canvas.getContext("2d"), img = ctx.createImageData(shape[1], shape[0]), d = img.data;
    for (let i = 0; i < values.length; i++) {
      const v = values[i], level = 3 * Math.max(0, Math.min(255, Math.round(((v !== v ? 0 : v) + limit) * 255 / (2 * limit))));
      d[4 * i] = lut[level]; d[4 * i + 1] = lut[level + 1]; d[4 * i + 2] = lut[level + 2]; d[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  };
  const canvas = (cls, alt, caption) => `<figure><canvas class="cnn-img ${cls}" width="${shape[1]}" height="${shape[0]}" ` +
    `role="img" aria-label="${esc(alt)}"></canvas><figcaption>${esc(caption)}</figcaption></figure>`;
  const explorer = new Explorer(root, model, {
    rows: [row([select, slope].map(labelled))],
    edits: [],
    recompute() {
      const name = select.value, raw = slope.value.trim(), leaky = name === "leaky_relu";
      slope.disabled = !leaky;
      if (leaky && !NUMBER.test(raw)) fail(`slope must be a ${NONFINITE.test(raw) ? "finite " : ""}number, got ${repr(raw)}`);
      const s = leaky ? slopeOf(Number(raw)) : undefined, [f, df] = getActivation(name);
      let zeros = 0;
      for (let k = 0; k < after.length; k++) zeros += (after[k] = f(before[k], s)) === 0;
      const label = names.find(a => a[1] === name)[0] + (leaky ? ` (slope ${fmtG(s)})` : "");
      st = {name, s: leaky ? s : model.get("slope"), label, zeros: zeros / after.length, y: x.map(v => f(v, s)), dy: x.map(v => df(v, s))};
    },
    state: () => ({activation: st.name, slope: st.s}),
    frame() {
      const clipped = after.map(v => Math.max(bins[0], Math.min(bins[bins.length - 1], v)));
      return `<div class="cnn-figures cnn-top"><figure>${svgCurves(x, st.y, st.dy, st.label, model.get("ylim"), colours)}` +
        `<figcaption>${esc(st.label)}: function (blue, solid) and derivative (orange, dashed)</figcaption></figure>` +
        canvas("cnn-before", "The feature map before the activation: red where positive, blue where negative, white at zero",
          "feature map before") +
        canvas("cnn-after", `The same feature map after ${st.label}, on the same colour scale`, `after ${st.label}`) +
        `<figure>${svgHistograms(bins, [beforeCounts, histogram(clipped, bins)], st.label, colours)}<figcaption>` +
        `values before (grey) and after (green); ${Math.round(st.zeros * 100)}% of the values are exactly 0 after</figcaption></figure></div>`;
    },
    after: display => display.querySelectorAll("canvas").forEach((c, k) => paint(c, k ? after : before)),
    destroy: () => tools.stop(),
  });
  const tools = pictureTools(explorer, {onPicture: p => {
    usePicture(p);
    explorer.write({image: toImage(p.gray, p.w, p.h)});
    explorer.refresh(false);
  }});
  explorer.box.insertBefore(tools.row, explorer.message);
  explorer.box.insertBefore(tools.status, explorer.message);
  [select, slope].forEach(c => c.addEventListener("change", () => explorer.refresh(true)));
  explorer.listen(["activation", "slope"], () => { select.value = model.get("activation"); slope.value = fmtG(model.get("slope")); });
  explorer.listen(["image"], () => usePicture(fromImage(model.get("image"))));
  usePicture(fromImage(model.get("image")));
  explorer.refresh(false);
  return () => explorer.destroy();
}

views.act = {render({model, el: root}) {
  ({Explorer, esc} = views.kit);
  ({el, row, labelled, fmtG, NUMBER, NONFINITE, fail, repr, slopeOf, getActivation, filterPicture, pictureTools, toImage, fromImage} = views.kit.bind());
  return actView(root, model);
}};
})();
