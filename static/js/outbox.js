// The phone's outbox as the pages show it; js/outbox-store.js keeps and sends it.
// Sheets saved with no network wait in IndexedDB and are sent when the network is back:
// on every page load, on the `online` event and from the "send now" button (Background
// Sync is missing in some browsers, so it is not relied on). Each account has its own
// outbox: another account signed in on the same browser never sees or sends its entries.
// The words come translated in the page (#outbox-strings); the script holds none.
(function () {
  "use strict";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {
      // No worker (private window, old browser): pages then need the network, saves do not.
    });
  }
  var box = document.getElementById("outbox");
  if (!box) {
    return;
  }
  var account = box.dataset.account;
  if (!account) {
    // Nobody is signed in: the pages kept for offline use belonged to the last account.
    if (window.caches) {
      caches.delete("pages");
    }
    return;
  }
  var strings = JSON.parse(document.getElementById("outbox-strings").textContent);
  var language = box.dataset.language || document.documentElement.lang;
  var plurals = new Intl.PluralRules(language);
  var numbers = new Intl.NumberFormat(language);
  var days = new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" });

  function fill(text, values) {
    return text.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function counted(table, number) {
    var text = table[plurals.select(number)] || table.other || table.many;
    return fill(text, { num: numbers.format(number) });
  }

  function dayName(iso) {
    return days.format(new Date(iso + "T00:00:00Z"));
  }

  var store = window.Outbox;
  var entries = store.entries;
  var keep = store.keep;
  var drop = store.drop;
  var post = store.post;
  var body = store.body;
  var settle = store.settle;
  var whoIsSignedIn = store.whoIsSignedIn;
  var newOperationId = store.newOperationId;

  var sending = null;

  // One sending at a time: a second ask while one runs joins it. `data-sending` says so
  // (for styles, and for tests that must not click "send" into a running one). `quiet`:
  // a try of the page's own, which says nothing ("Sending…" every minute would be read
  // out by a screen reader) and does not reset the tries' back-off.
  function send(quiet) {
    if (quiet !== true) {
      retries = 0;
    }
    if (!sending) {
      if (quiet !== true) {
        box.querySelector("[data-outbox-text]").textContent = strings.sending;
      }
      box.dataset.sending = "true";
      sending = store.sendAll()
        .then(function () {
          if (quiet === true) {
            retries += 1; // it reached the server: a try that counts
          }
        })
        .catch(function () { /* no network yet: everything stays in the outbox */ })
        .then(render)
        .finally(function () {
          sending = null;
          delete box.dataset.sending;
        });
    }
    return sending;
  }

  // --- showing --------------------------------------------------------------------

  function element(name, attributes, text) {
    var made = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { made.setAttribute(key, attributes[key]); });
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  function statusName(status) {
    return status ? strings.statuses[status] || status : strings.not_recorded;
  }

  function choice(entry, record, side, label, checked) {
    var id = "choice-" + entry.operation_id + "-" + record.trainee_id + "-" + side;
    var option = element("div", { class: "form-check" });
    var input = element("input", {
      type: "radio",
      class: "form-check-input",
      name: "choice-" + entry.operation_id + "-" + record.trainee_id,
      id: id,
      value: side,
    });
    input.checked = checked;
    option.append(input, element("label", { for: id, class: "form-check-label" }, label));
    return option;
  }

  // One block per trainee, the two versions one under the other: readable at 360 px.
  function conflictCard(entry) {
    var server = entry.conflict;
    var onServer = {};
    server.records.forEach(function (record) { onServer[record.trainee_id] = record; });
    var card = element("div", { class: "card mb-2", "data-testid": "outbox-conflict" });
    var inside = element("div", { class: "card-body" });
    inside.append(element("p", { class: "mb-2" }, fill(strings.conflict, { day: dayName(entry.day) })));
    entry.records.forEach(function (record) {
      var theirs = onServer[record.trainee_id] || { status: null, note: "" };
      var row = element("fieldset", { class: "border-top pt-2 mb-2", "data-testid": "outbox-conflict-row" });
      if (theirs.status !== record.status) {
        row.classList.add("bg-warning-subtle", "px-2"); // the versions differ here
      }
      var name = (entry.names || {})[record.trainee_id] || theirs.full_name || record.trainee_id;
      row.append(
        element("legend", { class: "fs-6 fw-bold mb-1" }, name),
        choice(entry, record, "phone", fill(strings.on_phone, { status: statusName(record.status) }), false),
        choice(entry, record, "server", fill(strings.on_server, {
          name: server.recorded_by || "",
          status: statusName(theirs.status),
        }), true)
      );
      inside.append(row);
    });
    var save = element("button", { type: "button", class: "btn btn-primary" }, strings.save_choice);
    save.addEventListener("click", function () {
      var records = [];
      entry.records.forEach(function (record) {
        var picked = card.querySelector(
          'input[name="choice-' + entry.operation_id + "-" + record.trainee_id + '"]:checked'
        );
        var theirs = onServer[record.trainee_id];
        if (picked && picked.value === "phone") {
          records.push(record);
        } else if (theirs && theirs.status) {
          records.push({ trainee_id: record.trainee_id, status: theirs.status, note: theirs.note });
        }
      });
      save.disabled = true;
      chooseAndSave(entry, records).finally(render);
    });
    inside.append(save);
    card.append(inside);
    return card;
  }

  // The choice is a new save built on the server's current version; the old entry
  // goes only once the server has taken it.
  async function chooseAndSave(entry, records) {
    var me = await whoIsSignedIn();
    if (!me || String(me.user_id) !== String(account)) {
      return;
    }
    var chosen = Object.assign({}, entry, {
      operation_id: newOperationId(),
      version: entry.conflict.version,
      device_time: new Date().toISOString(),
      records: records,
    });
    delete chosen.conflict;
    delete chosen.refused;
    await keep(account, chosen);
    await drop(account, entry.operation_id);
    var answer = await post(chosen.url, me.csrf_token, body(chosen));
    await settle(account, chosen, answer);
  }

  function refusedCard(entry) {
    var card = element("div", { class: "alert alert-danger", "data-testid": "outbox-refused" });
    card.append(element("p", { class: "mb-2" }, fill(strings.refused, {
      day: dayName(entry.day),
      reason: entry.refused,
    })));
    var discard = element("button", { type: "button", class: "btn btn-sm btn-outline-danger" }, strings.discard);
    discard.addEventListener("click", function () {
      if (window.confirm(fill(strings.discard_confirm, { day: dayName(entry.day) }))) {
        drop(account, entry.operation_id).then(render);
      }
    });
    card.append(discard);
    return card;
  }

  function render() {
    return entries(account).catch(function () { return []; }).then(function (list) {
      var problems = box.querySelector("[data-outbox-problems]");
      // A card already shown stays as it is: the instructor may be halfway through choosing.
      var shown = {};
      problems.querySelectorAll("[data-entry]").forEach(function (card) {
        shown[card.dataset.entry] = card;
      });
      box.hidden = list.length === 0;
      box.dataset.waiting = String(list.length); // for tests and styles: what the outbox holds
      box.dataset.sendable = String(list.filter(function (entry) {
        return !entry.conflict && !entry.refused;
      }).length);
      var waiting = counted(strings.waiting, list.length);
      box.querySelector("[data-outbox-text]").textContent = waiting;
      var saved = document.querySelector("[data-outbox-saved]");
      if (saved && !saved.hidden) {
        saved.textContent = list.length ? waiting : strings.all_sent;
      }
      var cards = [];
      list.forEach(function (entry) {
        var key = entry.operation_id + (entry.conflict ? "@" + entry.conflict.version : "");
        if (shown[key]) {
          cards.push(shown[key]);
        } else if (entry.conflict || entry.refused) {
          var card = entry.conflict ? conflictCard(entry) : refusedCard(entry);
          card.dataset.entry = key;
          cards.push(card);
        }
      });
      problems.replaceChildren.apply(problems, cards);
      retryLater();
    });
  }

  // The page's own tries, while an entry can be sent: the `online` event is not enough (a
  // browser may not announce that the network is back, and `navigator.onLine` may say
  // online with nothing getting through). Every 30 seconds while nothing reaches the
  // server; once it answers but something still waits (the server in trouble), 1, 2, 4
  // and 8 minutes later, then no more until the instructor acts (a page, "Send now", the
  // page back in view) or `online`: each answered try tells the server the session is in
  // use, and an idle phone must still be signed out after 30 minutes.
  var RETRY_DELAYS_MS = [30000, 60000, 120000, 240000, 480000];
  var retries = 0;
  var retryTimer = null;

  function retryLater() {
    window.clearTimeout(retryTimer);
    if (retries >= RETRY_DELAYS_MS.length || !(Number(box.dataset.sendable) > 0)) {
      return;
    }
    retryTimer = window.setTimeout(function () {
      if (!navigator.onLine || document.hidden) {
        retryLater();
        return;
      }
      send(true);
    }, RETRY_DELAYS_MS[retries]);
  }

  // --- the sheet, saved with no network --------------------------------------------

  var sheet = document.querySelector("form[data-outbox-sheet]");

  function sheetEntry() {
    var data = new FormData(sheet);
    var records = [];
    var names = {};
    sheet.querySelectorAll("[data-trainee]").forEach(function (row) {
      var id = row.dataset.trainee;
      if (data.get("status-" + id) === null) {
        return;
      }
      records.push({
        trainee_id: Number(id),
        status: data.get("status-" + id),
        note: data.get("note-" + id) || "",
      });
      names[id] = row.dataset.name;
    });
    return {
      operation_id: newOperationId(),
      url: sheet.dataset.sendUrl,
      day: sheet.dataset.day,
      version: Number(data.get("version")),
      device_time: new Date().toISOString(),
      opened: sheet.dataset.opened || "", // the server's word for when the sheet was opened
      records: records,
      names: names,
      reason: data.get("reason") || "",
    };
  }

  function savedOnThePhone() {
    var saved = document.querySelector("[data-outbox-saved]");
    saved.hidden = false;
    saved.scrollIntoView({ block: "nearest" });
    return render();
  }

  // Online: the entry goes into the outbox first, then straight to the server; if the
  // network drops on the way it simply waits there. A refusal is left to the ordinary
  // form post, whose page puts each message next to its field.
  async function saveNow(entry) {
    await keep(account, entry);
    var sent = Object.assign(body(entry), { announce: true });
    delete sent.device_time; // saved this very moment: the server's clock is the one
    var token = sheet.querySelector('input[name="csrf_token"]').value;
    var answer;
    try {
      answer = await post(entry.url, token, sent);
    } catch (offline) {
      return savedOnThePhone();
    }
    await drop(account, entry.operation_id);
    if (answer.ok) {
      var reply = await answer.json();
      window.location.assign(reply.next);
    } else {
      sheet.dataset.plainPost = "true";
      sheet.submit();
    }
  }

  if (sheet) {
    sheet.addEventListener("submit", function (event) {
      if (sheet.dataset.plainPost) {
        return;
      }
      event.preventDefault();
      var entry = sheetEntry();
      if (navigator.onLine) {
        saveNow(entry);
      } else {
        keep(account, entry).then(savedOnThePhone);
      }
    });
  }

  // --- signing out, and the sheets kept for the coming days -------------------------

  document.querySelectorAll("form[data-outbox-sign-out]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      entries(account).catch(function () { return []; }).then(function (list) {
        if (list.length && !window.confirm(counted(strings.sign_out, list.length))) {
          return; // stay signed in; the entries stay too
        }
        var forget = window.caches ? caches.delete("pages") : Promise.resolve();
        forget.finally(function () { form.submit(); });
      });
    });
  });

  var kept = document.querySelector("[data-offline-sheets]");
  if (kept && navigator.onLine && window.caches) {
    var sheets = JSON.parse(kept.dataset.offlineSheets);
    caches.open("pages").then(function (cache) {
      var copies = sheets.map(function (copy) {
        return fetch(copy.copy, { cache: "no-store" }).then(function (answer) {
          return answer.ok && !answer.redirected ? cache.put(copy.url, answer) : null;
        });
      });
      copies.push(cache.add(location.pathname));
      return Promise.all(copies);
    }).then(function () {
      document.documentElement.dataset.offlineReady = "true";
    }).catch(function () { /* the network went while copying: the next visit tries again */ });
  }

  window.addEventListener("online", send);
  document.addEventListener("visibilitychange", function () {
    if (navigator.onLine && !document.hidden && Number(box.dataset.sendable) > 0) {
      send();
    }
  });
  box.querySelector("[data-outbox-send]").addEventListener("click", send);
  render().then(function () {
    if (navigator.onLine) {
      send();
    }
  });
})();
