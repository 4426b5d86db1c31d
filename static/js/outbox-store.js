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

  // Who is signed in now (the page may be an old copy) and a fresh CSRF token.
  function whoIsSignedIn() {
    return fetch("/offline/account", { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (answer) {
        var json = (answer.headers.get("Content-Type") || "").indexOf("json") !== -1;
        return answer.ok && json && !answer.redirected ? answer.json() : null;
      });
  }

  function post(url, token, body) {
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

  // What the server said about an entry: stored on it, or null to stop and retry later.
  function settle(accountId, entry, answer) {
    if (answer.ok) {
      return drop(accountId, entry.operation_id).then(function () { return true; });
    }
    return answer.json().catch(function () { return null; }).then(function (reply) {
      var error = reply && reply.error;
      if (!error || answer.status >= 500) {
        return null; // the server is in trouble: the entry waits for the next try
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

  async function sendAll() {
    var me = await whoIsSignedIn();
    if (!me) {
      return;
    }
    var list = await entries(me.user_id);
    for (var i = 0; i < list.length; i += 1) {
      var entry = list[i];
      if (entry.conflict || entry.refused) {
        continue; // waits for the instructor's choice
      }
      var answer = await post(entry.url, me.csrf_token, body(entry));
      if ((await settle(me.user_id, entry, answer)) === null) {
        return;
      }
    }
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
    sendAll: sendAll,
  };
})();
