// Small behaviours shared by every page (no inline scripts anywhere).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // On a phone a course's tabs scroll sideways: the open one is brought into view, or
  // the Russian "Свидетельства" tab would open with its own name off the screen.
  document.querySelectorAll(".nav-tabs .nav-link.active").forEach(function (tab) {
    var list = tab.closest(".nav-tabs");
    var past = tab.getBoundingClientRect().right - list.getBoundingClientRect().right;
    if (past > 0) {
      list.scrollLeft += past + 16;
    }
  });
})();
