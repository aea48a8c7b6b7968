/* How CNNs see: a player's later frames are image files that load lazily
 * (loading="lazy", see _ext/page_weight.py), so a page does not load frames
 * nobody looks at. As soon as a reader reaches for a player (pointer over
 * it, focus, a key, a touch), all its frames start loading, so stepping and
 * playing show them at once. */
(function () {
  "use strict";
  function loadFrames(event) {
    var player = event.target && event.target.closest && event.target.closest(".cnn-player");
    if (!player || player.dataset.framesRequested) { return; }
    player.dataset.framesRequested = "1";
    player.querySelectorAll('img[loading="lazy"]').forEach(function (img) { img.loading = "eager"; });
  }
  ["pointerover", "focusin", "keydown", "touchstart"].forEach(function (type) {
    document.addEventListener(type, loadFrames, {capture: true, passive: true});
  });
})();
