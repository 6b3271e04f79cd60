// The voucher form, keyboard first:
// - account fields search the chart by number or name (arrow keys, Enter or Tab to pick,
//   Escape to close); the accounts come from the page (#account-options);
// - Enter moves to the next field instead of submitting; Ctrl+Enter or Alt+S saves and posts.
(function () {
  "use strict";

  function accounts() {
    var node = document.getElementById("account-options");
    return node ? JSON.parse(node.textContent) : [];
  }

  function matches(list, query, limit) {
    var q = query.trim().toLowerCase();
    if (!q) return list.slice(0, limit);
    var byNumber = [], byName = [];
    list.forEach(function (a) {
      if (a[0].indexOf(q) === 0) byNumber.push(a);
      else if (a[1].toLowerCase().indexOf(q) !== -1) byName.push(a);
    });
    return byNumber.concat(byName).slice(0, limit);
  }

  function combobox(input, list, index) {
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    var box = document.createElement("ul");
    box.className = "dropdown-menu shadow-sm account-options";
    box.id = input.id + "_options";
    box.setAttribute("role", "listbox");
    box.style.maxHeight = "16rem";
    box.style.overflowY = "auto";
    input.setAttribute("aria-controls", box.id);
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(box);
    var shown = [], active = -1;

    function close() {
      box.classList.remove("show");
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function paint() {
      Array.prototype.forEach.call(box.children, function (li, i) {
        var on = i === active;
        li.firstChild.classList.toggle("active", on);
        li.setAttribute("aria-selected", on ? "true" : "false");
        if (on) {
          input.setAttribute("aria-activedescendant", li.id);
          li.scrollIntoView({ block: "nearest" });
        }
      });
    }
    function open() {
      shown = matches(list, input.value, 12);
      box.innerHTML = "";
      shown.forEach(function (a, i) {
        var li = document.createElement("li");
        li.id = box.id + "_" + i;
        li.setAttribute("role", "option");
        var button = document.createElement("button");
        button.type = "button";
        button.tabIndex = -1;
        button.className = "dropdown-item small";
        button.textContent = a[0] + " " + a[1];
        button.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        li.appendChild(button);
        box.appendChild(li);
      });
      active = shown.length ? 0 : -1;
      box.classList.toggle("show", shown.length > 0);
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
      paint();
    }
    function pick(i) {
      var chosen = shown[i];
      if (!chosen) return;
      input.value = chosen[0];
      input.title = chosen[0] + " " + chosen[1];
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    input.addEventListener("input", open);
    input.addEventListener("focus", function () {
      if (input.value) input.select();
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
    input.addEventListener("keydown", function (event) {
      var isOpen = box.classList.contains("show");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!isOpen) open();
        else if (shown.length) {
          active = (active + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
          paint();
        }
        event.preventDefault();
      } else if ((event.key === "Enter" || event.key === "Tab") && isOpen && active >= 0) {
        if (event.ctrlKey || event.altKey) return;
        pick(active);
        if (event.key === "Enter") {
          event.preventDefault();
          event.stopPropagation();
          next(input);
        }
      } else if (event.key === "Escape" && isOpen) {
        close();
        event.preventDefault();
      }
    });
  }

  function fields(form) {
    return Array.prototype.filter.call(
      form.querySelectorAll("input:not([type=hidden]), select, textarea"),
      function (el) {
        return !el.disabled && el.offsetParent !== null;
      }
    );
  }

  function next(el) {
    var all = fields(el.form);
    var i = all.indexOf(el);
    if (i >= 0 && i + 1 < all.length) all[i + 1].focus();
  }

  function setup() {
    var form = document.getElementById("entry-form");
    if (!form) return;
    var list = accounts();
    form.querySelectorAll("input[name$='-account']").forEach(function (input, i) {
      combobox(input, list, i);
    });
    var post = form.querySelector("button[name=post]");
    form.addEventListener("keydown", function (event) {
      var save = (event.ctrlKey && event.key === "Enter") ||
        (event.altKey && !event.ctrlKey && (event.code === "KeyS" || event.key === "s"));
      if (save && post) {
        event.preventDefault();
        form.requestSubmit(post);
        return;
      }
      var el = event.target;
      if (event.key === "Enter" && el.tagName === "INPUT" && el.type !== "submit" &&
          el.type !== "button" && !event.defaultPrevented) {
        event.preventDefault();  // no accidental posting: Enter moves on
        next(el);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
