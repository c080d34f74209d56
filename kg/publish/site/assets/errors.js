// Runs first on every page: script errors and blocked loads land in the page, where a reader
// (and the browser test) can see them, and <html data-errors> counts them.
(function () {
  "use strict";
  var root = document.documentElement;
  function record(message) {
    root.setAttribute("data-errors", String(Number(root.getAttribute("data-errors") || "0") + 1));
    root.setAttribute("data-last-error", String(message));
  }
  window.addEventListener("error", function (e) { record(e.message + " (" + e.filename + ":" + e.lineno + ")"); });
  window.addEventListener("unhandledrejection", function (e) { record(e.reason); });
  document.addEventListener("securitypolicyviolation", function (e) {
    record("blocked by the page's security policy: " + e.violatedDirective + " " + e.blockedURI);
  });
}());
