// Samspill UI shell: keyboard first.
// - Ctrl+K (Cmd+K) or "/" focuses the global search; results drop down as you type (htmx).
// - Arrow keys move through the results, Enter opens one, Escape closes the list.
(() => {
  "use strict";

  const input = () => document.getElementById("global-search");
  const panel = () => document.getElementById("search-results");
  const options = () => Array.from(panel()?.querySelectorAll("[role=option]") ?? []);

  function isOpen() {
    return options().length > 0 || (panel()?.textContent.trim() ?? "") !== "";
  }

  function close({ focusInput = false } = {}) {
    const results = panel();
    if (results) results.innerHTML = "";
    input()?.setAttribute("aria-expanded", "false");
    if (focusInput) input()?.focus();
  }

  function move(current, step) {
    const items = options();
    if (!items.length) return;
    let index = items.indexOf(current);
    index = index === -1 ? (step > 0 ? 0 : items.length - 1) : index + step;
    if (index < 0) {
      input()?.focus();
      return;
    }
    items[Math.min(index, items.length - 1)].focus();
  }

  document.addEventListener("keydown", (event) => {
    const search = input();
    if (!search) return;
    const tag = document.activeElement?.tagName;
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(tag) || document.activeElement?.isContentEditable;
    if (((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") || (event.key === "/" && !typing)) {
      event.preventDefault();
      search.focus();
      search.select();
      return;
    }
    const inResults = panel()?.contains(document.activeElement);
    if (event.key === "Escape" && (inResults || document.activeElement === search) && isOpen()) {
      event.preventDefault();
      close({ focusInput: true });
      return;
    }
    if (document.activeElement === search && event.key === "ArrowDown" && options().length) {
      event.preventDefault();
      move(null, 1);
    } else if (inResults && ["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) {
      event.preventDefault();
      const items = options();
      if (event.key === "Home") items[0]?.focus();
      else if (event.key === "End") items[items.length - 1]?.focus();
      else move(document.activeElement, event.key === "ArrowDown" ? 1 : -1);
    }
  });

  // Enter in the search box with a single result opens it; otherwise the form goes to the
  // full search page.
  document.addEventListener("submit", (event) => {
    if (event.target.id !== "global-search-form") return;
    const items = options().filter((item) => !item.dataset.more);
    if (items.length === 1) {
      event.preventDefault();
      window.location.assign(items[0].href);
    }
  });

  // Keep the drop-down honest: hide it when it has nothing to show.
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id !== "search-results") return;
    const results = event.target;
    if (results.textContent.trim() === "") results.innerHTML = "";
    input()?.setAttribute("aria-expanded", String(results.innerHTML !== ""));
  });

  // A click outside the search closes its results.
  document.addEventListener("click", (event) => {
    const form = document.getElementById("global-search-form");
    if (isOpen() && !panel()?.contains(event.target) && !form?.contains(event.target)) close();
  });

  // Buttons and links that ask first: <button data-confirm="Really?">.
  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[data-confirm]");
    if (trigger && !window.confirm(trigger.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
