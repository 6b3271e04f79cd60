// Keyboard shortcuts of the service inbox: j / k move through the list and Enter opens;
// on a ticket r writes a reply, n a note, a assigns it to me. Canned responses fill the reply.
(function () {
  "use strict";
  function typing(event) {
    const t = event.target;
    return t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
  }
  let current = -1;
  function rows() {
    return Array.from(document.querySelectorAll("#inbox-table tbody tr[data-ticket]"));
  }
  function select(index) {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("table-active", i === current));
    all[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (document.getElementById("inbox-table")) {
      if (key === "j") { select(current + 1); event.preventDefault(); }
      else if (key === "k") { select(current - 1); event.preventDefault(); }
      else if (key === "Enter" && current >= 0) {
        const link = rows()[current].querySelector("a.ticket-link");
        if (link) window.location.href = link.href;
      }
      return;
    }
    if (key === "r" && document.getElementById("reply-body")) {
      document.getElementById("reply-body").focus(); event.preventDefault();
    } else if (key === "n" && document.getElementById("note-body")) {
      document.getElementById("note-body").focus(); event.preventDefault();
    } else if (key === "a" && document.getElementById("assign-me-form")) {
      document.getElementById("assign-me-form").submit(); event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    const select = event.target;
    if (select.id !== "canned-select" || !select.value) return;
    fetch(select.dataset.url + "?id=" + encodeURIComponent(select.value), { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => {
        const body = document.getElementById("reply-body");
        body.value = body.value ? body.value + "\n\n" + data.body : data.body;
        body.focus();
        select.value = "";
      });
  });
  // A suggested knowledge article: its public link goes into the reply where the cursor is.
  document.addEventListener("click", function (event) {
    const button = event.target.closest(".kb-insert");
    const body = document.getElementById("reply-body");
    if (!button || !body) return;
    event.preventDefault();
    const text = button.dataset.title + ": " + button.dataset.link;
    const start = body.selectionStart ?? body.value.length;
    const end = body.selectionEnd ?? body.value.length;
    const before = body.value.slice(0, start);
    const after = body.value.slice(end);
    const gap = before && !before.endsWith("\n") ? "\n" : "";
    body.value = before + gap + text + "\n" + after;
    const caret = (before + gap + text + "\n").length;
    body.focus();
    body.setSelectionRange(caret, caret);
  });
})();
