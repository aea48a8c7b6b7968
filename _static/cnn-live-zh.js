/* How CNNs see: the explorers (cnn-live-explorers.js) in Chinese, on the website and in a notebook.

   cnn-live-explorers.js writes its labels, notes and messages in English; each explorer's model (the JSON
   settings on the website, the traits in a notebook, both written by cnncourse) carries their translations as
   `labels`: English text, or a template with {name} placeholders, to Chinese. An explorer calls
   cnnLiveZh.translateIn(its element, labels), which translates every text it shows (and their aria-label,
   title and alt), as they are drawn. Loaded only on the Chinese edition's pages that have a live explorer
   (_ext/page_scripts.py), and part of the explorers' ES module in a notebook. */
(() => {
  "use strict";
  let exact = null, templates = [];

  function add(labels) {  // more translations: the templates again, the most specific first
    exact = Object.assign(exact || {}, labels);
    templates = [];
    for (const [english, chinese] of Object.entries(exact)) {
      const names = [...english.matchAll(/\{(\w*)\}/g)].map(m => m[1]);
      if (!names.length) continue;
      const pattern = english.split(/\{\w*\}/).map(part => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("(.+?)");
      templates.push({regex: new RegExp(`^${pattern}$`, "s"), chinese, names, literal: english.length - names.join("").length});
    }
    templates.sort((a, b) => b.literal - a.literal);
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

  // Translate what `root` shows now and whatever is drawn in it later.
  function translateIn(root, labels) {
    add(labels);
    visit(root);
    new MutationObserver(changes => {
      for (const change of changes) {
        if (change.type === "childList") change.addedNodes.forEach(visit);
        else if (change.type === "characterData") visit(change.target);
        else visit(change.target.nodeType === Node.ELEMENT_NODE ? change.target : change.target.parentNode);
      }
    }).observe(root, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES});
  }

  globalThis.cnnLiveZh = {translateIn, translate: text => localize(text)};
})();
