/* How CNNs see: "Live Code" (launch menu) runs the page's code on a free
 * server at mybinder.org, with Thebe loaded from unpkg.com. Without an
 * internet connection (or when either is out of reach), sphinx-thebe would
 * say "Loading thebe from CDN..." forever; this says what is needed instead,
 * at once when the download fails, after WAIT_MS when it hangs. */
(function () {
  "use strict";
  var WAIT_MS = 8000;
  var MESSAGE =
    "Live Code needs an internet connection: it loads Thebe from unpkg.com and runs the code " +
    "on a free server at mybinder.org, which could not be reached. Without a connection, run " +
    "the notebook on your own computer: download it (the download button at the top of the " +
    "page) and open it in Jupyter; with one, the launch menu also opens it in Binder or Colab.";

  function say(text) {
    var button = document.querySelector(".thebe-launch-button");
    var note = document.querySelector(".cnn-live-code-message");
    if (!note) {
      note = document.createElement("div");
      note.className = "admonition warning cnn-live-code-message";
      note.setAttribute("role", "alert");
      var title = document.createElement("p");
      title.className = "admonition-title";
      title.textContent = "Live Code is not available";
      note.appendChild(title);
      note.appendChild(document.createElement("p"));
      var anchor = button || document.querySelector("section h1");
      if (anchor) { anchor.insertAdjacentElement("afterend", note); } else { document.body.prepend(note); }
    }
    note.lastChild.textContent = text;
    if (button) { button.textContent = "Live Code: no connection"; }
  }

  function thebeLoaded() { return typeof window.thebelab !== "undefined"; }

  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest(".btn-launch-thebe")) || thebeLoaded()) { return; }
    var scripts = Array.prototype.slice.call(document.querySelectorAll("script[src]"));
    scripts.filter(function (s) { return /thebe/.test(s.src) && !/sphinx-thebe/.test(s.src); })
      .forEach(function (script) {
        script.addEventListener("error", function () { say(MESSAGE); });
        script.addEventListener("load", function () {
          window.thebelab.on("status", function (evt, data) {
            if (data && data.status === "failed") { say(MESSAGE); }
          });
        });
      });
    setTimeout(function () { if (!thebeLoaded()) { say(MESSAGE); } }, WAIT_MS);
  });
})();
