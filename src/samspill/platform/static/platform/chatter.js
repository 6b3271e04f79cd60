// Chatter: picking a suggested @mention replaces the @word being typed at the end of the
// comment. Mouse or keyboard: ArrowDown from the comment box moves into the suggestions,
// ArrowUp/ArrowDown move between them, Enter picks one, Escape closes them. Delegated, so
// it works for panels swapped in by htmx.
(() => {
  "use strict";
  if (window.samspillChatter) return;
  window.samspillChatter = true;

  const listFor = (box) => document.getElementById(box?.dataset.mentionBox ?? "");
  const options = (list) => Array.from(list?.querySelectorAll("[data-mention]") ?? []);

  function pick(option) {
    const box = document.getElementById(option.dataset.target);
    if (!box) return;
    box.value = box.value.replace(/@[\w.+-]*$/u, `@${option.dataset.mention} `);
    listFor(box)?.replaceChildren();
    box.focus();
  }

  document.addEventListener("click", (event) => {
    const option = event.target.closest("[data-mention]");
    if (option) pick(option);
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target.matches?.("[data-mention-box]")) {
      const items = options(listFor(target));
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        items[0].focus();
      } else if (event.key === "Escape" && items.length) {
        event.preventDefault();
        listFor(target).replaceChildren();
      }
      return;
    }
    if (!target.matches?.("[data-mention]")) return;
    const box = document.getElementById(target.dataset.target);
    const items = options(listFor(box));
    const index = items.indexOf(target);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = index + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) box?.focus();
      else items[Math.min(next, items.length - 1)].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      listFor(box)?.replaceChildren();
      box?.focus();
    }
  });
})();
