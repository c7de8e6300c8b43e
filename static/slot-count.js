// "Register (N selected)": the slot table's button, at the foot of a phone's screen, says how many
// boxes are ticked above it. Without JavaScript it says "Register" and works the same.
(function () {
  "use strict";
  function count(form) {
    var picked = form.querySelector("button .picked");
    if (!picked) return;
    var n = form.querySelectorAll("input[name=slot]:checked").length;
    picked.textContent = n ? " (" + n + " selected)" : "";
  }
  function countAll(root) {
    root.querySelectorAll(".slot-picker form").forEach(count);
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest(".slot-picker form");
    if (form) setTimeout(function () { count(form); }, 0);  // after select-all has ticked the rest
  });
  document.addEventListener("DOMContentLoaded", function () { countAll(document); });
  document.addEventListener("htmx:load", function (event) { countAll(event.target.parentNode || document); });
})();
