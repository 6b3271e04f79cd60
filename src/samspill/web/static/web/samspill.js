// Keyboard first: Ctrl+K (or /) focuses the global search; Escape closes its results.
document.addEventListener("keydown", (event) => {
  const search = document.getElementById("global-search");
  if (!search) return;
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k" || (event.key === "/" && !typing)) {
    event.preventDefault();
    search.focus();
    search.select();
  } else if (event.key === "Escape") {
    const results = document.getElementById("search-results");
    if (results) results.innerHTML = "";
  }
});
