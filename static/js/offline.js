// Nothing typed is lost when a phone's network drops. An idea, comment, dot or poll answer that
// could not be sent waits on the device, its form says so, and it is sent again when the
// connection returns (the browser says it is online, the live socket reopens, or a retry timer
// fires). Sending again is safe: the request keeps its form's token, and the server makes one
// idea or comment per token; dots and poll answers set a value, so twice is the same as once.
//
// What waits is kept in the page and in localStorage, so closing the page loses nothing either.
// It is kept under the signed-in session's key (the page's data-queue-key): a page for anyone
// else, or after signing out, drops it unsent. It expires after some hours, and at most a few
// items wait: past that, a form says "Not sent" as it did before.
//
// Also registers the service worker, which shows the offline page when a page cannot load.
// Every text shown comes from the page (base.html), where it is translated.
(function () {
  "use strict";

  var script = document.currentScript;
  var settings = (script && script.dataset) || {};
  var STORE = "summit-waiting";
  var MAX_ITEMS = 20;
  var MAX_AGE_MS = 6 * 3600 * 1000;
  var QUEUED_EVENTS = ["htmx:sendError", "htmx:timeout"];

  if (settings.serviceWorker && "serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      // Without it (an old browser, a private window) pages work as before.
      navigator.serviceWorker.register(settings.serviceWorker).catch(function () {});
    });
  }

  // ---- What waits, kept in the page and on the device --------------------------------------

  // The device's copy is the one that counts, shared by the person's pages: a page for someone
  // else, or after signing out, empties it, and then nothing is sent from an older page either.
  // Only where storage refuses (a private window, full) does the page keep its own.
  var inPage = [];
  var onDevice = true;
  function fresh(items) {
    var now = Date.now();
    return items.filter(function (item) { return now - item.at < MAX_AGE_MS; });
  }
  function readAll() {
    if (!onDevice) return fresh(inPage);
    var stored;
    try {
      stored = JSON.parse(window.localStorage.getItem(STORE) || "null");
    } catch (error) {
      onDevice = false;
      return fresh(inPage);
    }
    if (!stored || stored.owner !== settings.queueKey) return [];
    return fresh(stored.items || []);
  }
  function writeAll(items) {
    inPage = items;
    if (!onDevice) return;
    try {
      if (items.length) window.localStorage.setItem(STORE, JSON.stringify({ owner: settings.queueKey, items: items }));
      else window.localStorage.removeItem(STORE);
    } catch (error) {
      onDevice = false;
    }
  }
  function dropEverything() {
    inPage = [];
    try { window.localStorage.removeItem(STORE); } catch (error) { /* nothing kept */ }
  }
  // Someone else's, or a signed-out session's: never sent from this page.
  (function dropOthers() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORE) || "null");
      if (stored && stored.owner !== settings.queueKey) dropEverything();
    } catch (error) { /* nothing readable to drop */ }
  })();
  document.addEventListener("submit", function (event) {
    if (event.target.closest && event.target.closest("[data-sign-out]")) dropEverything();
  });

  function pageItems() {
    return readAll().filter(function (item) { return item.page === location.pathname; });
  }

  // ---- Which forms wait, and how a request names what it sends ------------------------------

  function formOf(element) {
    return element && element.closest ? element.closest("form") : null;
  }
  // Forms that carry a token (ideas, comments) and those that set a value (dots, poll answers).
  function waits(form) {
    return !!form && (form.hasAttribute("data-offline-queue") || !!form.querySelector("input[name=client_token]"));
  }
  function keyOf(path, token) {
    return path + "|" + (token || "");
  }
  function requestKey(request) {
    return keyOf(request.path, request.formData && request.formData.get("client_token"));
  }
  function formFor(path) {
    return Array.from(document.querySelectorAll("form[hx-post]")).find(function (form) {
      return form.getAttribute("hx-post") === path;
    });
  }

  function announce(text) {
    var status = document.getElementById("live-status");
    if (status && text) status.textContent = text;
  }
  function showWaiting(form, key) {
    form.dataset.waiting = key;
    if (form.querySelector("[data-send-waiting]")) return;
    var note = document.createElement("p");
    note.className = "send-waiting";
    note.setAttribute("data-send-waiting", "");
    note.textContent = settings.waiting || "";
    var slot = form.querySelector("[data-send-error]");
    form.insertBefore(note, slot ? slot.nextSibling : form.firstChild);
  }
  function clearWaiting(form) {
    if (!form) return;
    delete form.dataset.waiting;
    form.querySelectorAll("[data-send-waiting]").forEach(function (note) { note.remove(); });
  }

  // Put what waits back into a form drawn afresh (the page reopened, the board redrawn): its
  // text, choices, order and token, so that it is what gets sent.
  function fill(form, values) {
    var given = {};
    values.forEach(function (pair) { (given[pair[0]] = given[pair[0]] || []).push(pair[1]); });
    form.querySelectorAll("[data-ranking]").forEach(function (list) {
      (given.ranking || []).forEach(function (value) {
        var input = Array.from(list.querySelectorAll("input[name=ranking]")).find(function (i) { return i.value === value; });
        if (input) list.appendChild(input.closest("[data-ranking-item]"));
      });
    });
    Array.from(form.elements).forEach(function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.name === "ranking") return;
      var sent = given[field.name];
      if (field.type === "checkbox" || field.type === "radio") field.checked = !!sent && sent.indexOf(field.value) !== -1;
      else if (sent && field.tagName !== "BUTTON") field.value = sent[0];
    });
  }

  // ---- Keeping a request that could not be sent ----------------------------------------------

  function keep(request) {
    var items = readAll();
    var key = requestKey(request);
    var before = items.find(function (item) { return item.key === key; });
    if (!before && items.length >= MAX_ITEMS) return false;
    var values = [];
    request.formData.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") values.push([name, value]);
    });
    var item = { key: key, page: location.pathname, path: request.path, values: values, at: before ? before.at : Date.now() };
    writeAll(items.filter(function (other) { return other.key !== key; }).concat([item]));
    return true;
  }

  // Before summit.js's "Not sent" message (a capturing listener runs first): a form that can
  // wait says so instead; detail.waiting tells summit.js to leave it.
  QUEUED_EVENTS.forEach(function (name) {
    document.addEventListener(name, function (event) {
      var detail = event.detail || {};
      var form = formOf(detail.elt);
      // A look-up of ideas like the one being typed (summit.js) sends nothing to keep.
      if (detail.elt && detail.elt.hasAttribute && detail.elt.hasAttribute("data-lookup")) return;
      if (!waits(form) || !detail.requestConfig || detail.requestConfig.verb !== "post") return;
      if (!keep(detail.requestConfig)) return;
      detail.waiting = true;
      var key = requestKey(detail.requestConfig);
      // Said once, not again at every retry that finds the network still away.
      if (form.dataset.waiting !== key) announce(settings.waiting);
      showWaiting(form, key);
      retryLater();
    }, true);
  });

  // Any answer from the server (saved, or refused with its message by the form) ends the wait,
  // before the answer is drawn, so that a form it draws afresh is not filled again.
  function endWait(event) {
    var detail = event.detail || {};
    if (!detail.xhr || !detail.xhr.status || !detail.requestConfig) return;
    var key = requestKey(detail.requestConfig);
    var items = readAll();
    if (!items.some(function (item) { return item.key === key; })) return;
    writeAll(items.filter(function (item) { return item.key !== key; }));
    clearWaiting(formOf(detail.elt));
    // The form in the page now, if the board was drawn again while it was being sent.
    var drawn = formFor(detail.requestConfig.path);
    if (drawn && drawn.dataset.waiting === key) clearWaiting(drawn);
    if (detail.xhr.status < 300) announce(settings.sent);
  }
  document.addEventListener("htmx:beforeOnLoad", endWait);

  // ---- Sending again ------------------------------------------------------------------------

  var sending = false;
  var timer = null;
  var delay = 2000;
  // Later and later while the network stays away, at a random point so that a room of phones
  // does not all come back at once.
  function retryLater() {
    if (timer) return;
    timer = setTimeout(function () {
      timer = null;
      delay = Math.min(delay * 2, 30000);
      sendWaiting();
    }, delay / 2 + Math.random() * delay);
  }

  // One at a time, oldest first; each through its own form where the page has it, so that the
  // answer is drawn as if the person had pressed the button again.
  function sendWaiting() {
    if (sending) return;
    var item = pageItems()[0];
    if (!item) return;
    if (navigator.onLine === false) {
      retryLater();
      return;
    }
    sending = true;
    var form = formFor(item.path);
    var source = form || document.getElementById("board") || document.body;
    // Heard where it is sent from as well as by the page: a board drawn again meanwhile (a push
    // from someone else) takes that form out of the page, and its answer's events, still fired
    // on it, would never reach the page; the wait would not end, and it would be sent twice.
    source.addEventListener("htmx:beforeOnLoad", endWait);
    var request;
    if (form) {
      fill(form, item.values);
      showWaiting(form, item.key);
      request = htmx.ajax("POST", item.path, { source: form });
    } else {
      var values = {};
      item.values.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
      request = htmx.ajax("POST", item.path, { source: source, values: values, swap: "none" });
    }
    request.then(function () {
      sending = false;
      // An answer ended that wait (htmx:beforeOnLoad) and anything left goes next; if htmx
      // did not send it after all, it is tried again later.
      if (pageItems().some(function (left) { return left.key === item.key; })) retryLater();
      else {
        delay = 2000;
        sendWaiting();
      }
    }, function () {
      sending = false;
      retryLater();
    });
  }

  // ---- Tokens: one per form ------------------------------------------------------------------

  function newToken() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.from(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  // The board draws every comment form with one token; two comments waiting at once must not
  // share it, or the server would take the second for a retry of the first.
  function oneTokenPerForm() {
    var seen = new Set();
    document.querySelectorAll("input[name=client_token]").forEach(function (input) {
      var form = formOf(input);
      if (seen.has(input.value) && !(form && form.dataset.waiting)) input.value = newToken();
      seen.add(input.value);
    });
  }

  // A page opened again, or a board redrawn: the forms of what waits show it again.
  function showEverythingWaiting() {
    pageItems().forEach(function (item) {
      var form = formFor(item.path);
      if (!form || form.dataset.waiting === item.key) return;
      fill(form, item.values);
      showWaiting(form, item.key);
    });
  }

  // htmx:load comes with every new piece of a page, each pushed card included: only one that
  // brings a token needs the check.
  document.addEventListener("htmx:load", function (event) {
    var added = event.detail && event.detail.elt;
    if (added && added.querySelector && added.querySelector("input[name=client_token]")) oneTokenPerForm();
    showEverythingWaiting();
  });
  document.addEventListener("DOMContentLoaded", function () {
    oneTokenPerForm();
    showEverythingWaiting();
    setTimeout(sendWaiting, 0);
  });
  window.addEventListener("online", function () {
    delay = 2000;
    sendWaiting();
  });
  document.addEventListener("htmx:wsOpen", sendWaiting);
})();
