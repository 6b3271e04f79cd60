// Copy buttons: <button data-copy-target="element-id" data-copied-text="Copied">.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) return;
  const text = field.value ?? field.textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    field.select();
    document.execCommand("copy");
  }
  const label = button.querySelector("span") || button;
  label.textContent = button.dataset.copiedText || "✓";
  const status = document.getElementById("copy-status");
  if (status) status.textContent = button.dataset.copiedText || "";
});
