/* Samspill web chat: one script tag on the company's website
 *   <script src="https://samspill.example/chat/widget.js" data-channel="KEY" async></script>
 * draws a chat button and a panel (in a shadow root: the page's CSS and ours never mix).
 * Norwegian or English after the page's lang (else the browser's). The visitor is known by
 * the token the first message returns, kept in localStorage; new replies are fetched every
 * few seconds. Texts are always put in as text, never as HTML. No framework, no cookies.
 * While the visitor writes, public help-centre articles that may answer the question are
 * suggested (the knowledge base's public suggestion API). */
(function () {
  "use strict";
  var script =
    document.currentScript || document.querySelector('script[src*="/chat/widget.js"][data-channel]');
  if (!script || window.__samspillChat) return;
  var key = script.getAttribute("data-channel") || script.getAttribute("data-queue") || "";
  if (!key) return;
  window.__samspillChat = true;
  var base = new URL(script.src, document.baseURI).origin;
  var api = base + "/api/v1/helpdesk/chat/" + encodeURIComponent(key);
  var storeKey = "samspill-chat:" + key;

  var TEXTS = {
    en: {
      open: "Chat with us",
      title: "Chat",
      close: "Minimise",
      end: "End chat",
      name: "Your name",
      email: "Your e-mail",
      emailOptional: "Your e-mail (optional)",
      message: "Write a message…",
      send: "Send",
      online: "We are here and answer in the chat.",
      offline: "We are not online right now. Leave your e-mail address and message, and we will answer by e-mail.",
      offlineSent: "Thank you! We will answer by e-mail.",
      ended: "The chat has ended. Write again to start a new one.",
      you: "You",
      agent: "Customer service",
      error: "The message could not be sent. Try again.",
      tooMany: "Too many messages. Wait a moment.",
      endConfirm: "End the chat?",
      suggestions: "Maybe this answers your question:",
    },
    nb: {
      open: "Chat med oss",
      title: "Chat",
      close: "Minimer",
      end: "Avslutt chatten",
      name: "Navnet ditt",
      email: "E-postadressen din",
      emailOptional: "E-postadressen din (valgfritt)",
      message: "Skriv en melding …",
      send: "Send",
      online: "Vi er her og svarer i chatten.",
      offline: "Vi er ikke pålogget akkurat nå. Legg igjen e-postadressen din og meldingen, så svarer vi på e-post.",
      offlineSent: "Takk! Vi svarer deg på e-post.",
      ended: "Chatten er avsluttet. Skriv igjen for å starte en ny.",
      you: "Du",
      agent: "Kundeservice",
      error: "Meldingen ble ikke sendt. Prøv igjen.",
      tooMany: "For mange meldinger. Vent litt.",
      endConfirm: "Avslutte chatten?",
      suggestions: "Kanskje dette svarer på spørsmålet ditt:",
    },
  };
  var lang = (document.documentElement.lang || navigator.language || "en").toLowerCase();
  var nb = /^(nb|nn|no)\b/.test(lang);
  var t = nb ? TEXTS.nb : TEXTS.en;

  var CSS =
    ":host{all:initial}" +
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:15px;line-height:1.4}" +
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:12px 18px;background:#0d6efd;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;gap:8px;align-items:center}" +
    ".launcher:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
    ".dot{width:10px;height:10px;border-radius:50%;background:#dc3545;display:none}" +
    ".dot.on{display:inline-block}" +
    ".panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:340px;max-width:calc(100vw - 24px);height:480px;max-height:calc(100vh - 40px);background:#fff;color:#212529;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}" +
    ".panel[hidden],.launcher[hidden],[hidden]{display:none}" +
    ".head{background:#0d6efd;color:#fff;padding:10px 12px;display:flex;align-items:center;gap:8px}" +
    ".head strong{flex:1}" +
    ".head button{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;border-radius:6px;padding:2px 8px;cursor:pointer;font-size:13px}" +
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f8f9fa}" +
    ".msg{max-width:85%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere}" +
    ".msg small{display:block;font-size:12px;opacity:.75;margin-bottom:2px}" +
    ".visitor{align-self:flex-end;background:#0d6efd;color:#fff}" +
    ".agent{align-self:flex-start;background:#fff;border:1px solid #dee2e6}" +
    ".info{align-self:center;font-size:13px;color:#495057;text-align:center}" +
    "form{border-top:1px solid #dee2e6;padding:8px;display:flex;flex-direction:column;gap:6px;background:#fff}" +
    "input,textarea{width:100%;border:1px solid #ced4da;border-radius:6px;padding:6px 8px;color:#212529;background:#fff}" +
    "textarea{resize:none;height:60px}" +
    ".row{display:flex;gap:6px;align-items:center}" +
    ".row .status{flex:1;font-size:12px;color:#842029}" +
    ".send{border:0;border-radius:6px;background:#0d6efd;color:#fff;padding:6px 14px;cursor:pointer}" +
    ".send:disabled{opacity:.6;cursor:default}" +
    ".suggest{border-top:1px solid #dee2e6;padding:6px 10px;background:#fff;font-size:13px}" +
    ".suggest p{margin:0 0 4px;font-size:13px;color:#495057}" +
    ".suggest ul{margin:0;padding-left:18px}" +
    ".suggest a{color:#0a58ca;font-size:13px}";

  var state = {
    token: "",
    after: 0,
    config: null,
    timer: null,
    polling: false,
    name: "",
    email: "",
    seen: {},
    open: false,
  };
  try {
    var saved = JSON.parse(localStorage.getItem(storeKey) || "{}");
    state.token = saved.token || "";
    state.name = saved.name || "";
    state.email = saved.email || "";
  } catch (e) {
    /* storage unavailable: the chat still works for this page */
  }

  function save() {
    try {
      localStorage.setItem(
        storeKey,
        JSON.stringify({ token: state.token, name: state.name, email: state.email })
      );
    } catch (e) {
      /* ignore */
    }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  // --- The elements -----------------------------------------------------------------------
  var host = el("div", { id: "samspill-chat", "data-samspill-chat": "" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  if (root !== host && "adoptedStyleSheets" in root && window.CSSStyleSheet) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(el("style", {}, CSS));
  }
  var launcher = el("button", { class: "launcher", type: "button", part: "launcher" });
  var dot = el("span", { class: "dot", "aria-hidden": "true" });
  launcher.appendChild(el("span", {}, "💬 " + t.open));
  launcher.appendChild(dot);
  var panel = el("section", { class: "panel", role: "dialog", "aria-label": t.title, hidden: "" });
  var head = el("div", { class: "head" });
  head.appendChild(el("strong", {}, t.title));
  var endButton = el("button", { type: "button", class: "end", hidden: "" }, t.end);
  var closeButton = el("button", { type: "button", class: "close", "aria-label": t.close }, "—");
  head.appendChild(endButton);
  head.appendChild(closeButton);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite" });
  var suggestBox = el("div", { class: "suggest", hidden: "" });
  var form = el("form", { novalidate: "" });
  var nameInput = el("input", { name: "name", autocomplete: "name", maxlength: "100", placeholder: t.name, "aria-label": t.name });
  var emailInput = el("input", { name: "email", type: "email", autocomplete: "email", maxlength: "254" });
  var text = el("textarea", { name: "message", placeholder: t.message, "aria-label": t.message, maxlength: "4000" });
  var row = el("div", { class: "row" });
  var status = el("span", { class: "status", role: "status" });
  var send = el("button", { type: "submit", class: "send" }, t.send);
  row.appendChild(status);
  row.appendChild(send);
  form.appendChild(nameInput);
  form.appendChild(emailInput);
  form.appendChild(text);
  form.appendChild(row);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(suggestBox);
  panel.appendChild(form);
  root.appendChild(launcher);
  root.appendChild(panel);

  // --- Talking to Samspill ------------------------------------------------------------------
  function call(method, path, body) {
    var headers = {};
    if (body) headers["Content-Type"] = "application/json";
    if (state.token) headers["X-Chat-Token"] = state.token;
    return fetch(api + path, {
      method: method,
      headers: headers,
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit",
      mode: "cors",
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          if (!response.ok) {
            var error = new Error(data.detail || t.error);
            error.status = response.status;
            error.code = data.code || "";
            error.data = data;
            throw error;
          }
          return data;
        });
    });
  }

  function info(message) {
    log.appendChild(el("div", { class: "info" }, message));
    log.scrollTop = log.scrollHeight;
  }

  function show(messages) {
    (messages || []).forEach(function (m) {
      if (state.seen[m.id]) return;
      state.seen[m.id] = true;
      state.after = Math.max(state.after, m.id);
      var bubble = el("div", { class: "msg " + (m.who === "visitor" ? "visitor" : "agent"), "data-who": m.who });
      bubble.appendChild(el("small", {}, m.who === "visitor" ? t.you : m.name || t.agent));
      bubble.appendChild(document.createTextNode(m.text));
      log.appendChild(bubble);
      if (m.who === "agent" && !state.open) dot.classList.add("on");
    });
    log.scrollTop = log.scrollHeight;
  }

  function introFields() {
    var started = !!state.token;
    nameInput.hidden = started;
    emailInput.hidden = started;
    endButton.hidden = !started;
    var required = !state.config || state.config.require_email || !state.config.online;
    emailInput.placeholder = required ? t.email : t.emailOptional;
    emailInput.setAttribute("aria-label", emailInput.placeholder);
    nameInput.value = state.name;
    emailInput.value = state.email;
  }

  function reset(message) {
    state.token = "";
    state.after = 0;
    state.seen = {};
    save();
    stopPolling();
    if (message) info(message);
    introFields();
  }

  function poll() {
    if (!state.token || state.polling) return;
    state.polling = true;
    call("GET", "/messages?after=" + state.after)
      .then(function (data) {
        show(data.messages);
        if (data.ended) reset(t.ended);
      })
      .catch(function (error) {
        if (error.status === 403 || error.status === 404) reset("");
      })
      .then(function () {
        state.polling = false;
      });
  }

  function startPolling() {
    stopPolling();
    if (!state.token) return;
    var every = document.hidden ? 10000 : 2500;
    state.timer = window.setInterval(poll, every);
  }

  function stopPolling() {
    if (state.timer) window.clearInterval(state.timer);
    state.timer = null;
  }

  document.addEventListener("visibilitychange", function () {
    if (state.token) startPolling();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = text.value.trim();
    if (!message) return;
    status.textContent = "";
    send.disabled = true;
    var request;
    if (state.token) {
      request = call("POST", "/messages", { message: message }).then(function (data) {
        show([data]);
      });
    } else {
      state.name = nameInput.value.trim();
      state.email = emailInput.value.trim();
      request = call("POST", "/conversations", {
        message: message,
        name: state.name,
        email: state.email,
        page_url: String(location.href).slice(0, 500),
        language: nb ? "nb" : "en",
      }).then(function (data) {
        state.token = data.token;
        save();
        introFields();
        show(data.messages);
        if (!data.online) info(t.offlineSent);
        startPolling();
      });
    }
    request
      .then(function () {
        text.value = "";
        suggestedFor = "";
        showSuggestions([]);
      })
      .catch(function (error) {
        if (error.code === "chat_ended" || error.code === "chat_token_invalid") {
          reset(t.ended);
          return;
        }
        var errors = (error.data && error.data.errors) || {};
        var first = Object.keys(errors).map(function (k) {
          return errors[k][0];
        })[0];
        status.textContent = error.status === 429 ? t.tooMany : first || error.message || t.error;
      })
      .then(function () {
        send.disabled = false;
        text.focus();
      });
  });

  // --- Suggested help-centre articles while the visitor writes --------------------------------
  var suggestTimer = null;
  var suggestedFor = "";

  function showSuggestions(articles) {
    suggestBox.textContent = "";
    if (!articles || !articles.length) {
      suggestBox.hidden = true;
      return;
    }
    suggestBox.appendChild(el("p", {}, t.suggestions));
    var list = el("ul", {});
    articles.forEach(function (article) {
      if (!/^https?:\/\//.test(article.url || "")) return;
      var item = el("li", {});
      item.appendChild(
        el("a", { href: article.url, target: "_blank", rel: "noopener" }, article.title)
      );
      list.appendChild(item);
    });
    suggestBox.appendChild(list);
    suggestBox.hidden = false;
  }

  function suggest() {
    var question = text.value.trim();
    if (question.length < 4) {
      suggestedFor = "";
      showSuggestions([]);
      return;
    }
    if (question === suggestedFor) return;
    suggestedFor = question;
    var url =
      base +
      "/api/v1/knowledge/suggest?audience=public&limit=3&language=" +
      (nb ? "nb" : "en") +
      "&q=" +
      encodeURIComponent(question.slice(0, 500));
    fetch(url, { credentials: "omit", mode: "cors" })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (articles) {
        if (text.value.trim() === question) showSuggestions(articles);
      })
      .catch(function () {
        /* suggestions are a help, never a hindrance */
      });
  }

  text.addEventListener("input", function () {
    if (suggestTimer) window.clearTimeout(suggestTimer);
    suggestTimer = window.setTimeout(suggest, 600);
  });

  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  function openPanel() {
    state.open = true;
    launcher.hidden = true;
    panel.hidden = false;
    dot.classList.remove("on");
    text.focus();
  }

  launcher.addEventListener("click", openPanel);
  closeButton.addEventListener("click", function () {
    state.open = false;
    panel.hidden = true;
    launcher.hidden = false;
    launcher.focus();
  });
  endButton.addEventListener("click", function () {
    if (!window.confirm(t.endConfirm)) return;
    call("POST", "/end").catch(function () {}).then(function () {
      reset(t.ended);
    });
  });

  function greet(config) {
    state.config = config;
    if (config.greeting) info(config.greeting);
    info(config.online ? t.online : config.offline_message || t.offline);
    introFields();
  }

  function mount() {
    document.body.appendChild(host);
    introFields();
    call("GET", "/config")
      .then(greet)
      .catch(function () {
        launcher.hidden = true; // an unknown or inactive chat, or a website not allowed
      });
    if (state.token) {
      poll();
      startPolling();
    }
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
