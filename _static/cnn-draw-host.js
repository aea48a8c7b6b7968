/* THROWAWAY HOST (issue 26, until the shared anywidget host of issue 25 replaces it at the merge).
 *
 * Mounts the anywidget module cnn-draw.mjs on the website: for every div.cnn-draw-mount[data-cnn-draw], a
 * model with anywidget's interface (get, set, on, off, save_changes, send) backed by the plain object
 * in the div's JSON config (written by cnncourse.DrawExplorer.page_html); no kernel. Needs cnn-net.js
 * (loaded before it). The fallback text stays where JavaScript is off or the module cannot load. */
(() => {
"use strict";
const base = document.currentScript ? document.currentScript.src : document.baseURI;

function plainModel(state) {
  const handlers = new Map();
  return {
    get: key => state[key],
    set(key, value) {
      state[key] = value;
      for (const handler of handlers.get(`change:${key}`) || []) handler();
    },
    on(event, handler) { handlers.set(event, [...(handlers.get(event) || []), handler]); },
    off(event, handler) { handlers.set(event, (handlers.get(event) || []).filter(h => h !== handler)); },
    save_changes() {},
    send() {},
  };
}

async function mount() {
  const boxes = Array.from(document.querySelectorAll("div.cnn-draw-mount[data-cnn-draw]:not([data-mounted])"));
  if (!boxes.length || !globalThis.cnnNet) return;
  for (const box of boxes) box.dataset.mounted = "";  // claimed: a second call mounts nothing twice
  const widget = (await import(new URL("cnn-draw.mjs", base).href)).default;
  for (const box of boxes) {
    const config = JSON.parse(box.querySelector("script.cnn-draw-config").textContent);
    const el = document.createElement("div");
    box.appendChild(el);
    widget.render({model: plainModel(config), el});
    for (const fallback of box.querySelectorAll(".cnn-draw-fallback")) fallback.hidden = true;
    box.dataset.mounted = "1";
  }
}

// Deferred scripts run before DOMContentLoaded, in any order: mount once all of them (cnn-net.js too) ran.
if (document.readyState === "complete") mount(); else addEventListener("DOMContentLoaded", mount);
})();
