// The phone's outbox as the pages show it; js/outbox-store.js keeps and sends it.
// Sheets saved with no network wait in IndexedDB and are sent when the network is back:
// on every page load, on the `online` event and from the "send now" button (Background
// Sync is missing in some browsers, so it is not relied on). Each account has its own
// outbox: another account signed in on the same browser never sees or sends its entries in
// the app, and entries saved before another account was here wait for a review.
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
  // Who used this browser last: when another account has been signed in on it since an
  // entry was saved, that account could have read or changed the entry (the browser's
  // storage is the same for every page of the site), so the entry waits for a review.
  // An outbox's page writes itself down only once its entries are marked (see
  // `markForReview`): a page that stops halfway leaves the marker for the next one.
  var signedIn = account || box.dataset.signedIn;
  var lastAccount = window.Outbox.lastAccount();

  function writeLastAccount() {
    try {
      localStorage.setItem(window.Outbox.LAST_ACCOUNT, signedIn);
    } catch (blocked) { /* no storage (private window): nothing was kept to review either */ }
  }

  if (signedIn && !account) {
    writeLastAccount(); // an account with no outbox (a trainee) was here
  }
  if (!account) {
    // Nobody is signed in: the pages kept for offline use belonged to the last account.
    if (!signedIn && window.caches) {
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

  // The day as the server wrote it in the page's language (Babel knows Azerbaijani dates;
  // some browsers' Intl does not); the browser's own words for entries saved without it.
  function dayName(entry) {
    return entry.day_label || days.format(new Date(entry.day + "T00:00:00Z"));
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
  var replyOf = store.replyOf;
  var waitsForThePerson = store.waitsForThePerson;

  var sending = null;
  var signedOut = false; // the server said nobody is signed in: the entries wait for that
  var again = false; // asked to send while a pass ran: one more pass after it

  // One sending at a time: a second ask while one runs joins it. `data-sending` says so
  // (for styles, and for tests that must not click "send" into a running one). `quiet`:
  // a try of the page's own, which says nothing ("Sending…" every minute would be read
  // out by a screen reader) and does not reset the tries' back-off.
  function send(quiet) {
    if (quiet !== true) {
      retries = 0;
    }
    if (sending) {
      // Joined: the running pass read its list before this ask; one more pass follows.
      again = true;
      return sending;
    }
    if (!sending) {
      if (quiet !== true) {
        box.querySelector("[data-outbox-text]").textContent = strings.sending;
      }
      box.dataset.sending = "true";
      sending = store.sendAll()
        .then(function (done) {
          if (quiet === true) {
            retries += 1; // it reached the server: a try that counts
          }
          signedOut = done.signedOut;
          showSentSheet(done.sent);
        })
        .catch(function () { /* no network yet: everything stays in the outbox */ })
        .then(render)
        .finally(function () {
          sending = null;
          delete box.dataset.sending;
          if (again) {
            again = false;
            send(true);
          }
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

  function nameOf(entry, traineeId, fallback) {
    return (entry.names || {})[traineeId] || fallback || String(traineeId);
  }

  // A record in words: its status, and its note when it has one.
  function described(record, label) {
    var said = element("span", {}, fill(label, { status: statusName(record.status) }));
    if (record.note) {
      said.append(element("span", { class: "d-block small" }, fill(strings.note, { note: record.note })));
    }
    return said;
  }

  function choice(entry, record, side, words, checked) {
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
    var label = element("label", { for: id, class: "form-check-label" });
    label.append(words);
    option.append(input, label);
    return option;
  }

  // One block per trainee, the two versions one under the other: readable at 360 px. A
  // row differs when the status or the note does: a note is a record too, and one the
  // instructor has not seen must not be overwritten unseen.
  function conflictCard(entry) {
    var server = entry.conflict;
    var onServer = {};
    server.records.forEach(function (record) { onServer[record.trainee_id] = record; });
    var card = element("div", { class: "card mb-2", "data-testid": "outbox-conflict" });
    var inside = element("div", { class: "card-body" });
    inside.append(element("p", { class: "mb-2" }, fill(strings.conflict, { day: dayName(entry) })));
    entry.records.forEach(function (record) {
      var theirs = onServer[record.trainee_id] || { status: null, note: "" };
      var row = element("fieldset", { class: "border-top pt-2 mb-2", "data-testid": "outbox-conflict-row" });
      if (theirs.status !== record.status || (theirs.note || "") !== (record.note || "")) {
        row.classList.add("bg-warning-subtle", "px-2"); // the versions differ here
        row.dataset.differs = "true";
      }
      row.append(
        element("legend", { class: "fs-6 fw-bold mb-1" }, nameOf(entry, record.trainee_id, theirs.full_name)),
        choice(entry, record, "phone", described(record, strings.on_phone), false),
        choice(entry, record, "server", described(theirs, fill(server.saved_by_you ? strings.on_server_yours : strings.on_server, {
          name: server.recorded_by || "",
          status: "%(status)s",
        })), true)
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
      chooseAndSave(entry, records)
        .then(function (outcome) {
          save.disabled = outcome !== "again" ? save.disabled : false;
        }, function () {
          save.disabled = false; // no network: the choice can be made again
        })
        .finally(render);
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
      signedOut = !me;
      return "again"; // the card stays as it is, its button usable once signed in again
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
    if ((await settle(account, chosen, answer)) && !chosen.conflict && !chosen.refused) {
      showSentSheet([chosen.url]);
    }
  }

  // The marks an entry holds, trainee by trainee: what a refused or kept entry would
  // have saved, so that nothing is lost that is not seen first.
  function marksList(entry) {
    var list = element("ul", { class: "small mb-2", "data-testid": "outbox-marks" });
    entry.records.forEach(function (record) {
      var item = element("li", {}, nameOf(entry, record.trainee_id) + ": ");
      item.append(described(record, "%(status)s"));
      list.append(item);
    });
    return list;
  }

  function discardButton(entry) {
    var discard = element("button", { type: "button", class: "btn btn-outline-danger" }, strings.discard);
    discard.addEventListener("click", function () {
      if (window.confirm(fill(strings.discard_confirm, { day: dayName(entry) }))) {
        drop(account, entry.operation_id).then(render);
      }
    });
    return discard;
  }

  function refusedCard(entry) {
    var card = element("div", { class: "alert alert-danger", "data-testid": "outbox-refused" });
    var words = entry.broken
      ? fill(strings.broken, { day: dayName(entry) })
      : fill(strings.refused, { day: dayName(entry), reason: entry.refused });
    card.append(element("p", { class: "mb-2" }, words), marksList(entry), discardButton(entry));
    return card;
  }

  // Saved before another account was signed in on this browser: shown before it goes.
  function reviewCard(entry) {
    var card = element("div", { class: "alert alert-warning", "data-testid": "outbox-review" });
    var right = element("button", { type: "button", class: "btn btn-primary me-2" }, strings.review_send);
    right.addEventListener("click", function () {
      right.disabled = true;
      delete entry.review;
      keep(account, entry).then(function () { return send(); });
    });
    card.append(
      element("p", { class: "mb-2" }, fill(strings.review, { day: dayName(entry) })),
      marksList(entry),
      right,
      discardButton(entry)
    );
    return card;
  }

  function cardOf(entry) {
    if (entry.conflict) {
      return conflictCard(entry);
    }
    return entry.refused || entry.broken ? refusedCard(entry) : reviewCard(entry);
  }

  function render() {
    return entries(account).catch(function () { return []; }).then(function (list) {
      var problems = box.querySelector("[data-outbox-problems]");
      // A card already shown stays as it is: the instructor may be halfway through choosing.
      var shown = {};
      problems.querySelectorAll("[data-entry]").forEach(function (card) {
        shown[card.dataset.entry] = card;
      });
      var sendable = list.filter(function (entry) { return !waitsForThePerson(entry); }).length;
      box.hidden = list.length === 0;
      box.dataset.waiting = String(list.length); // for tests and styles: what the outbox holds
      box.dataset.sendable = String(sendable);
      // The count says what will still go by itself; cards below say what waits for a
      // decision, so the line does not say "not yet sent" of them forever.
      var waiting = sendable
        ? counted(strings.waiting, sendable)
        : counted(strings.to_decide, list.length);
      var text = box.querySelector("[data-outbox-text]");
      text.textContent = signedOut && list.length ? counted(strings.sign_in_again, list.length) : waiting;
      if (signedOut && list.length) {
        var back = location.pathname + location.search;
        text.append(" ", element("a", { href: "/login?next=" + encodeURIComponent(back) }, strings.sign_in));
      }
      box.querySelector("[data-outbox-send]").hidden = sendable === 0;
      var saved = document.querySelector("[data-outbox-saved]");
      if (saved && !saved.hidden) {
        saved.textContent = list.length ? waiting : strings.all_sent;
      }
      var cards = [];
      list.forEach(function (entry) {
        var key = entry.operation_id + (entry.conflict ? "@" + entry.conflict.version : "") +
          (entry.refused || entry.broken ? "!" : "") + (entry.review ? "?" : "");
        if (shown[key]) {
          cards.push(shown[key]);
        } else if (waitsForThePerson(entry)) {
          var card = cardOf(entry);
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
      day_label: sheet.dataset.dayLabel || "",
      version: Number(data.get("version")),
      device_time: new Date().toISOString(),
      opened: sheet.dataset.opened || "", // the server's word for when the sheet was opened
      records: records,
      names: names,
      reason: data.get("reason") || "",
    };
  }


  // Online: the entry goes into the outbox first, then straight to the server; if the
  // network drops on the way, or the answer is not the server's word on the sheet (the
  // session ended, the server is in trouble), it simply waits there. A refusal of the
  // sheet itself is left to the ordinary form post, whose page puts each message next to
  // its field.
  async function saveNow(entry) {
    await keepInsteadOfEarlier(entry);
    var sent = Object.assign(body(entry), { announce: true });
    delete sent.device_time; // saved this very moment: the server's clock is the one
    var token = sheet.querySelector('input[name="csrf_token"]').value;
    var answer;
    var reply;
    try {
      answer = await post(entry.url, token, sent);
      reply = await replyOf(answer);
    } catch (offline) {
      return savedOnThePhone();
    }
    if (answer.ok && reply) {
      await drop(account, entry.operation_id);
      window.location.assign(reply.next);
    } else if (reply && reply.error && (answer.status === 409 || answer.status === 422)) {
      await drop(account, entry.operation_id);
      sheet.dataset.plainPost = "true";
      sheet.submit();
    } else {
      await savedOnThePhone();
      return send(); // says "sign in again" when that is why
    }
  }

  // A new save of the day replaces the ones still waiting that this page holds the marks
  // of: saved from it, or shown on it when it opened (see below), on the same version. Any
  // other waiting save (another tab's, one made on an older sheet) stays, and the server
  // sets it beside this one as a conflict: nothing is dropped that was not on the screen.
  var onThisPage = {};

  async function keepInsteadOfEarlier(entry) {
    var list = await entries(account).catch(function () { return []; });
    await keep(account, entry);
    onThisPage[entry.operation_id] = true;
    for (var i = 0; i < list.length; i += 1) {
      var earlier = list[i];
      if (
        onThisPage[earlier.operation_id] &&
        earlier.operation_id !== entry.operation_id &&
        earlier.url === entry.url &&
        earlier.version === entry.version &&
        !waitsForThePerson(earlier)
      ) {
        await drop(account, earlier.operation_id);
      }
    }
  }

  // The sheet opened again before its save was sent (offline, a reload, the next day's
  // visit to the range) shows the marks waiting on the phone, not the server's older copy.
  function showWaitingMarks(list) {
    var waiting = list.filter(function (entry) {
      return entry.url === sheet.dataset.sendUrl && !waitsForThePerson(entry);
    });
    var newest = waiting[waiting.length - 1];
    if (!newest || Number(sheet.querySelector('input[name="version"]').value) !== newest.version) {
      return; // nothing waits, or the server has a newer sheet: that one is shown
    }
    newest.records.forEach(function (record) {
      var id = CSS.escape(String(record.trainee_id));
      var status = sheet.querySelector(
        'input[name="status-' + id + '"][value="' + CSS.escape(String(record.status)) + '"]'
      );
      var note = sheet.querySelector('[name="note-' + id + '"]');
      if (status) {
        status.checked = true;
      }
      if (note) {
        note.value = record.note || "";
      }
    });
    var reason = sheet.querySelector('[name="reason"]');
    if (reason && newest.reason) {
      reason.value = newest.reason;
    }
    onThisPage[newest.operation_id] = true;
    var saved = document.querySelector("[data-outbox-saved]");
    saved.hidden = false;
    saved.dataset.showing = "true";
    sheet.dataset.showsWaiting = "true";
  }

  // Once this page's sheet has reached the server, the page shows the server's sheet
  // (with its new version), unless the instructor is already changing it again.
  var edited = false;

  var SAID = "outbox-said"; // said again on the page that comes back

  var saving = false; // a save of this page on its way: its own answer decides the page

  function showSentSheet(urls) {
    if (sheet && !edited && !saving && urls.indexOf(sheet.dataset.sendUrl) !== -1) {
      try {
        sessionStorage.setItem(SAID, strings.all_sent);
      } catch (blocked) { /* the page still comes back, without the sentence */ }
      window.location.reload();
    }
  }

  function sayWhatWasSent() {
    var said = null;
    try {
      said = sessionStorage.getItem(SAID);
      sessionStorage.removeItem(SAID);
    } catch (blocked) { /* nothing was kept to say */ }
    var saved = document.querySelector("[data-outbox-saved]");
    if (said && saved) {
      saved.textContent = said;
      saved.hidden = false;
    }
  }

  function savedOnThePhone() {
    var saved = document.querySelector("[data-outbox-saved]");
    saved.hidden = false;
    saved.scrollIntoView({ block: "nearest" });
    return render();
  }

  if (sheet) {
    sheet.addEventListener("input", function () { edited = true; });
    sheet.addEventListener("submit", function (event) {
      if (sheet.dataset.plainPost) {
        return;
      }
      event.preventDefault();
      edited = false; // saved: the page may show what the server keeps
      var entry = sheetEntry();
      if (navigator.onLine) {
        saving = true;
        saveNow(entry).finally(function () { saving = false; });
      } else {
        keepInsteadOfEarlier(entry).then(savedOnThePhone);
      }
    });
  }

  // --- signing out, and the sheets kept for the coming days -------------------------

  document.querySelectorAll("form[data-outbox-sign-out]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      entries(account).catch(function () { return []; }).then(function (list) {
        if (!navigator.onLine) {
          // The sign-out would not reach the server; the pages kept for the range stay.
          window.alert(strings.sign_out_offline);
          return;
        }
        if (list.length && !window.confirm(counted(strings.sign_out, list.length))) {
          return; // stay signed in; the entries stay too
        }
        // The sign-in page, once nobody is signed in, forgets the pages kept for the range.
        form.submit();
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

  // Entries saved before another account used this browser wait for a review.
  function markForReview() {
    if (!lastAccount || lastAccount === account) {
      return Promise.resolve();
    }
    return entries(account).catch(function () { return []; }).then(function (list) {
      return Promise.all(list.filter(function (entry) {
        return !waitsForThePerson(entry);
      }).map(function (entry) {
        entry.review = true;
        return keep(account, entry);
      }));
    });
  }

  if (sheet) {
    sayWhatWasSent();
  }
  markForReview().then(writeLastAccount).then(function () {
    return sheet ? entries(account).catch(function () { return []; }).then(showWaitingMarks) : null;
  }).catch(function () { /* an entry the page cannot show: it is still listed and sent */ })
    .then(render).then(function () {
      if (navigator.onLine) {
        send();
      }
    });
})();
