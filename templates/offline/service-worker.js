// The instructor app's service worker (served at /service-worker.js, scope "/").
// It keeps the app shell, and the instructor's home and sheets, so that today's sheet
// opens with no network. It never sends anything itself: the pages send the outbox
// (on load, on `online` and from "send now"), because Background Sync is missing in
// some browsers and a page knows which account is signed in.
"use strict";

const VERSION = "{{ version }}";
const SHELL_CACHE = "shell-" + VERSION;
// Pages hold personal records: the sign-in and sign-out pages empty this cache.
const PAGES_CACHE = "pages";
const SHELL = {{ shell | tojson }};
// The pages worth keeping: the instructor's home and a day's attendance sheet.
const KEPT_PAGES = [/^\/instructor$/, /^\/courses\/\d+\/attendance\/\d{4}-\d{2}-\d{2}$/];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith("shell-") && name !== SHELL_CACHE)
        .map((name) => caches.delete(name))
    )).then(() => self.clients.claim())
  );
});

function kept(url) {
  return url.origin === self.location.origin && KEPT_PAGES.some((rule) => rule.test(url.pathname));
}

async function fromNetworkFirst(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && kept(url)) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(url.pathname, { cacheName: PAGES_CACHE });
    if (cached) {
      return cached;
    }
    throw offline;
  }
}

async function fromCacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return; // saves go to the network; the page keeps them in its outbox when it cannot
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(fromCacheFirst(request));
  }
});
