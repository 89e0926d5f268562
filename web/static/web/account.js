// Account page over /api/v2/auth: register, sign in (with a one-time code when MFA is on),
// two-factor enrolment, provider keys, saved searches, a summary of alerts. Tokens live in
// sessionStorage.
(function () {
  "use strict";
  var G = window.GPUBroker, el = G.el;
  function $(id) { return document.getElementById(id); }
  function say(id, text, ok) { var p = $(id); p.textContent = text || ""; p.className = "form-message" + (text ? (ok ? " notice ok" : " notice error") : ""); }

  // Where a page that needs an account sent the person from (?next=/alerts…): this site only.
  function next() {
    var path = new URLSearchParams(window.location.search).get("next") || "";
    return /^\/(?![\/\\])/.test(path) ? path : null;
  }

  async function register(event) {
    event.preventDefault();
    var f = event.target;
    try {
      var answer = await G.api("/api/v2/auth/register", {method: "POST", body: {email: f.email.value, password: f.password.value}});
      say("register-message", answer.detail + " You can sign in now.", true);
      $("l-email").value = f.email.value;
    } catch (e) { say("register-message", e.message); }
  }

  async function login(event) {
    event.preventDefault();
    var f = event.target;
    var body = {email: f.email.value, password: f.password.value};
    if (f.otp.value) body.otp = f.otp.value.trim();
    try {
      G.setAuth(await G.api("/api/v2/auth/login", {method: "POST", body: body}));
      say("login-message", "");
      f.reset(); $("otp-field").hidden = true;
      if (next()) { window.location.assign(next()); return; }
      await show();
    } catch (e) {
      if (e.code === "mfa_required") { $("otp-field").hidden = false; $("l-otp").focus(); say("login-message", "Enter the one-time code from your authenticator app."); }
      else say("login-message", e.message);
    }
  }

  async function logout() {
    var pair = G.auth();
    try { await G.api("/api/v2/auth/logout", {method: "POST", body: {refresh_token: pair && pair.refresh_token}, auth: true}); } catch (e) { /* signed out anyway */ }
    G.setAuth(null);
    G.unreadBadge(0);
    show();
  }

  function mfaBox(me) {
    var box = $("mfa-box");
    box.textContent = "";
    $("me-mfa").textContent = me.mfa_enabled ? "on" : "off";
    if (me.mfa_enabled) return;
    var password = el("input", {id: "mfa-password", type: "password", autocomplete: "current-password"});
    var start = el("button", {class: "btn", type: "button", text: "Turn on two-factor sign-in"});
    start.addEventListener("click", async function () {
      try {
        var enrol = await G.api("/api/v2/auth/mfa/enroll", {method: "POST", body: {password: password.value}, auth: true});
        box.textContent = "";
        box.append(el("p", {text: "Add this secret to your authenticator app, then enter the code it shows."}),
          el("p", {class: "secret", id: "mfa-secret", text: enrol.secret}),
          el("p", {class: "hint"}, [el("a", {href: enrol.otpauth_uri, text: "Open in an authenticator app"})]));
        var form = el("form", {class: "row", id: "mfa-confirm"}, [
          el("div", {class: "field"}, [el("label", {for: "mfa-code", text: "Code"}), el("input", {id: "mfa-code", name: "otp", inputmode: "numeric", autocomplete: "one-time-code", required: true})]),
          el("button", {class: "btn primary", type: "submit", text: "Confirm"})]);
        var msg = el("p", {class: "form-message", role: "alert", id: "mfa-message"});
        form.addEventListener("submit", async function (event) {
          event.preventDefault();
          try {
            var done = await G.api("/api/v2/auth/mfa/confirm", {method: "POST", body: {otp: form.otp.value.trim()}, auth: true});
            box.textContent = "";
            $("me-mfa").textContent = "on";
            box.append(el("p", {class: "notice ok", text: "Two-factor sign-in is on. Keep these recovery codes somewhere safe; each works once."}),
              el("ul", {class: "secret", id: "recovery-codes"}, done.recovery_codes.map(function (c) { return el("li", {text: c}); })));
          } catch (e) { msg.textContent = e.message; msg.className = "form-message notice error"; }
        });
        box.append(form, msg);
      } catch (e) { box.append(el("p", {class: "notice error", text: e.message})); }
    });
    box.append(el("div", {class: "field"}, [el("label", {for: "mfa-password", text: "Current password"}), password]), start);
  }

  function stepUp() {  // sensitive changes carry the current password (and code when MFA is on)
    var otp = $("k-otp").value.trim();
    return otp ? {password: $("k-password").value, otp: otp} : {password: $("k-password").value};
  }

  async function keys() {
    var list = $("key-list");
    var items = await G.api("/api/v2/auth/provider-keys", {auth: true});
    list.textContent = "";
    if (!items.length) list.append(el("li", {class: "muted", text: "No keys saved."}));
    items.forEach(function (k) {
      var remove = el("button", {class: "btn small", type: "button", text: "Remove", "aria-label": "Remove the " + k.provider + " key"});
      remove.addEventListener("click", async function () { await G.api("/api/v2/auth/provider-keys/" + k.id, {method: "DELETE", body: stepUp(), auth: true}); keys(); });
      list.append(el("li", {}, [el("span", {}, [el("strong", {text: k.provider}), " ····" + k.last4]), remove]));
    });
  }

  function searchHref(s) {
    var params = new URLSearchParams();
    Object.keys(s.filters || {}).forEach(function (k) {
      var v = s.filters[k];
      (Array.isArray(v) ? v : [v]).forEach(function (item) { params.append(k, String(item)); });
    });
    if (s.q) params.set("q", s.q);
    var text = params.toString();
    return "/" + (text ? "?" + text : "");
  }

  async function saved() {
    var list = $("saved-list");
    var items = await G.api("/api/v2/auth/saved-searches", {auth: true});
    list.textContent = "";
    if (!items.length) list.append(el("li", {class: "muted", text: "No saved searches."}));
    items.forEach(function (s) {
      var remove = el("button", {class: "btn small", type: "button", text: "Delete", "aria-label": "Delete saved search " + s.name});
      remove.addEventListener("click", async function () { await G.api("/api/v2/auth/saved-searches/" + s.id, {method: "DELETE", auth: true}); saved(); });
      list.append(el("li", {}, [el("a", {href: searchHref(s), text: s.name}), el("code", {text: searchHref(s)}), remove]));
    });
  }

  async function addKey(event) {
    event.preventDefault();
    var f = event.target;
    try {
      await G.api("/api/v2/auth/provider-keys", {method: "POST", body: Object.assign({provider: f.provider.value, api_key: f.api_key.value}, stepUp()), auth: true});
      f.api_key.value = ""; say("key-message", "Key saved.", true); keys();
    } catch (e) { say("key-message", e.message); }
  }

  async function addSearch(event) {
    event.preventDefault();
    var f = event.target;
    try {
      await G.api("/api/v2/auth/saved-searches", {method: "POST", body: {name: f.name.value, q: f.q.value, filters: {}}, auth: true});
      f.reset(); say("saved-message", "Search saved.", true); saved();
    } catch (e) { say("saved-message", e.message); }
  }

  async function alertsSummary() {
    var found = await Promise.all([G.api("/api/v2/alerts/", {auth: true}),
      G.api("/api/v2/alerts/notifications?unread=true&limit=500", {auth: true})]);
    var active = found[0].filter(function (a) { return a.status === "active"; }).length;
    $("alerts-summary").textContent = found[0].length + " alert" + (found[0].length === 1 ? "" : "s") +
      " (" + active + " active) · " + found[1].length + (found[1].length === 500 ? "+" : "") + " unread notification" + (found[1].length === 1 ? "" : "s");
  }

  async function show() {
    var signedIn = false;
    if (G.auth()) {
      try {
        var me = await G.api("/api/v2/auth/me", {auth: true});
        $("me-email").textContent = me.email;
        mfaBox(me);
        await Promise.all([keys(), saved(), alertsSummary()]);
        signedIn = true;
      } catch (e) { G.setAuth(null); }
    }
    $("signed-in").hidden = !signedIn;
    $("signed-out").hidden = signedIn;
    $("sign-out").hidden = !signedIn;
  }

  $("register-form").addEventListener("submit", register);
  $("login-form").addEventListener("submit", login);
  $("sign-out").addEventListener("click", logout);
  $("key-form").addEventListener("submit", addKey);
  $("saved-form").addEventListener("submit", addSearch);
  show();
})();
