// Chatter: picking a suggested @mention replaces the @word being typed at the end of the
// comment. Delegated, so it works for panels swapped in by htmx.
(() => {
  "use strict";
  if (window.samspillChatter) return;
  window.samspillChatter = true;

  document.addEventListener("click", (event) => {
    const option = event.target.closest("[data-mention]");
    if (!option) return;
    const box = document.getElementById(option.dataset.target);
    if (!box) return;
    box.value = box.value.replace(/@[\w.+-]*$/u, `@${option.dataset.mention} `);
    option.closest(".mention-suggestions, [id$='-mentions']")?.replaceChildren();
    box.focus();
  });
})();
