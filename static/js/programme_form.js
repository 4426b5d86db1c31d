// Module rows of the programme form: add a row, move rows up and down.
// Without JavaScript the form still works: blank rows and the Order column.
(function () {
  "use strict";
  var table = document.getElementById("module-rows");
  if (!table) { return; }
  var body = table.querySelector("tbody");

  function renumber() {
    Array.prototype.forEach.call(body.querySelectorAll("tr.module-row"), function (row, index) {
      row.querySelectorAll("input, select").forEach(function (input) {
        ["name", "id"].forEach(function (attribute) {
          var value = input.getAttribute(attribute);
          if (value) { input.setAttribute(attribute, value.replace(/^modules-\d+-/, "modules-" + index + "-")); }
        });
      });
      var position = row.querySelector("input[name$='-position']");
      if (position) { position.value = index + 1; }
    });
  }

  body.addEventListener("click", function (event) {
    var button = event.target.closest(".js-move");
    if (!button) { return; }
    var row = button.closest("tr");
    if (button.dataset.move === "-1" && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
    } else if (button.dataset.move === "1" && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
    }
    renumber();
  });

  var add = document.getElementById("add-module");
  add.addEventListener("click", function () {
    var rows = body.querySelectorAll("tr.module-row");
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("input[type=text], input[type=number], input:not([type])").forEach(function (input) { input.value = ""; });
    copy.querySelectorAll(".invalid-feedback").forEach(function (node) { node.remove(); });
    copy.querySelectorAll(".is-invalid").forEach(function (node) { node.classList.remove("is-invalid"); });
    copy.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = box.name.endsWith("-mandatory"); });
    body.appendChild(copy);
    renumber();
    copy.querySelector("input[name$='-code']").focus();
  });

  document.querySelectorAll(".js-move, #add-module").forEach(function (node) { node.hidden = false; });
})();
