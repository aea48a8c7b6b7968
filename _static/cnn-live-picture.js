/* The reader's own picture in the explorers of "How CNNs see" (cnn-live-explorers.js): a file, a drop or a paste,
 * and on the website the camera, filtered frame by frame. Nothing leaves the page. globalThis.cnnLivePicture. */
(() => {
"use strict";
// The texts written here (see LABELS in cnn-live-explorers.js: cnncourse reads both lists).
const LABELS = [
  "your picture",
  "drop or paste a picture here",
  "Your picture stays in this page: nothing is uploaded.",
  "camera",
  "stop the camera",
  "your camera",
  "your camera, in grey",
  "your camera, filtered by the kernel",
  "filtered by the kernel",
  "{fps} frames per second",
  "No camera can be used here: this browser offers none to this page.",
  "The camera was not allowed. Allow it in the browser's address bar to use it, or bring a picture.",
  "No camera was found (or it is in use by another program).",
  "The camera could not start ({name}).",
  "The picture is {W}×{H} pixels: it was scaled down to {w}×{h}.",
  "{name} is not a picture your browser can read (a PNG, JPEG, GIF or WebP)",
  "no picture was given"
];
const fail = message => { throw new Error(message); };
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
// --- the reader's own picture: a file, a drop or a paste (and, on the website, the camera). It never leaves the page.
const MAX_SIDE = 480, CAMERA = [320, 240];
const luma = (d, i) => Math.round(0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]);  // cnncourse.to_grayscale
function grayOf(source, w, h, canvas = document.createElement("canvas")) {  // uint8 grey levels, row by row
  Object.assign(canvas, {width: w, height: h});
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  ctx.drawImage(source, 0, 0, w, h);
  const d = ctx.getImageData(0, 0, w, h).data, g = new Uint8Array(w * h);
  for (let i = 0; i < g.length; i++) g[i] = luma(d, 4 * i);
  return g;
}
async function readPicture(file) {  // {gray, w, h, note}; throws a message for what is not a picture
  if (!file) fail("no picture was given");
  const url = URL.createObjectURL(file), img = new Image();
  try {
    img.src = url;
    await img.decode();
  } catch (e) {
    fail(`${file.name || "this file"} is not a picture your browser can read (a PNG, JPEG, GIF or WebP)`);
  } finally {
    URL.revokeObjectURL(url);
  }
  const W = img.naturalWidth, H = img.naturalHeight, f = Math.min(1, MAX_SIDE / Math.max(W, H));
  const w = Math.max(1, Math.round(W * f)), h = Math.max(1, Math.round(H * f));
  return {gray: grayOf(img, w, h), w, h, note: f < 1 ? `The picture is ${W}×${H} pixels: it was scaled down to ${w}×${h}.` : ""};
}
const toImage = (gray, w, h) => ({shape: [h, w], data: new DataView(gray.buffer, gray.byteOffset, gray.byteLength)});
function fromImage(image) {  // the model's image ({shape, data}: bytes from Python, a DataView here) or null
  if (!image || !image.shape) return null;
  const [h, w] = image.shape, data = image.data, buffer = data.buffer || data;
  return {gray: new Uint8Array(buffer, data.byteOffset || 0, h * w), w, h};
}
// A signed result as grey: 0 is mid-grey for a kernel with negative weights, else black; full scale is the largest
// value the kernel can give on [0, 1].
function paintGrey(canvas, values, w, h, kernel) {
  const flat = kernel.flat(), hi = flat.reduce((a, v) => a + Math.max(v, 0), 0), lo = flat.reduce((a, v) => a + Math.min(v, 0), 0);
  const signed = lo < 0, scale = signed ? 127.5 / (Math.max(hi, -lo) || 1) : 255 / (hi || 1), base = signed ? 127.5 : 0;
  if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, {width: w, height: h});
  const ctx = canvas.getContext("2d"), img = ctx.createImageData(w, h), d = img.data;
  for (let i = 0; i < values.length; i++) {
    const v = base + values[i] * scale;
    d[4 * i] = d[4 * i + 1] = d[4 * i + 2] = v;
    d[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
const figure = (canvas, caption) => el("figure", {}, [canvas, el("figcaption", {text: caption})]);

/* The controls and the pictures: onPicture({gray, w, h}) when the reader brings a picture; camera: filter(gray, w, h)
   gives {values, w, h} for each camera frame, painted beside it. */
function pictureTools(explorer, {onPicture, camera, filter, kernel}) {
  const file = el("input", {type: "file", accept: "image/*", "aria-label": "your picture"});
  const drop = el("div", {class: "cnn-drop", tabindex: "0", role: "button", "aria-label": "drop or paste a picture here",
    text: "drop or paste a picture here"});
  const note = el("span", {class: "cnn-note", text: "Your picture stays in this page: nothing is uploaded."});
  const status = el("div", {class: "cnn-note cnn-picture-note", "aria-live": "polite"});
  const tools = [labelled(file), drop];
  const say = (text, bad = false) => { status.textContent = text; status.classList.toggle("cnn-error", bad); };
  const take = async source => {
    try {
      const picture = await readPicture(source);
      say(picture.note);
      onPicture(picture);
    } catch (e) {
      say(`\u26a0 ${e.message}`, true);
    }
  };
  file.addEventListener("change", () => file.files[0] && take(file.files[0]));
  // The zone is a button too: a click (or Enter, or Space) opens the file picker.
  drop.addEventListener("click", () => file.click());
  drop.addEventListener("keydown", e => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); file.click(); }
  });
  const box = explorer.box;
  box.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("cnn-over"); });
  box.addEventListener("dragleave", () => drop.classList.remove("cnn-over"));
  box.addEventListener("drop", e => {
    e.preventDefault();
    drop.classList.remove("cnn-over");
    const f = e.dataTransfer?.files?.[0];
    if (f) take(f);
  });
  box.addEventListener("paste", e => {
    const f = [...(e.clipboardData?.files || [])][0];
    if (!f) return;
    e.preventDefault();
    take(f);
  });
  let stream = null, loop = 0;
  const cam = {fps: 0, ms: 0, frames: 0, last: null};
  box.cnnCamera = cam;
  const stopCamera = () => {
    cancelAnimationFrame(loop);
    stream?.getTracks().forEach(t => t.stop());
    stream = null;
    if (button) button.textContent = "camera";
  };
  let button = null;
  if (camera) {
    button = el("button", {type: "button", "data-action": "camera", text: "camera"});
    const [w, h] = CAMERA, video = el("video", {muted: "", playsinline: ""}), grab = document.createElement("canvas");
    const seen = el("canvas", {class: "cnn-img", role: "img", "aria-label": "your camera, in grey"});
    const out = el("canvas", {class: "cnn-img", role: "img", "aria-label": "your camera, filtered by the kernel"});
    const view = el("div", {class: "cnn-figures cnn-camera", hidden: ""}, [figure(seen, "your camera"), figure(out, "filtered by the kernel")]);
    const rate = el("span", {class: "cnn-note", "aria-live": "off"});
    cam.view = view;
    button.addEventListener("click", async () => {
      if (stream) { stopCamera(); view.hidden = true; return; }
      if (!navigator.mediaDevices?.getUserMedia) { say("\u26a0 No camera can be used here: this browser offers none to this page.", true); return; }
      try {
        stream = await navigator.mediaDevices.getUserMedia({video: {width: {ideal: w}, height: {ideal: h}, frameRate: {ideal: 30}}, audio: false});
      } catch (e) {
        stream = null;
        say(e.name === "NotAllowedError" || e.name === "SecurityError"
          ? "\u26a0 The camera was not allowed. Allow it in the browser's address bar to use it, or bring a picture."
          : e.name === "NotFoundError" || e.name === "OverconstrainedError" || e.name === "NotReadableError"
            ? "\u26a0 No camera was found (or it is in use by another program)."
            : `\u26a0 The camera could not start (${e.name}).`, true);
        return;
      }
      video.srcObject = stream;
      video.muted = true;
      try { await video.play(); } catch (e) { /* a frame may still come: drawn when it does */ }
      say("");
      button.textContent = "stop the camera";
      view.hidden = false;
      let count = 0, since = performance.now(), busy = 0, shown = -1;
      const tick = () => {
        loop = requestAnimationFrame(tick);
        if (video.readyState < 2 || video.currentTime === shown) return;
        shown = video.currentTime;
        const t0 = performance.now(), gray = grayOf(video, w, h, grab), result = filter(gray, w, h);
        if (result) paintGrey(out, result.values, result.w, result.h, kernel());
        paintGrey(seen, gray, w, h, [[255]]);  // the grey levels as they are
        busy += performance.now() - t0;
        count++;
        cam.frames++;
        cam.last = {gray, shape: [h, w], values: result?.values, outShape: result ? [result.h, result.w] : null};
        const now = performance.now();
        if (now - since >= 1000) {
          Object.assign(cam, {fps: count * 1000 / (now - since), ms: busy / count});
          rate.textContent = `${Math.round(cam.fps)} frames per second`;
          count = 0; busy = 0; since = now;
        }
      };
      tick();
    });
    tools.push(button, rate);
  }
  tools.push(note);
  return {row: row(tools, {class: "cnn-live-row cnn-picture-tools"}), status, cameraView: cam.view, stop: stopCamera};
}

globalThis.cnnLivePicture = {pictureTools, readPicture, toImage, fromImage, paintGrey, figure, grayOf, LABELS,
  el, labelled, row};  // the DOM helpers the views share
})();
