// Register payment: the payment amount is spread over the ticked invoices, oldest due date
// first (rows are in that order), each up to what it has open. Amounts stay editable; a
// change of the payment amount or of a tick spreads again.
(function () {
  function spread(form) {
    const total = Number(String(form.querySelector("[name=amount]").value).replace(",", "."));
    if (!Number.isFinite(total)) return;
    let rest = Math.round(total * 100);
    form.querySelectorAll("[data-allocation]").forEach((row) => {
      const tick = row.querySelector("input[name=invoice]");
      const input = row.querySelector("[data-share]");
      const open = Math.round(Number(row.dataset.open) * 100);
      const share = tick.checked ? Math.max(0, Math.min(rest, open)) : 0;
      rest -= share;
      input.value = (share / 100).toFixed(2);
    });
    const left = form.querySelector("[data-rest]");
    if (left) left.textContent = (Math.max(rest, 0) / 100).toFixed(2);
  }
  document.addEventListener("change", (event) => {
    const form = event.target.closest("form[data-payment-form]");
    if (!form) return;
    if (event.target.name === "amount" || event.target.name === "invoice") spread(form);
  });
})();
