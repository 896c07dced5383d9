// Small behaviours htmx does not provide. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // A list can receive the same item twice: once from the catch-up fetch when a socket opens and
  // once from a push that raced it. Keep the first copy of each id.
  function removeDuplicates() {
    document.querySelectorAll("[data-unique-children]").forEach(function (list) {
      var seen = new Set();
      Array.from(list.children).forEach(function (child) {
        if (!child.id) return;
        if (seen.has(child.id)) child.remove();
        else seen.add(child.id);
      });
    });
  }

  function setConnectionStatus(socketElt, text, state) {
    var status = socketElt.querySelector("[data-connection-status]");
    if (!status) return;
    status.textContent = text;
    status.dataset.state = state;
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    setConnectionStatus(event.target, "Live: new contributions appear as they arrive.", "open");
  });
  document.addEventListener("htmx:wsClose", function (event) {
    setConnectionStatus(event.target, "Connection lost. Reconnecting… Nothing posted meanwhile will be missed.", "closed");
  });
  document.addEventListener("htmx:wsAfterMessage", removeDuplicates);
  document.addEventListener("htmx:afterSettle", removeDuplicates);

  // A request that never got an answer (no network, server down) or got an error page leaves
  // the form as it was, typed text included; say so, and that sending again is safe: the form
  // carries the same token, so a retry cannot make a second copy.
  function showSendError(event, message) {
    var form = event.detail.elt && event.detail.elt.closest("form");
    var slot = form && form.querySelector("[data-send-error]");
    if (!slot) return;
    slot.textContent = message;
    slot.hidden = false;
  }
  document.addEventListener("htmx:sendError", function (event) {
    showSendError(event, "Not sent: there is no connection to the summit. Your text is still here; try again in a moment.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var message = status === 403 || status === 404
      ? "Not sent: you are no longer in this group or signed in. Copy your text, then reload the page."
      : "Not sent: the summit could not save it just now. Your text is still here; try again in a moment.";
    showSendError(event, message);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var slot = event.detail.elt && event.detail.elt.querySelector && event.detail.elt.querySelector("[data-send-error]");
    if (slot) slot.hidden = true;
  });

  // A page that arrives with an error summary puts focus on it, as the GOV.UK pattern asks.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });

  // After a form is swapped in, put focus where a keyboard or screen reader user needs it:
  // on the error summary when something is wrong, otherwise back in the first field.
  document.addEventListener("htmx:afterSwap", function (event) {
    // With an outerHTML swap the target is the replaced element; find its successor by id.
    var id = event.detail.target && event.detail.target.id;
    var form = id ? document.getElementById(id) : null;
    if (!form || form.tagName !== "FORM") return;
    var summary = form.querySelector(".error-summary");
    if (summary) {
      summary.focus();
      return;
    }
    var field = form.querySelector("textarea, input:not([type=hidden])");
    if (field) field.focus();
  });
})();
