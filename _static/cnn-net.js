/* Chapter 4's small CNN in the reader's browser, as PyTorch and cnncourse compute it: globalThis.cnnNet.
 * The network comes from cnncourse.export_network (format "cnncourse-net/1", described there); the
 * explorer that draws with it is cnn-draw.mjs. No dependencies; numbers in float64. */
(() => {
"use strict";

const fail = message => { throw new Error(message); };
const FORMAT = "cnncourse-net/1";

function bytes(base64) {
  const text = atob(base64), out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

// --- the exported network: its stages, each conv and linear with its weight and bias
function loadNetwork(net) {
  if (!net || net.format !== FORMAT) fail(`network must be of format '${FORMAT}' (cnncourse.export_network)`);
  const raw = bytes(net.data), view = new DataView(raw.buffer);
  const numbers = new Float32Array(raw.length / 4);
  for (let i = 0; i < numbers.length; i++) numbers[i] = view.getFloat32(4 * i, true);
  const tensor = name => {
    const t = net.tensors[name] || fail(`the network has no tensor '${name}'`);
    return numbers.subarray(t.offset, t.offset + t.shape.reduce((a, b) => a * b, 1));
  };
  const stages = net.stages.map(s => (s.kind === "conv" || s.kind === "linear"
    ? {...s, weight: tensor(`${s.name}.weight`), bias: tensor(`${s.name}.bias`)} : {...s}));
  return {classes: net.classes.slice(), input: net.input.slice(), stages};
}

// The validation images of cnncourse.export_examples: bytes / 255.
function decodeExamples(examples) {
  const [n, h, w] = examples.shape, raw = bytes(examples.data), images = [];
  for (let k = 0; k < n; k++) {
    const image = new Float64Array(h * w);
    for (let i = 0; i < h * w; i++) image[i] = Math.fround(raw[k * h * w + i] / 255);
    images.push(image);
  }
  return {images, labels: examples.labels.slice(), h, w};
}

// --- the stages, on maps stored channel by channel, row by row (C, H, W)
function conv(x, [c, h, w], s) {
  const k = s.kernel, p = s.padding, st = s.stride;
  const oh = Math.floor((h + 2 * p - k) / st) + 1, ow = Math.floor((w + 2 * p - k) / st) + 1;
  const out = new Float64Array(s.out * oh * ow), W = s.weight;
  for (let o = 0; o < s.out; o++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        let total = s.bias[o];
        for (let ci = 0; ci < c; ci++) {
          for (let i = 0; i < k; i++) {
            const y = r * st + i - p;
            if (y < 0 || y >= h) continue;
            const row = (ci * h + y) * w, wrow = ((o * c + ci) * k + i) * k;
            for (let j = 0; j < k; j++) {
              const xx = q * st + j - p;
              if (xx >= 0 && xx < w) total += x[row + xx] * W[wrow + j];
            }
          }
        }
        out[(o * oh + r) * ow + q] = total;
      }
    }
  }
  return [out, [s.out, oh, ow]];
}

// Max pooling; the first largest value of each window (row by row), as PyTorch picks it.
function maxpool(x, [c, h, w], s, where = null) {
  const k = s.window, st = s.stride;
  const oh = Math.floor((h - k) / st) + 1, ow = Math.floor((w - k) / st) + 1;
  const out = new Float64Array(c * oh * ow);
  for (let ci = 0; ci < c; ci++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        let best = -Infinity, at = -1;
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            const index = (ci * h + r * st + i) * w + q * st + j, v = x[index];
            if (v > best || v !== v || at < 0) { best = v; at = index; }
          }
        }
        out[(ci * oh + r) * ow + q] = best;
        if (where) where[(ci * oh + r) * ow + q] = at;
      }
    }
  }
  return [out, [c, oh, ow]];
}

function linear(x, s) {
  const out = new Float64Array(s.out);
  for (let o = 0; o < s.out; o++) {
    let total = s.bias[o];
    for (let i = 0; i < s.in; i++) total += x[i] * s.weight[o * s.in + i];
    out[o] = total;
  }
  return out;
}

// Every stage's output for one image (C*H*W numbers): [{name, kind, shape, data}], the input first.
function forward(network, image) {
  const [c, h, w] = network.input;
  if (!image || image.length !== c * h * w) fail(`image must have ${c * h * w} values (${c}x${h}x${w}), got ${image ? image.length : image}`);
  let x = Float64Array.from(image), shape = [c, h, w];
  const outputs = [{name: "input", kind: "input", shape, data: x}];
  for (const s of network.stages) {
    if (s.kind === "conv") [x, shape] = conv(x, shape, s);
    else if (s.kind === "relu") x = x.map(v => (v > 0 ? v : 0));
    else if (s.kind === "maxpool") [x, shape] = maxpool(x, shape, s);
    else if (s.kind === "flatten") shape = [x.length];
    else if (s.kind === "linear") { x = linear(x, s); shape = [s.out]; }
    else fail(`unknown stage kind '${s.kind}'`);
    outputs.push({name: s.name, kind: s.kind, shape: shape.slice(), data: x});
  }
  return outputs;
}

