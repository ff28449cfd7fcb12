// A form sent back with errors: its summary takes the focus, so a screen reader reads it first and a
// keyboard user starts from its links (each leads to its field). Loaded on every page (the CSP allows
// no inline script); does nothing where there is no summary. A form whose address ends in a fragment
// (#toevoegen) makes the browser move there once the page has loaded, which drops the focus: the
// summary takes it back then, unless the person has already moved it elsewhere.
(function () {
  "use strict";
  function summary() {
    return document.querySelector(".error-summary, .app-error-summary");
  }
  function focusSummary() {
    var element = summary();
    if (element) element.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusSummary);
  else focusSummary();
  window.addEventListener("load", function () {
    if (!document.activeElement || document.activeElement === document.body) focusSummary();
  });
})();
