// The header box of a slot table ticks every open slot. Without JavaScript it stays hidden.
(function () {
  "use strict";
  function boxes(all) {
    // A Full slot's "Join Waiting List" box is not an open slot: it is ticked on purpose, one by one.
    return all.closest("table").querySelectorAll("tbody input[name=slot]:not(:disabled)");
  }
  function reveal(root) {
    root.querySelectorAll("input[data-select-all][hidden]").forEach(function (all) {
      all.hidden = boxes(all).length === 0;
    });
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("input[data-select-all]")) {
      boxes(box).forEach(function (b) { b.checked = box.checked; });
    } else if (box.matches("table tbody input[type=checkbox]")) {
      var all = box.closest("table").querySelector("input[data-select-all]");
      if (!all) return;
      var list = Array.prototype.slice.call(boxes(all));
      var ticked = list.filter(function (b) { return b.checked; }).length;
      all.checked = ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
    }
  });
  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:load", function (event) { reveal(event.target); });
})();
