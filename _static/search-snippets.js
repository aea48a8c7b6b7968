/* How CNNs see: search results show a snippet of the page's text, not of the
   theme's buttons and contents list around it (Sphinx reads [role=main], which
   holds them too). Only the search page has Sphinx's `Search`; elsewhere this
   does nothing. */
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") { return; }
  var original = Search.htmlToText;
  var noise = ".bd-header-article, .bd-sidebar-secondary, .onlyprint, .prev-next-area, .bd-footer-article, "
            + ".bd-footer-content, .d-print-none";
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(noise).forEach(function (el) { el.remove(); });
    return original(doc.documentElement.outerHTML, anchor);
  };
});
