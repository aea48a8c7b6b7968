/* The website's host for the course's anywidget-style explorers: no kernel, the model is a plain object.
 *
 * A view is what anywidget mounts in a notebook: an object with render({model, el}) (it may return a clean-up
 * function, or a promise of one), where
 *   model.get(key)                the state's value (the JSON settings cnncourse wrote into the page)
 *   model.set(key, value)         change it; "change:<key>" and then "change" fire at once, as in anywidget
 *   model.save_changes()          in a notebook, sends the changes to Python; here there is no Python: nothing
 *   model.on(event, callback)     "change:<key>" (callback(newValue)), "change" or "msg:custom" (callback(content))
 *   model.off(event, callback)    stop listening (callback omitted: every callback of the event)
 *   model.send(content)           a custom message to Python; here: dropped
 *   el                            the element to draw in (the recorded player's place)
 *
 * Views are registered by name: globalThis.cnnLiveViews[kind] = view (cnn-live-explorers.js registers "conv",
 * "pool" and "act"), or cnnLiveHost.register(kind, view) (mounts at once what waits for it). An ES module whose
 * default export is a view is mounted by naming it on the page: data-cnn-live-module="url" (served over http;
 * file:// pages cannot import modules, so the course's own views are classic scripts).
 *
 * On the page: <div class="cnn-live" data-cnn-live="kind"><script type="application/json" class="cnn-live-config">
 * {settings}</script><div class="cnn-player">(the recorded player, kept without JavaScript)</div></div>. The
 * host mounts the view in place of the player (data-mounted="1"); if the view fails, the player stays and
 * data-live-error says why. Then cnnLiveHost.mounted[i] = {model, el, kind}.
 * Chapter 4's draw explorer (cnncourse.DrawExplorer.page_html) is mounted the same way from its own markup:
 * <div class="cnn-draw-mount" data-cnn-draw="1"><script class="cnn-draw-config">..</script><p class="cnn-draw-fallback">
 * (hidden once mounted), with the ES module cnn-draw.mjs beside this script (it needs cnn-net.js).
 */
(() => {
"use strict";

class Model {
  constructor(state = {}) {
    this.state = {...state};
    this.handlers = new Map();
  }
  get(key) { return this.state[key]; }
  set(key, value) {
    const old = this.state[key];
    this.state[key] = value;
    if (old !== value) {
      this.emit(`change:${key}`, value);
      this.emit("change", this);
    }
  }
  save_changes() {}
  send() {}
  on(event, callback) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(callback);
  }
  off(event, callback) {
    if (callback === undefined) this.handlers.delete(event); else this.handlers.get(event)?.delete(callback);
  }
  emit(event, ...args) { [...(this.handlers.get(event) || [])].forEach(callback => callback(...args)); }
}

const views = globalThis.cnnLiveViews ||= {};
const mounted = [];
const here = document.currentScript?.src || document.baseURI;  // modules named on a page are beside this script
// The markups mounted: the explorers of chapters 1-3 (the view replaces the player), chapter 4's draw explorer.
const MARKUPS = [
  {selector: "div.cnn-live[data-cnn-live]", config: "script.cnn-live-config", fallback: ".cnn-player", replace: true,
   kind: w => w.dataset.cnnLive, module: w => w.dataset.cnnLiveModule},
  {selector: "div.cnn-draw-mount[data-cnn-draw]", config: "script.cnn-draw-config", fallback: ".cnn-draw-fallback",
   replace: false, kind: () => "draw", module: () => "cnn-draw.mjs"},
];

async function mount(wrapper, markup = MARKUPS.find(m => wrapper.matches(m.selector))) {
  const kind = markup.kind(wrapper), source = markup.module(wrapper);
  const script = wrapper.querySelector(markup.config), fallback = wrapper.querySelector(markup.fallback);
  if (wrapper.dataset.mounted || wrapper.dataset.mounting || !script || (markup.replace && !fallback)) return;
  if (!views[kind] && !source) return;  // not registered yet: register() mounts it
  wrapper.dataset.mounting = "1";
  try {
    const view = views[kind] || (views[kind] = (await import(new URL(source, here))).default);
    const state = JSON.parse(script.textContent), el = document.createElement("div");
    if (markup.replace) state.title ??= fallback.querySelector(".cnn-player-title")?.textContent || "";
    el.className = "cnn-live-view";
    const model = new Model(state);
    if (markup.replace) fallback.before(el); else wrapper.append(el);
    try {
      el.cnnCleanup = await view.render({model, el});
    } catch (e) {
      el.remove();
      throw e;
    }
    if (markup.replace) fallback.remove(); else wrapper.querySelectorAll(markup.fallback).forEach(f => { f.hidden = true; });
    wrapper.dataset.mounted = "1";
    mounted.push({model, el, kind});
  } catch (e) {  // the recorded player (or the fallback text) stays, with the reason
    wrapper.dataset.liveError = e.message;
  } finally {
    delete wrapper.dataset.mounting;
  }
}
const mountAll = () => Promise.all(MARKUPS.flatMap(m => [...document.querySelectorAll(m.selector)].map(w => mount(w, m))));
function register(kind, view) {
  views[kind] = view;
  return mountAll();
}

globalThis.cnnLiveHost = {Model, register, mount, mountAll, mounted};
// Deferred (as the website loads it): after every deferred script, the views' among them.
if (document.readyState === "loading" || document.currentScript?.defer) addEventListener("DOMContentLoaded", mountAll);
else mountAll();
})();
