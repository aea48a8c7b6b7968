/* How CNNs see: the in-browser explorers (cnn-live-explorers.js) in Chinese.

   Loaded only on the Chinese edition's pages that have a live explorer
   (_ext/local_assets.py). cnn-live-explorers.js writes its labels, notes and messages in
   English; each explorer's settings (written by cnncourse, Explorer.live_config)
   carry their translations as `labels`: English text, or a template with {name}
   placeholders, to Chinese. This script translates every text the explorers show
   (and their aria-label, title and alt), as they are drawn. */
(() => {
  "use strict";
  let exact = null, templates = [];

  function load() {
    if (exact) return;
    exact = {};
    for (const script of document.querySelectorAll(".cnn-live script[type='application/json']")) {
      let labels;
      try { labels = JSON.parse(script.textContent).labels; } catch (e) { labels = null; }
      if (labels) Object.assign(exact, labels);
    }
    for (const [english, chinese] of Object.entries(exact)) {
      const names = [...english.matchAll(/\{(\w*)\}/g)].map(m => m[1]);
      if (!names.length) continue;
      const pattern = english.split(/\{\w*\}/).map(part => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("(.+?)");
      templates.push({regex: new RegExp(`^${pattern}$`, "s"), chinese, names, literal: english.length - names.join("").length});
    }
    templates.sort((a, b) => b.literal - a.literal);  // the most specific template first
  }

  // A text in Chinese: an entry, then a template (its captured values translated in turn).
  function translate(text) {
    if (Object.hasOwn(exact, text)) return exact[text];
    for (const {regex, chinese, names} of templates) {
      const match = regex.exec(text);
      if (match) {
        const values = Object.fromEntries(names.map((name, i) => [name, translate(match[i + 1]) ?? match[i + 1]]));
        return chinese.replace(/\{(\w*)\}/g, (all, name) => values[name] ?? all);
      }
    }
    return null;
  }

  // A node's text: whole, or its core between leading and trailing non-letters ("→ sum = ").
  function localize(text) {
    if (!text || !/[A-Za-z]/.test(text)) return null;  // (a text may mix the two: "output (最大 pooling)")
    const trimmed = text.trim(), whole = translate(trimmed);
    if (whole !== null) return text.replace(trimmed, whole);
    const core = /[A-Za-z].*[A-Za-z]|[A-Za-z]/s.exec(text)[0], part = translate(core);
    return part === null ? null : text.replace(core, part);
  }

  const ATTRIBUTES = ["aria-label", "aria-valuetext", "title", "alt"];

  function visit(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const done = localize(node.data);
      if (done !== null && done !== node.data) node.data = done;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || node.matches("textarea, input, script, style")) return;
    for (const name of ATTRIBUTES) {
      const done = localize(node.getAttribute(name));
      if (done !== null && done !== node.getAttribute(name)) node.setAttribute(name, done);
    }
    node.childNodes.forEach(visit);
  }

  function start() {
    load();
    if (!Object.keys(exact).length) return;
    for (const root of document.querySelectorAll(".cnn-live")) {
      visit(root);
      new MutationObserver(changes => {
        for (const change of changes) {
          if (change.type === "childList") change.addedNodes.forEach(visit);
          else if (change.type === "characterData") visit(change.target);
          else visit(change.target.nodeType === Node.ELEMENT_NODE ? change.target : change.target.parentNode);
        }
      }).observe(root, {subtree: true, childList: true, characterData: true, attributes: true,
                        attributeFilter: ATTRIBUTES});
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
