// Summit's service worker: keeps the offline page and the static files, so that a phone whose
// network has gone shows a page saying so (and what happens to what was typed) instead of the
// browser's own error. It answers only same-origin GETs: page loads and static files. Posts,
// the board's fetches and the sockets go to the network untouched, so nothing is ever answered
// from an old copy but a static file or the offline page.
// Served by summit/organise/offline.py from the site's root, so that its scope is every page.
"use strict";

var CACHE = "summit-{{ version }}";
var OFFLINE_URL = "{{ offline_url }}";
var STATIC_URL = "{{ static_url }}";
var PRECACHE = [OFFLINE_URL{% for url in assets %}, "{{ url }}"{% endfor %}];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(PRECACHE);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

// A new release's worker drops the copies the one before it kept.
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("summit-") === 0 && name !== CACHE;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

// The network first, always: a page or file is only ever taken from the cache when the
// network cannot answer at all (an error page from the server is still the server's answer).
function pageOrOffline(request) {
  return fetch(request).catch(function () {
    return caches.match(OFFLINE_URL);
  });
}

function fileOrCopy(request) {
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok) cache.put(request, response.clone());
      return response;
    }).catch(function () {
      return cache.match(request).then(function (copy) {
        return copy || Response.error();
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(pageOrOffline(request));
  } else if (url.pathname.indexOf(STATIC_URL) === 0) {
    event.respondWith(fileOrCopy(request));
  }
});
