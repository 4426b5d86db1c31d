// The phone's outbox, kept and sent: IndexedDB with one database per account, and the
// requests to the server. No words for people here: js/outbox.js shows everything.
window.Outbox = (function () {
  "use strict";

  function newOperationId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  // --- IndexedDB, one database per account -------------------------------------------

  function openOutbox(accountId) {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("outbox-" + accountId, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("entries", { keyPath: "operation_id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withEntries(accountId, mode, action) {
    return openOutbox(accountId).then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction("entries", mode);
        var request = action(transaction.objectStore("entries"));
        transaction.oncomplete = function () { db.close(); resolve(request.result); };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function entries(accountId) {
    return withEntries(accountId, "readonly", function (store) { return store.getAll(); })
      .then(function (list) {
        return list.sort(function (a, b) { return a.device_time < b.device_time ? -1 : 1; });
      });
  }

  function keep(accountId, entry) {
    return withEntries(accountId, "readwrite", function (store) { return store.put(entry); });
  }

  function drop(accountId, operationId) {
    return withEntries(accountId, "readwrite", function (store) {
      return store.delete(operationId);
    });
  }

  // --- sending --------------------------------------------------------------------

  // Who is signed in now (the page may be an old copy) and a fresh CSRF token; null when
  // nobody is (sent on to the sign-in page, or 401). Any other answer is the server in
  // trouble, not a reason to sign in again: it fails like a missing network.
  function whoIsSignedIn() {
    return fetch("/offline/account", { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (answer) {
        var json = (answer.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (answer.redirected || answer.status === 401) {
          return null;
        }
        if (!answer.ok || !json) {
          throw new Error("the server could not say who is signed in");
        }
        return answer.json();
      });
  }

  // Where an entry may go: its own day's outbox address, nothing else. The outbox is in
  // the browser's storage, which whoever uses the same browser can change; an entry
  // pointed elsewhere would carry the CSRF token to another route or another site.
  var SEND_URL = /^\/courses\/\d+\/attendance\/(\d{4}-\d{2}-\d{2})\/outbox$/;

  function goesToItsSheet(entry) {
    var found = SEND_URL.exec(String(entry.url || ""));
    if (!found || found[1] !== entry.day) {
      return false;
    }
    var day = new Date(found[1] + "T00:00:00Z"); // a day that exists, not 2021-02-30
    return !isNaN(day) && day.toISOString().slice(0, 10) === found[1];
  }

  // The last account signed in on this browser (js/outbox.js keeps it up to date).
  var LAST_ACCOUNT = "outbox-last-account";

  function lastAccount() {
    try {
      return localStorage.getItem(LAST_ACCOUNT);
    } catch (blocked) {
      return null;
    }
  }

  function post(url, token, body) {
    if (!SEND_URL.test(String(url))) {
      return Promise.reject(new Error("not an outbox address"));
    }
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    });
  }

  function body(entry) {
    var sent = {
      operation_id: entry.operation_id,
      version: entry.version,
      device_time: entry.device_time,
      records: entry.records,
    };
    if (entry.opened) {
      sent.opened = entry.opened;
    }
    if (entry.reason) {
      sent.reason = entry.reason;
    }
    return sent;
  }

  // The server's JSON answer about an entry, or null: a page instead (the session ended
  // and the request was sent on to the sign-in page) is no answer about the entry.
  function replyOf(answer) {
    var json = (answer.headers.get("Content-Type") || "").indexOf("json") !== -1;
    if (answer.redirected || !json) {
      return Promise.resolve(null);
    }
    return answer.json().catch(function () { return null; });
  }

  // What the server said about an entry: stored on it, or null to stop and retry later.
  // An entry leaves the phone only when the server said it has it.
  function settle(accountId, entry, answer) {
    return replyOf(answer).then(function (reply) {
      if (answer.ok && reply) {
        return drop(accountId, entry.operation_id).then(function () { return true; });
      }
      var error = reply && reply.error;
      if (!error || answer.status >= 500 || answer.status === 429) {
        return null; // signed out, or the server in trouble: the entry waits for the next try
      }
      delete entry.refused;
      delete entry.conflict;
      if (answer.status === 409 && error.server) {
        entry.conflict = error.server;
        entry.opened = error.opened; // the choice is made on the version shown now
      } else {
        entry.refused = error.message;
      }
      return keep(accountId, entry).then(function () { return true; });
    });
  }

  // Sends what can go; says what happened: {signedOut} when the server answered that
  // nobody is signed in, {sent: [the days' addresses saved]}.
  async function sendAll() {
    var done = { signedOut: false, sent: [] };
    var me = await whoIsSignedIn();
    if (!me) {
      done.signedOut = true;
      return done;
    }
    var last = lastAccount();
    if (last && last !== String(me.user_id)) {
      return done; // another account was here: its page first marks the entries for review
    }
    var list = await entries(me.user_id);
    for (var i = 0; i < list.length; i += 1) {
      var entry = list[i];
      if (waitsForThePerson(entry)) {
        continue; // a choice, a refusal or a review: the instructor decides
      }
      if (!goesToItsSheet(entry)) {
        entry.broken = true; // changed in the browser's storage: shown, never sent
        await keep(me.user_id, entry);
        continue;
      }
      var answer = await post(entry.url, me.csrf_token, body(entry));
      var settled = await settle(me.user_id, entry, answer);
      if (settled === null) {
        return done;
      }
      if (!entry.conflict && !entry.refused) {
        done.sent.push(entry.url);
      }
    }
    return done;
  }

  function waitsForThePerson(entry) {
    return Boolean(entry.conflict || entry.refused || entry.review || entry.broken);
  }

  return {
    newOperationId: newOperationId,
    entries: entries,
    keep: keep,
    drop: drop,
    whoIsSignedIn: whoIsSignedIn,
    post: post,
    body: body,
    settle: settle,
    replyOf: replyOf,
    sendAll: sendAll,
    goesToItsSheet: goesToItsSheet,
    LAST_ACCOUNT: LAST_ACCOUNT,
    lastAccount: lastAccount,
    waitsForThePerson: waitsForThePerson,
  };
})();
