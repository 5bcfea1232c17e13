// Type-ahead fields. An <input data-typeahead="/typeahead/places?open=1"> (several sources separated by
// spaces, listed in that order) asks the server as the user types and lists what it offers under the
// input: arrow keys and Enter, or a click, choose one. The chosen item's value (a code, a username)
// goes into the form field named by data-target — a <select> (the form's field without JavaScript,
// which gets the option if it lacks it) or a hidden input — and the input shows its label; without
// data-target the input is itself the field and takes the value, and data-chosen names an element that
// shows the label. A "change" event on the field tells the page (the intake's route preview).
(function () {
  "use strict";
  document.querySelectorAll("input[data-typeahead]").forEach(function (input) {
    var target = input.dataset.target ? document.getElementById(input.dataset.target) : null;
    var chosen = input.dataset.chosen ? document.getElementById(input.dataset.chosen) : null;
    var list = document.createElement("ul");
    list.id = input.id + "-list";
    list.className = "typeahead";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    if (target) { // the input takes over from the field, which stays in the form, hidden
      input.hidden = false;
      target.hidden = true;
      var label = document.querySelector("label[for='" + target.id + "']");
      if (label) label.htmlFor = input.id;
    }
    var items = [], active = -1, seq = 0, timer;

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(it) {
      if (target) {
        if (target.tagName === "SELECT" && !Array.prototype.some.call(target.options, function (o) { return o.value === it.value; })) {
          var o = document.createElement("option");
          o.value = it.value;
          o.textContent = it.label;
          target.appendChild(o);
        }
        target.value = it.value;
        input.value = it.label;
        target.dispatchEvent(new Event("change", {bubbles: true}));
      } else {
        input.value = it.value;
        if (chosen) chosen.textContent = it.label + (it.detail ? " · " + it.detail : "");
        input.dispatchEvent(new Event("change", {bubbles: true}));
      }
      close();
    }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      if (active >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + active);
    }
    function show(found) {
      items = found;
      active = -1;
      list.textContent = "";
      found.forEach(function (it, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.dataset.value = it.value;
        var name = document.createElement("span");
        name.textContent = it.label;
        li.appendChild(name);
        if (it.detail) {
          var detail = document.createElement("small");
          detail.textContent = it.detail;
          li.appendChild(detail);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(it); });
        list.appendChild(li);
      });
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = input.dataset.none || "";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function ask(q) {
      var mine = ++seq;
      Promise.all(input.dataset.typeahead.split(" ").map(function (src) {
        return fetch(src + (src.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q),
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (r) { return r.json(); })
          .then(function (d) { return d.items || []; })
          .catch(function () { return []; });
      })).then(function (lists) { if (mine === seq) show([].concat.apply([], lists)); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (chosen) chosen.textContent = "";
      if (!q) { seq++; close(); return; }
      timer = setTimeout(function () { ask(q); }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden || !items.length) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = e.key === "ArrowDown" ? (active + 1) % items.length : (active <= 0 ? items.length : active) - 1;
        mark();
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        choose(items[active]);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();
