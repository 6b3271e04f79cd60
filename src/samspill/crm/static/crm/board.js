// The pipeline board: native HTML5 drag and drop of cards between stage columns. A drop
// posts the move with htmx; the server (services.move_opportunity) answers with the whole
// board, so counts and totals stay right. A drop on a lost stage asks for the reason first.
// On a phone the select under each card moves it.
(() => {
  "use strict";
  let dragged = null;

  function board() {
    return document.querySelector(".crm-board");
  }

  function move(id, stage, reason) {
    const root = board();
    if (!root || root.dataset.canMove !== "1") return;
    const url = root.dataset.moveUrl.replace("/0/", `/${id}/`);
    const params = new URLSearchParams(window.location.search);
    htmx.ajax("POST", `${url}?${params.toString()}`, {
      target: "#board",
      swap: "innerHTML",
      values: { stage: stage, reason: reason || "" },
    });
  }

  function askReason(id, stage) {
    const dialog = document.getElementById("lost-dialog");
    const input = document.getElementById("lost-reason");
    if (!dialog || typeof dialog.showModal !== "function") {
      const reason = window.prompt(input?.labels?.[0]?.textContent || "Reason");
      if (reason) move(id, stage, reason);
      return;
    }
    input.value = "";
    dialog.dataset.id = id;
    dialog.dataset.stage = stage;
    dialog.showModal();
    input.focus();
  }

  function drop(id, column) {
    if (!column) return;
    if (column.dataset.lost === "1") askReason(id, column.dataset.stage);
    else move(id, column.dataset.stage);
  }

  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest?.(".crm-card");
    if (!card) return;
    dragged = card;
    card.classList.add("opacity-50");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.id);
  });
  document.addEventListener("dragend", () => {
    dragged?.classList.remove("opacity-50");
    dragged = null;
    document.querySelectorAll(".crm-column.crm-over").forEach((c) => c.classList.remove("crm-over"));
  });
  document.addEventListener("dragover", (event) => {
    const column = event.target.closest?.(".crm-column");
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".crm-column.crm-over").forEach((c) => c !== column && c.classList.remove("crm-over"));
    column.classList.add("crm-over");
  });
  document.addEventListener("drop", (event) => {
    const column = event.target.closest?.(".crm-column");
    if (!column) return;
    event.preventDefault();
    const id = event.dataTransfer.getData("text/plain") || dragged?.dataset.id;
    const from = dragged?.closest(".crm-column");
    column.classList.remove("crm-over");
    if (id && from !== column) drop(id, column);
  });
  document.addEventListener("change", (event) => {
    const select = event.target.closest?.(".crm-move");
    if (!select) return;
    const column = document.querySelector(`.crm-column[data-stage="${select.value}"]`);
    drop(select.dataset.id, column);
  });
  document.addEventListener("submit", (event) => {
    if (event.target.id !== "lost-form") return;
    const dialog = document.getElementById("lost-dialog");
    const reason = document.getElementById("lost-reason").value.trim();
    if (!reason) {
      event.preventDefault();
      return;
    }
    move(dialog.dataset.id, dialog.dataset.stage, reason);
  });
  document.addEventListener("click", (event) => {
    if (event.target.id === "lost-cancel") document.getElementById("lost-dialog")?.close();
  });
})();
