// Small behaviours shared by every page (no inline scripts anywhere).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // On a phone a course's tabs scroll sideways: the open one is brought into view, or
  // the Russian "Свидетельства" tab would open with its own name off the screen. It is
  // centred, so that a tab cut at each edge shows there are more on both sides.
  document.querySelectorAll(".nav-tabs .nav-link.active").forEach(function (tab) {
    var list = tab.closest(".nav-tabs");
    var box = list.getBoundingClientRect();
    var own = tab.getBoundingClientRect();
    if (own.right > box.right || own.left < box.left) {
      list.scrollLeft += own.left - box.left - (list.clientWidth - own.width) / 2;
    }
  });
  // A saved sheet opens the grid at its day (#day-2026-12-03). The browser's jump to that
  // column also scrolled the page below "Attendance ... is saved", off a phone's screen:
  // the column is brought into view inside the grid's own box, the page back to the message.
  var savedDay = /^#day-\d{4}-\d{2}-\d{2}$/.test(location.hash);
  var message = savedDay && document.querySelector("main .alert-success");
  if (message) {
    window.addEventListener("load", function () {
      var column = document.getElementById(location.hash.slice(1));
      var grid = column && column.closest(".table-responsive");
      if (!grid) {
        return;
      }
      // Centred in what the pinned names column leaves visible, not behind it.
      var left = grid.getBoundingClientRect().left;
      var names = column.closest("tr").firstElementChild.getBoundingClientRect().right - left;
      var wanted = names + (grid.clientWidth - names - column.offsetWidth) / 2;
      grid.scrollLeft += column.getBoundingClientRect().left - left - Math.max(wanted, names);
      message.scrollIntoView({ block: "start" });
    });
  }
})();
