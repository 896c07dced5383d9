// Small behaviours htmx does not provide. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // The words a person reads or hears, in the page's language: from the catalogue each page
  // loads before this script (summit/web/catalogue.py). Where it has not loaded, they are
  // shown as written here, in English.
  function gettext(text) {
    return window.gettext ? window.gettext(text) : text;
  }
  function interpolate(format, values) {
    if (window.interpolate) return window.interpolate(format, values, true);
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  }

  // After a dropped connection or a server restart, screens reconnect within a few seconds,
  // spread out at random so that a room of phones does not come back all at once.
  if (window.htmx) {
    htmx.config.wsReconnectDelay = function (retryCount) {
      var cap = Math.min(8000, 500 * Math.pow(2, retryCount));
      return cap / 2 + Math.random() * (cap / 2);
    };
  }

  // A poll's tally is pushed to everyone who may see it, but a screen may not show that poll:
  // the big screen shows one poll at a time, and any screen fetching its view again after a
  // change lacks it for a moment. Fragments marked data-if-shown update what a screen shows
  // and are dropped, silently, where it has nothing of that id; a later fetch brings the
  // tally if the poll comes on. (Unmarked fragments always have their target, and htmx still
  // reports any that does not.)
  if (window.htmx) {
    htmx.defineExtension("if-shown", {
      transformResponse: function (text) {
        if (text.indexOf("data-if-shown") === -1) return text;
        var template = document.createElement("template");
        template.innerHTML = text;
        Array.from(template.content.children).forEach(function (fragment) {
          if (fragment.hasAttribute("data-if-shown") && !document.getElementById(fragment.id)) fragment.remove();
          // And one bringing something new that is on the screen already (a pushed card its
          // own fetch or post drew first) is dropped too.
          else if (fragment.hasAttribute("data-if-new") && document.getElementById(fragment.getAttribute("data-if-new"))) fragment.remove();
        });
        return template.innerHTML;
      }
    });
  }

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
    setConnectionStatus(event.target, gettext("Live: new contributions appear as they arrive."), "open");
  });
  document.addEventListener("htmx:wsClose", function (event) {
    setConnectionStatus(event.target, gettext("Connection lost. Reconnecting… Nothing posted meanwhile will be missed."), "closed");
  });
  // The server asks a screen to reconnect (4012, in summit/live.py) when live updates may have
  // been lost: it reopens after a random pause, and catches up as every reopened socket does.
  document.addEventListener("htmx:wsClose", function (event) {
    var detail = event.detail || {};
    if (detail.event && detail.event.code === 4012 && detail.socketWrapper) {
      // Pushes may have gone unsent, or unnumbered (Redis away): fetch the whole board.
      wholeBoard = true;
      setTimeout(detail.socketWrapper.reconnect, 500 + Math.random() * 2500);
    }
  });
  document.addEventListener("htmx:wsAfterMessage", removeDuplicates);

  // The board is fetched whole when the socket (re)opens, to catch up on anything missed,
  // and when a push says it changed shape (each screen gets its own view, with what is
  // personal on it); so are panels outside the board that pushes keep current (the voice
  // balance, marked data-catch-up). One fetch at a time for each; a change signalled
  // meanwhile fetches once more after it, so the last change is never lost. Each fetch names
  // its element as its source: htmx queues requests per source, and with none given they all
  // share the page's body, where a later one drops a waiting one, and a waiting one swaps
  // into an element already replaced.
  //
  // A fetch can be drawn before a post or push and arrive after it: swapped in, it would hide
  // what the push had just added. So a push into an element while its fetch is out marks the
  // fetch stale; a stale answer is dropped and fetched again, up to a few times in a row in a
  // busy room, after which it is swapped in and fetched once more.
  var fetching = {};
  var MAX_DROPPED = 3;
  function refresh(id, urlFor, dropped) {
    var element = document.getElementById(id);
    var url = element && urlFor();
    if (!url) return;
    if (fetching[id]) {
      fetching[id].again = true;
      return;
    }
    var state = (fetching[id] = { again: false, stale: false, swapped: false, held: false, dropped: dropped || 0 });
    htmx.ajax("GET", url, { source: element, target: element, swap: "outerHTML" }).finally(function () {
      delete fetching[id];
      if (state.held && posting[id]) holdUntilPosted(id, urlFor);
      else if (state.held) refresh(id, urlFor);
      else if (state.again || state.stale) refresh(id, urlFor, state.stale && !state.swapped ? state.dropped + 1 : 0);
    });
  }

  // Each push to a room comes numbered ("<!--seq group N-->" in front: a comment, which htmx
  // passes over), and a board is drawn with its group and the number of the group's last push
  // before it (a facilitator's socket also hears the console's group: only the board's counts).
  // A screen that reconnects asks for the pushes after the highest number it has seen, and
  // gets them as they were sent, to apply as it would have live: a few pushes rather than a
  // board of a thousand ideas (and none from before its board was drawn, which holds them). When too much was missed, or the board changed shape, the
  // answer is the whole board, as before.
  var lastPush = 0;
  var drawnAt = 0;
  var wholeBoard = false;
  var replaying = false;
  function noteSeen(text) {
    var numbered = /<!--seq (\S+) (\d+)-->/g;
    var board = document.getElementById("board");
    var group = board && board.dataset.seqGroup;
    var match;
    if (typeof text !== "string" || !group) return;
    while ((match = numbered.exec(text))) {
      if (match[1] === group) lastPush = Math.max(lastPush, Number(match[2]));
    }
  }
  function boardSeen() {
    var board = document.getElementById("board");
    if (!board || !board.dataset.seq) return;
    drawnAt = Number(board.dataset.seq);
    lastPush = Math.max(lastPush, drawnAt);
    wholeBoard = false;
  }
  function boardUrl() {
    var board = document.getElementById("board");
    var url = board && board.dataset.boardUrl;
    if (!url || !lastPush || wholeBoard) return url;
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "since=" + lastPush + "&drawn=" + drawnAt;
  }
  document.addEventListener("DOMContentLoaded", boardSeen);
  document.addEventListener("htmx:afterSwap", function (event) {
    // A whole board drawn anew, not pushes applied to it.
    var xhr = event.detail.xhr;
    var target = event.detail.target;
    if (target && target.id === "board" && !(xhr && xhr.getResponseHeader("HX-Reswap") === "none")) boardSeen();
  });
  document.addEventListener("htmx:wsAfterMessage", function (event) {
    noteSeen(event.detail && event.detail.message);
  });

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    // A catch-up's own pushes do not make it stale.
    if (replaying) return;
    Object.keys(fetching).forEach(function (id) {
      var element = document.getElementById(id);
      if (element && event.detail.target && element.contains(event.detail.target)) fetching[id].stale = true;
    });
  });
  // A person's own post (an idea, a support, an answer) answered while a fetch of its panel
  // is out: the fetch may have been drawn before the post was saved, and would undo on the
  // screen what the post's answer just showed. It is stale too. And while the post is out, a
  // fetch that comes back is not swapped in: it would replace the element the post's answer
  // goes into, and that answer would be lost (htmx swaps it into the element it had when the
  // post left). Either way the panel is fetched again, after. (The panel is noted as the post
  // leaves: its answer may replace the form that sent it.)
  // A fetch answered while a post is out is held, however busy the room: swapped in, it would
  // take away the element that post's answer goes into (htmx finds an answer's target from the
  // element that sent it). It is fetched again once the last post of its panel is answered.
  var posting = {};
  var afterPosts = {};
  // A post that takes longer than this (a slow or failing network) holds its panel no longer:
  // the panel is fetched and drawn anyway, so a screen never stays behind for a hung post.
  var HOLD_MS = 2500;
  function holdUntilPosted(id, urlFor) {
    afterPosts[id] = urlFor;
    setTimeout(function () {
      if (afterPosts[id] !== urlFor) return;
      delete afterPosts[id];
      refresh(id, urlFor, MAX_DROPPED);
    }, HOLD_MS);
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig;
    var elt = event.detail.elt;
    if (!config || config.verb === "get" || !elt || !elt.closest) return;
    var panel = elt.closest("#board, [data-catch-up]");
    if (!panel || !panel.id || !event.detail.xhr) return;
    var id = panel.id;
    posting[id] = (posting[id] || 0) + 1;
    // Heard however the post ends (answered, failed, cut off), after its answer is swapped in,
    // wherever its form is by then.
    event.detail.xhr.addEventListener("loadend", function () {
      posting[id] = Math.max(0, posting[id] - 1);
      if (fetching[id]) fetching[id].stale = true;
      else if (!posting[id] && afterPosts[id]) {
        var held = afterPosts[id];
        delete afterPosts[id];
        refresh(id, held);
      }
    });
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var state = target && target.id && fetching[target.id];
    var config = event.detail.requestConfig;
    if (!state || !config || config.verb !== "get") return;
    if (posting[target.id] && state.dropped < MAX_DROPPED) {
      state.held = true;
      event.detail.shouldSwap = false;
    }
    else if (state.stale && state.dropped < MAX_DROPPED) event.detail.shouldSwap = false;
    else state.swapped = true;
    if (!event.detail.shouldSwap || event.detail.xhr.getResponseHeader("HX-Reswap") !== "none") return;
    // The pushes a reconnecting screen missed: swapped in out of band, now.
    noteSeen(event.detail.serverResponse);
    replaying = true;
    setTimeout(function () { replaying = false; }, 0);
  });
  function catchUp() {
    refresh("board", boardUrl);
    document.querySelectorAll("[data-catch-up]").forEach(function (panel) {
      refresh(panel.id, function () { return panel.dataset.catchUp; });
    });
  }
  // The questions from the floor changed (a push carries data-refresh-questions): only the
  // panels that show them fetch again (data-questions): a phone's questions, and a board
  // that shows one of them (the big screen, while a question is being answered). The signal
  // is read from the message as sent: it is marked data-if-shown, so a page without its slot
  // drops it before htmx:wsAfterMessage.
  function refreshQuestions() {
    document.querySelectorAll("[data-questions]").forEach(function (panel) {
      if (panel.id === "board") refresh("board", boardUrl);
      else if (panel.id) refresh(panel.id, function () { return panel.dataset.catchUp; });
    });
  }
  // The ideas on a breakout's wall changed (a push to the consoles carries data-refresh-alike,
  // marked data-if-shown like the questions' signal): the console's panels of ideas alike
  // (possible duplicates, suggested clusters: data-alike) fetch again.
  function refreshAlike() {
    document.querySelectorAll("[data-alike]").forEach(function (panel) {
      if (panel.id) refresh(panel.id, function () { return panel.dataset.catchUp; });
    });
  }
  var questionsChanged = false;
  var alikeChanged = false;
  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    var message = event.detail && event.detail.message;
    var text = typeof message === "string" ? message : "";
    questionsChanged = text.indexOf("data-refresh-questions") !== -1;
    alikeChanged = text.indexOf("data-refresh-alike") !== -1;
  });
  document.addEventListener("htmx:wsOpen", catchUp);
  document.addEventListener("htmx:wsAfterMessage", function (event) {
    var message = event.detail && event.detail.message;
    var questions = questionsChanged;
    var alike = alikeChanged;
    questionsChanged = alikeChanged = false;
    if (typeof message === "string" && message.indexOf("data-refresh-board") !== -1) catchUp();
    else {
      if (questions) refreshQuestions();
      if (alike) refreshAlike();
    }
  });

  // Replacing the board must not lose what someone is in the middle of (a comment, an
  // outcome, a chosen rating or phase): carry unsent input and focus over to the new board,
  // except in the form just sent. Fields are matched by the form they post to, name and value.
  function fieldKey(field) {
    var form = field.closest("form");
    var action = form ? form.getAttribute("hx-post") || form.getAttribute("action") || "" : "";
    var choice = field.type === "radio" || field.type === "checkbox" ? field.value : "";
    return [action, field.name, choice, field.id].join("|");
  }
  function changed(field) {
    if (field.type === "radio" || field.type === "checkbox") return field.checked !== field.defaultChecked;
    // Sent back refused, with what was typed: still unsent, though the page drew it.
    if (field.hasAttribute("data-unsent")) return field.value !== "";
    if (field.tagName === "SELECT") {
      return Array.from(field.options).some(function (option) { return option.selected !== option.defaultSelected; });
    }
    return field.value !== field.defaultValue;
  }
  // Panels on the board (or among the questions from the floor) a person opened or closed (an
  // idea's comments, a closed session's questions) stay so when they are drawn again or a card
  // is replaced. A panel is known by its own id or the first id inside it.
  var KEPT_PANELS = "#board, [data-questions]";
  var toggled = {};
  function panelKey(details) {
    var named = details.id ? details : details.querySelector("[id]");
    return named ? named.id : "";
  }
  // By the person's own click (or Enter or Space) on its summary: a panel drawn open also
  // fires "toggle", which says nothing of what the person wants.
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("summary");
    var details = summary && summary.parentElement;
    if (!details || details.tagName !== "DETAILS" || !details.closest(KEPT_PANELS)) return;
    var key = panelKey(details);
    if (key) toggled[key] = !details.open;
  });
  // "Build on this instead", beside an idea like the one being typed: that idea's comments
  // open, and the cursor goes to its comment box. What was typed in the idea box stays there.
  // Where the idea has no comment box, the link simply goes to the idea.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-build-on]");
    var box = link && document.getElementById("comment-" + link.dataset.buildOn);
    if (!box) return;
    event.preventDefault();
    var details = box.closest("details");
    if (details) {
      details.open = true;
      var key = panelKey(details);
      if (key) toggled[key] = true;
    }
    box.focus();
  });
  function keepPanels() {
    document.querySelectorAll("#board details, [data-questions] details").forEach(function (details) {
      var key = panelKey(details);
      if (key in toggled && details.open !== toggled[key]) details.open = toggled[key];
    });
  }
  document.addEventListener("htmx:afterSettle", keepPanels);
  document.addEventListener("htmx:wsAfterMessage", keepPanels);

  var kept = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!event.detail.shouldSwap) return;
    if (!target || !target.hasAttribute || !target.hasAttribute("data-keep-typing")) return;
    if (event.detail.xhr && event.detail.xhr.getResponseHeader("HX-Reswap") === "none") return;
    var sent = event.detail.requestConfig && event.detail.requestConfig.elt;
    var sentForm = sent && sent.closest ? sent.closest("form") : null;
    var active = document.activeElement;
    kept = { id: target.id, fields: {}, tokens: {}, focus: active && active.id, focusForm: null, focusText: "" };
    // A button has no id: note the form it is in and its words, to find its successor.
    var activeForm = active && !active.id && active.closest ? active.closest("form") : null;
    if (activeForm && target.contains(activeForm)) {
      kept.focusForm = activeForm.getAttribute("hx-post");
      kept.focusText = active.textContent.trim();
    }
    target.querySelectorAll("textarea, select, input:not([type=hidden])").forEach(function (field) {
      if (!field.name || (sentForm && sentForm.contains(field)) || !changed(field)) return;
      kept.fields[fieldKey(field)] = field.type === "radio" || field.type === "checkbox" ? field.checked : field.value;
      // The form's token goes with what is kept, so sending it again stays one contribution.
      var token = field.form && field.form.querySelector("input[name=client_token]");
      if (token) kept.tokens[token.form.getAttribute("hx-post")] = token.value;
    });
    // A ranking being put in order is unsent input too.
    kept.rankings = {};
    target.querySelectorAll("[data-ranking]").forEach(function (list) {
      var form = list.closest("form");
      if (!form || form === sentForm) return;
      kept.rankings[form.getAttribute("hx-post")] = Array.from(list.querySelectorAll("input[name=ranking]")).map(function (input) { return input.value; });
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!kept) return;
    var swapped = document.getElementById(kept.id || "board");
    if (swapped) {
      swapped.querySelectorAll("textarea, select, input:not([type=hidden])").forEach(function (field) {
        var key = fieldKey(field);
        if (!(key in kept.fields)) return;
        if (field.type === "radio" || field.type === "checkbox") field.checked = kept.fields[key];
        else field.value = kept.fields[key];
      });
      swapped.querySelectorAll("input[name=client_token]").forEach(function (token) {
        var action = token.form && token.form.getAttribute("hx-post");
        if (action in kept.tokens) token.value = kept.tokens[action];
      });
    }
    Object.keys(kept.rankings || {}).forEach(function (action) {
      var form = document.querySelector('form[hx-post="' + action + '"]');
      var list = form && form.querySelector("[data-ranking]");
      if (!list) return;
      kept.rankings[action].forEach(function (value) {
        var input = list.querySelector('input[name=ranking][value="' + value + '"]');
        if (input) list.appendChild(input.closest("[data-ranking-item]"));
      });
    });
    var focus = kept.focus && document.getElementById(kept.focus);
    if (!focus && kept.focusForm) focus = successor(kept.focusForm, kept.focusText);
    if (focus && focus !== document.body) focus.focus();
    kept = null;
    showForPhase();
    tick();
  });

  // The control a keyboard user just pressed, on the new board: the same button of a form
  // posting to the same place, or, if that is gone or disabled (the last dot spent), the first
  // usable one of any form posting there (taking the dot back).
  function successor(action, text) {
    var controls = [];
    document.querySelectorAll("form").forEach(function (form) {
      if (form.getAttribute("hx-post") !== action) return;
      form.querySelectorAll("button, textarea, select, input:not([type=hidden])").forEach(function (control) {
        if (!control.disabled) controls.push(control);
      });
    });
    var same = controls.filter(function (control) { return control.textContent.trim() === text; });
    return same[0] || controls[0] || null;
  }

  // Parts of a page that belong to some phases only (the idea form): shown or hidden as the
  // board's phase changes, without reloading what is typed in them.
  function showForPhase() {
    var board = document.getElementById("board");
    if (!board) return;
    var phase = board.dataset.phase;
    document.querySelectorAll("[data-phases]").forEach(function (element) {
      element.hidden = element.dataset.phases.split(" ").indexOf(phase) === -1;
    });
  }

  // Countdown timers: the server says when the phase ends and what time it was when it said
  // so, which corrects for a device clock that is wrong.
  function tick() {
    document.querySelectorAll("[data-timer]").forEach(function (timer) {
      var ends = Date.parse(timer.dataset.ends);
      if (!timer.dataset.offset) {
        timer.dataset.offset = String(Date.parse(timer.dataset.now) - Date.now());
      }
      var left = Math.max(0, Math.round((ends - (Date.now() + Number(timer.dataset.offset))) / 1000));
      var clock = timer.querySelector(".timer__clock");
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      clock.textContent = left === 0 ? gettext("Time is up") : minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timer.classList.toggle("timer--up", left === 0);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", removeDuplicates);

  // A request that never got an answer (no network, server down) or got an error page leaves
  // the form as it was, typed text included; say so, and that sending again is safe: the form
  // carries the same token, so a retry cannot make a second copy.
  function showSendError(event, message) {
    // A look-up of ideas like the one being typed sends nothing of the person's: no word.
    if (lookingUp(event.detail.elt)) return;
    var form = event.detail.elt && event.detail.elt.closest("form");
    var slot = form && form.querySelector("[data-send-error]");
    if (!slot) return;
    slot.textContent = message;
    slot.hidden = false;
  }
  document.addEventListener("htmx:sendError", function (event) {
    // Kept to send when the connection returns, and the form says so (static/js/offline.js).
    if (event.detail.waiting) return;
    showSendError(event, gettext("Not sent: there is no connection to the summit. Your text is still here; try again in a moment."));
  });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var message = status === 403 || status === 404
      ? gettext("Not sent: you are no longer in this group or signed in. Copy your text, then reload the page.")
      : gettext("Not sent: the summit could not save it just now. Your text is still here; try again in a moment.");
    showSendError(event, message);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var slot = event.detail.elt && event.detail.elt.querySelector && event.detail.elt.querySelector("[data-send-error]");
    if (slot) slot.hidden = true;
  });

  // Ideas like the one being typed (data-lookup, on the idea box), drawn under it: the box's
  // live region says so in a word, or says nothing, rather than reading every idea out. An
  // answer that comes once the idea has been sent goes to the form that has gone, unheard.
  function lookingUp(elt) {
    return !!(elt && elt.hasAttribute && elt.hasAttribute("data-lookup"));
  }
  // Only the latest look-up counts: one answered for words since changed is dropped (a look-up
  // for the words as they are now follows, at the next pause).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.elt;
    var config = event.detail.requestConfig;
    var sent = config && config.formData && config.formData.get("text");
    if (lookingUp(elt) && typeof sent === "string" && sent !== elt.value) event.detail.shouldSwap = false;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "similar-ideas") return;
    var status = document.getElementById("similar-status");
    var heading = target.querySelector("[data-similar-heading]");
    if (status) status.textContent = heading ? heading.textContent : "";
  });

  // Ranking: reorder the items with Move up / Move down (keyboard and screen readers) or by
  // dragging. The hidden inputs travel with their items, so the form sends the new order.
  function announceRank(list, item) {
    var status = list.parentElement.querySelector("[data-ranking-status]");
    if (!status) return;
    var items = Array.from(list.querySelectorAll("[data-ranking-item]"));
    var text = item.querySelector(".ranking__text").textContent;
    status.textContent = interpolate(gettext("Moved to place %(place)s of %(count)s: %(text)s"), {
      place: items.indexOf(item) + 1,
      count: items.length,
      text: text
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-move]");
    if (!button) return;
    var item = button.closest("[data-ranking-item]");
    var list = item && item.parentElement;
    if (!list) return;
    if (button.dataset.move === "up" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.dataset.move === "down" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    } else {
      return;
    }
    button.focus();
    announceRank(list, item);
  });
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("[data-ranking-item]");
    if (!item) return;
    dragged = item;
    item.classList.add("ranking__item--dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
  });
  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var over = event.target.closest && event.target.closest("[data-ranking-item]");
    if (!over || over === dragged || over.parentElement !== dragged.parentElement) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentElement.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });
  document.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("ranking__item--dragging");
    announceRank(dragged.parentElement, dragged);
    dragged = null;
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
    var swapped = id ? document.getElementById(id) : null;
    if (!swapped || id === "board") return;
    var summary = swapped.querySelector(".error-summary");
    if (summary) {
      summary.focus();
      return;
    }
    if (swapped.tagName !== "FORM") return;
    var field = swapped.querySelector("textarea, input:not([type=hidden])");
    if (field) field.focus();
  });
})();
