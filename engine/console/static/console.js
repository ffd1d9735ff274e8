// escsim console: live updates without a reload, and nothing else. No dependencies.
// The server sends a Server-Sent Event "change" carrying how many changes it has accepted (and
// "tick" each second under a realtime clock); when that passes the count this page was built at,
// the page is fetched again and each region marked data-live is replaced by its new version.
// Text fields keep what was typed and the focused control keeps focus.
(function () {
  "use strict";
  var body = document.body;
  var stream = body.getAttribute("data-events");
  var status = document.getElementById("live-status");
  if (!stream || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var version = Number(body.getAttribute("data-version")) || 0;
  var busy = false;
  var again = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function keep(region) {
    var kept = {};
    var fields = region.querySelectorAll("input[id], textarea[id], select[id]");
    for (var i = 0; i < fields.length; i += 1) {
      if (fields[i].type !== "hidden") {
        kept[fields[i].id] = fields[i].value;
      }
    }
    return kept;
  }

  function swap(fresh) {
    var focused = document.activeElement && document.activeElement.id;
    var regions = document.querySelectorAll("[data-live]");
    for (var i = 0; i < regions.length; i += 1) {
      var region = regions[i];
      var next = fresh.getElementById(region.id);
      if (!next || next.innerHTML === region.innerHTML) {
        continue;
      }
      var kept = keep(region);
      var imported = document.importNode(next, true);
      region.parentNode.replaceChild(imported, region);
      for (var id in kept) {
        var field = document.getElementById(id);
        if (field) {
          field.value = kept[id];
        }
      }
    }
    if (focused && document.getElementById(focused)) {
      document.getElementById(focused).focus();
    }
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) {
        if (!answer.ok) {
          throw new Error("status " + answer.status);
        }
        return answer.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        version = Math.max(version, Number(fresh.body.getAttribute("data-version")) || 0);
        body.setAttribute("data-version", String(version));
        swap(fresh);
        say("Live");
      })
      .catch(function () {
        say("Could not refresh: reload the page");
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var source = new EventSource(stream);
  source.addEventListener("open", function () {
    say("Live");
  });
  source.addEventListener("error", function () {
    say("Reconnecting…");
  });
  source.addEventListener("change", function (event) {
    if (Number(event.data) > version) {
      refresh();
    }
  });
  source.addEventListener("tick", refresh);
})();
