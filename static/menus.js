// The black bar's drop-downs are <details>, which work without JavaScript; this only
// closes them the way people expect: one open at a time, Escape, or a tap elsewhere.
(function () {
  function closeAll(except) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (e) {
    closeAll(e.target.closest("details.dropdown"));
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector("details.dropdown[open]");
    if (open) { closeAll(null); open.querySelector("summary").focus(); }
  });
})();
