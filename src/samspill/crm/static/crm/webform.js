// Samspill web form for a company's own website. Paste the form and this script (from the
// CRM settings page). The script asks Samspill for a form token when the page loads, posts
// the lead as JSON when the visitor sends the form, and shows the answer in the form.
// Spam protection: the hidden "website" field must stay empty, the token must be a few
// seconds old, and Samspill limits how many leads one address may send.
(() => {
  "use strict";

  function setup(form) {
    const key = form.dataset.samspillForm;
    const endpoint = form.dataset.samspillEndpoint;
    const status = form.querySelector("[data-samspill-status]") || form.appendChild(document.createElement("p"));
    status.setAttribute("role", "status");
    let token = "";
    fetch(`${endpoint}/token?form_key=${encodeURIComponent(key)}`)
      .then((response) => response.json())
      .then((body) => { token = body.token || ""; })
      .catch(() => { token = ""; });

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form).entries());
      const button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...data, form_key: key, token }),
      })
        .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
        .then(({ ok, body }) => {
          if (ok) {
            form.reset();
            form.querySelectorAll("input, textarea, button").forEach((el) => { el.disabled = true; });
            status.textContent = body.message;
          } else {
            const messages = Object.values(body.errors || {}).flat();
            status.textContent = messages.length ? messages.join(" ") : body.detail || body.title;
            if (button) button.disabled = false;
          }
        })
        .catch(() => {
          status.textContent = form.dataset.samspillError || "Something went wrong. Please try again.";
          if (button) button.disabled = false;
        });
    });
  }

  document.querySelectorAll("form[data-samspill-form]").forEach(setup);
})();
