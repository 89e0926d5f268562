// Shared by every page: theme switch, "3 min ago" clocks, API calls, number formats, the
// signed-in person's notifications socket and the live unread count in the navigation.
(function () {
  "use strict";
  var root = document.documentElement;
  var AUTH_KEY = "gpubroker-auth";

  function setTheme(theme) {
    root.setAttribute("data-theme", theme);
    try { localStorage.setItem("gpubroker-theme", theme); } catch (e) { /* storage off */ }
    syncToggle();
  }
  function syncToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    var dark = root.getAttribute("data-theme") === "dark";
    button.setAttribute("aria-pressed", dark ? "true" : "false");
    button.title = dark ? "Dark theme on" : "Dark theme off";
  }

  function ago(iso, now) {
    if (!iso) return "never";
    var seconds = Math.max(0, Math.floor(((now || Date.now()) - Date.parse(iso)) / 1000));
    if (seconds < 60) return "just now";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
    if (seconds < 86400) return Math.floor(seconds / 3600) + " h ago";
    return Math.floor(seconds / 86400) + " d ago";
  }
  function refreshClocks() {
    var now = Date.now();
    document.querySelectorAll("time[data-ago]").forEach(function (el) {
      var iso = el.getAttribute("datetime");
      if (iso) el.textContent = ago(iso, now);
    });
  }

  function usd(value) {
    if (value === null || value === undefined || isNaN(value)) return "–";
    var n = Number(value), a = Math.abs(n);
    var digits = a >= 1 ? 2 : a >= 0.1 ? 3 : 4;
    return "$" + n.toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }
  function num(value, digits) {
    if (value === null || value === undefined || isNaN(value)) return "–";
    return Number(value).toLocaleString("en-US", {maximumFractionDigits: digits === undefined ? 1 : digits});
  }

  function auth() {
    try { return JSON.parse(sessionStorage.getItem(AUTH_KEY) || "null"); } catch (e) { return null; }
  }
  function setAuth(pair) {
    var before = auth();
    if (pair) sessionStorage.setItem(AUTH_KEY, JSON.stringify(pair));
    else sessionStorage.removeItem(AUTH_KEY);
    if (!pair && before) signedOut();
    else if (pair && !before && ready) unreadLive();  // signed in on this page (the account page)
  }

  class ApiError extends Error {
    constructor(status, body) {
      var detail = body && body.detail;
      if (Array.isArray(detail)) detail = detail.map(function (d) { return (d.loc || []).slice(1).join(".") + ": " + d.msg; }).join("; ");
      super(detail || ("HTTP " + status));
      this.status = status; this.code = body && body.code; this.body = body;
    }
  }

  async function request(path, options) {
    var opts = options || {};
    var headers = {"Accept": "application/json"};
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    var pair = auth();
    if (opts.auth && pair) headers["Authorization"] = "Bearer " + pair.access_token;
    var response = await fetch(path, {method: opts.method || "GET", headers: headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body), credentials: "same-origin",
      cache: "no-store"});  // Back/Forward would otherwise reuse an old answer (an empty list)
    var text = await response.text();
    var body = text ? JSON.parse(text) : null;
    return {status: response.status, ok: response.ok, body: body};
  }

  // A new token pair from the refresh token; false (and signed out) when it is refused.
  // One refresh at a time: a refresh token works once (reuse revokes the whole sign-in), so
  // calls that meet an expired token together share the same renewal.
  var refreshing = null;
  function refresh() {
    if (!refreshing) refreshing = renew().finally(function () { refreshing = null; });
    return refreshing;
  }
  async function renew() {
    var pair = auth();
    if (!pair) return false;
    var renewed = await request("/api/v2/auth/refresh", {method: "POST", body: {refresh_token: pair.refresh_token}});
    setAuth(renewed.ok ? renewed.body : null);
    return renewed.ok;
  }

  async function api(path, options) {
    var opts = options || {};
    var sent = auth();
    var answer = await request(path, opts);
    if (answer.status === 401 && opts.auth && auth() && !opts.retried) {
      var now = auth();  // renewed meanwhile by another call: just try again
      if ((sent && now.access_token !== sent.access_token) || await refresh()) {
        return api(path, Object.assign({}, opts, {retried: true}));
      }
    }
    if (!answer.ok) throw new ApiError(answer.status, answer.body);
    return answer.body;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "class") node.className = attrs[key];
      else if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  // --- notifications: /ws/notifications/ ------------------------------------------------
  // One socket per page, shared by the navigation's unread count and the alerts page: the
  // access token goes as the first message (never in the URL); a 4401 renews the token and
  // reconnects, a 4403 or a refused renewal signs out, other closes retry with backoff.
  // Listeners get {type: "open"}, {type: "alert", frame}, {type: "error", detail},
  // {type: "closed"} (retrying) and {type: "signed-out"}.
  var listeners = [], socket = null, wanted = false, retryMs = 1000;
  function emit(event) { listeners.slice().forEach(function (listener) { listener(event); }); }
  var notifications = {
    listen: function (listener) { listeners.push(listener); },
    start: function () { wanted = true; if (!socket && "WebSocket" in window) connect(); },
    stop: function () { wanted = false; if (socket) socket.close(); },
  };
  function connect() {
    if (!auth() || !wanted) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    ws.addEventListener("open", function () {
      var pair = auth();
      if (pair) ws.send(JSON.stringify({authenticate: pair.access_token})); else ws.close();
    });
    ws.addEventListener("message", function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "authenticated") { retryMs = 1000; emit({type: "open"}); }
      else if (frame.type === "alert") emit({type: "alert", frame: frame});
      else if (frame.type === "error") emit({type: "error", detail: frame.detail});
    });
    ws.addEventListener("close", async function (event) {
      if (socket === ws) socket = null;
      if (!wanted || !auth()) return;
      if (event.code === 4401 && !(await refresh())) return;  // refused: setAuth(null) signed out
      if (event.code === 4403) { setAuth(null); return; }
      emit({type: "closed"});
      setTimeout(connect, event.code === 4401 ? 0 : retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    });
  }
  function signedOut() {
    notifications.stop();
    unreadBadge(0);
    emit({type: "signed-out"});
  }

  // The unread notifications count beside "Alerts" in the navigation (signed in only), live:
  // the unread ones read each time the socket (re)authenticates, plus those pushed since. A
  // page that keeps its own count (the alerts page) calls GPUBroker.unreadOwn().
  var ready = false, owned = false, counting = false, unread = new Set(), pushed = null;
  function unreadBadge(count) {
    var link = document.querySelector('.mainnav a[href="/alerts"]');
    if (!link) return;
    var badge = link.querySelector(".nav-count");
    if (!count) { if (badge) badge.remove(); return; }
    if (!badge) { badge = el("span", {class: "nav-count"}); link.append(badge); }
    badge.textContent = "";
    badge.append(String(count > 99 ? "99+" : count), el("span", {class: "visually-hidden", text: " unread notifications"}));
  }
  async function unreadRead() {
    var since = pushed = new Set();  // ids pushed while the list is on its way
    try {
      var list = await api("/api/v2/alerts/notifications?unread=true&limit=100", {auth: true});
      if (pushed !== since) return;  // a newer read is under way
      unread = new Set(list.map(function (n) { return n.id; }));
      since.forEach(function (id) { unread.add(id); });
      pushed = null;
      unreadBadge(unread.size);
    } catch (e) { /* the count is a courtesy: the page works without it */ }
  }
  function unreadHeard(event) {
    if (owned) return;
    if (event.type === "open") unreadRead();
    else if (event.type === "alert") {
      unread.add(event.frame.notification_id);
      if (pushed) pushed.add(event.frame.notification_id);
      unreadBadge(unread.size);
    } else if (event.type === "signed-out") unread = new Set();
  }
  function unreadLive() {
    if (owned || !auth()) return;
    if (!counting) { counting = true; notifications.listen(unreadHeard); }
    notifications.start();
  }

  window.GPUBroker = {unreadBadge: unreadBadge, unreadOwn: function () { owned = true; }, notifications: notifications, api: api, ApiError: ApiError, auth: auth, setAuth: setAuth, refresh: refresh, usd: usd, num: num, ago: ago, el: el};

  document.addEventListener("DOMContentLoaded", function () {
    syncToggle();
    var button = document.getElementById("theme-toggle");
    if (button) button.addEventListener("click", function () {
      setTheme(root.getAttribute("data-theme") === "dark" ? "light" : "dark");
    });
    refreshClocks();
    setInterval(refreshClocks, 30000);
    ready = true;
    unreadLive();
  });
})();