function softmax(logits) {
  const top = Math.max(...logits), e = Array.from(logits, v => Math.exp(v - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map(v => v / total);
}

// --- Grad-CAM (cnncourse.grad_cam): d score / d maps of `layer`, back through the stages after it
function backward(network, outputs, layer, target) {
  const index = outputs.findIndex(o => o.name === layer);
  if (index < 1 || outputs[index].shape.length !== 3) {
    fail(`layer must be a stage with feature maps; valid layers are ${outputs.filter(o => o.shape.length === 3 && o.kind !== "input").map(o => o.name).join(", ")}, got '${layer}'`);
  }
  const last = outputs[outputs.length - 1];
  if (!Number.isInteger(target) || target < 0 || target >= last.data.length) fail(`target must be a class from 0 to ${last.data.length - 1}, got ${target}`);
  let grad = new Float64Array(last.data.length);
  grad[target] = 1;
  for (let k = outputs.length - 1; k > index; k--) {
    const s = network.stages[k - 1], input = outputs[k - 1], [c, h, w] = input.shape.length === 3 ? input.shape : [input.shape[0], 1, 1];
    const back = new Float64Array(input.data.length);
    if (s.kind === "linear") {
      for (let o = 0; o < s.out; o++) if (grad[o]) for (let i = 0; i < s.in; i++) back[i] += grad[o] * s.weight[o * s.in + i];
    } else if (s.kind === "flatten") {
      back.set(grad);
    } else if (s.kind === "relu") {
      for (let i = 0; i < back.length; i++) back[i] = outputs[k].data[i] > 0 ? grad[i] : 0;
    } else if (s.kind === "maxpool") {
      const where = new Int32Array(grad.length);
      maxpool(input.data, input.shape, s, where);
      for (let i = 0; i < grad.length; i++) back[where[i]] += grad[i];
    } else if (s.kind === "conv") {
      const [, oh, ow] = outputs[k].shape, kk = s.kernel, p = s.padding, st = s.stride;
      for (let o = 0; o < s.out; o++) for (let r = 0; r < oh; r++) for (let q = 0; q < ow; q++) {
        const g = grad[(o * oh + r) * ow + q];
        if (!g) continue;
        for (let ci = 0; ci < c; ci++) for (let i = 0; i < kk; i++) {
          const y = r * st + i - p;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kk; j++) {
            const xx = q * st + j - p;
            if (xx >= 0 && xx < w) back[(ci * h + y) * w + xx] += g * s.weight[((o * c + ci) * kk + i) * kk + j];
          }
        }
      }
    }
    grad = back;
  }
  return grad;
}

// PyTorch's bilinear resize with align_corners=False (half-pixel centres), one channel.
function resizeBilinear(map, h, w, oh, ow) {
  const out = new Float64Array(oh * ow);
  const source = (d, n, on) => { const v = (n / on) * (d + 0.5) - 0.5; return v < 0 ? 0 : v; };
  for (let r = 0; r < oh; r++) {
    const y = source(r, h, oh), y0 = Math.floor(y), y1 = y0 < h - 1 ? y0 + 1 : y0, ly = y - y0;
    for (let q = 0; q < ow; q++) {
      const x = source(q, w, ow), x0 = Math.floor(x), x1 = x0 < w - 1 ? x0 + 1 : x0, lx = x - x0;
      out[r * ow + q] = (1 - ly) * ((1 - lx) * map[y0 * w + x0] + lx * map[y0 * w + x1])
        + ly * ((1 - lx) * map[y1 * w + x0] + lx * map[y1 * w + x1]);
    }
  }
  return out;
}

// Grad-CAM of class `target` at `layer`: ReLU(sum_c mean(grad_c) A_c), resized to the input, scaled to [0, 1].
function gradCam(network, outputs, target, layer = "relu3") {
  const grad = backward(network, outputs, layer, target);
  const maps = outputs.find(o => o.name === layer), [c, h, w] = maps.shape, n = h * w;
  const cam = new Float64Array(n);
  for (let ci = 0; ci < c; ci++) {
    let weight = 0;
    for (let i = 0; i < n; i++) weight += grad[ci * n + i];
    weight /= n;
    if (weight) for (let i = 0; i < n; i++) cam[i] += weight * maps.data[ci * n + i];
  }
  for (let i = 0; i < n; i++) if (!(cam[i] > 0)) cam[i] = 0;
  const [, ih, iw] = network.input, out = resizeBilinear(cam, h, w, ih, iw);
  let low = Infinity, high = -Infinity;
  for (const v of out) { if (v < low) low = v; }
  for (let i = 0; i < out.length; i++) { out[i] -= low; if (out[i] > high) high = out[i]; }
  if (high > 0) for (let i = 0; i < out.length; i++) out[i] /= high;
  return out;
}

// --- receptive fields (cnncourse.layer_field, receptive_box)
function layerField(network, layer) {
  let side = 1, step = 1, start = 0, positions = network.input[1];
  const names = [];
  for (const s of network.stages) {
    if (s.kind === "flatten" || s.kind === "linear") break;
    names.push(s.name);
    if (s.kind === "conv" || s.kind === "maxpool") {
      const k = s.kind === "conv" ? s.kernel : s.window, p = s.kind === "conv" ? s.padding : 0;
      side += (k - 1) * step;
      start -= p * step;
      step *= s.stride;
      positions = Math.floor((positions + 2 * p - k) / s.stride) + 1;
    }
    if (s.name === layer) return {side, step, start, positions};
  }
  return fail(`layer must be a stage with feature maps; valid layers are ${names.join(", ")}, got '${layer}'`);
}

// [top, left, bottom, right], inclusive, cut to the image.
function receptiveBox(network, layer, row, col) {
  const f = layerField(network, layer), size = network.input[1];
  return [row, col, row, col].map((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= f.positions) fail(`${i % 2 ? "col" : "row"} must be from 0 to ${f.positions - 1}, got ${v}`);
    const first = f.start + v * f.step;
    return i < 2 ? Math.max(first, 0) : Math.min(first + f.side - 1, size - 1);
  });
}

globalThis.cnnNet = {FORMAT, loadNetwork, decodeExamples, forward, softmax, backward, gradCam, resizeBilinear,
  layerField, receptiveBox};
})();
