// Alerts page over /api/v2/alerts: create, pause/resume, delete alerts; list notifications,
// mark them read; new ones arrive over /ws/notifications/ (app.js's GPUBroker.notifications,
// the socket every page shares) and are added at the top without a reload.
(function () {
  "use strict";
  var G = window.GPUBroker, el = G.el;
  var FILTERS = ["gpu", "provider", "continent", "country", "region", "min_gpu_count", "min_gpu_memory_gb", "spot", "q"];
  var NUMBERS = {min_gpu_count: true, min_gpu_memory_gb: true};
  var notes = [];
  var signedIn = false;
  G.unreadOwn();  // this page counts the unread ones from its own list

  function $(id) { return document.getElementById(id); }
  function say(text, ok) { var p = $("alert-message"); p.textContent = text || ""; p.className = "form-message span-all" + (text ? (ok ? " notice ok" : " notice error") : ""); }

  // --- alerts ------------------------------------------------------------------------
  function formBody(form) {
    var filters = {};
    FILTERS.forEach(function (name) {
      var value = form[name].value.trim();
      if (!value) return;
      filters[name] = name === "spot" ? value === "true" : NUMBERS[name] ? Number(value) : value;
    });
    var body = {name: form.name.value.trim(), filters: filters};
    ["max_price_per_hour", "max_price_per_gpu_hour"].forEach(function (name) {
      if (form[name].value.trim()) body[name] = Number(form[name].value);
    });
    return body;
  }

  async function create(event) {
    event.preventDefault();
    var form = event.target, body = formBody(form);
    if (body.max_price_per_hour === undefined && body.max_price_per_gpu_hour === undefined) {
      say("Set a price limit: Max $ / h, Max $ / GPU-h, or both.");
      form.max_price_per_hour.focus();
      return;
    }
    try {
      var alert = await G.api("/api/v2/alerts/", {method: "POST", body: body, auth: true});
      say("Alert “" + alert.name + "” created. " + meetingText(alert.offers_meeting) + " now; it fires when an offer newly crosses the limit.", true);
      form.reset();
      await loadAlerts();
    } catch (e) { say(e.message); }
  }

  function meetingText(n) { return n === 1 ? "1 offer meets it" : n + " offers meet it"; }

  function offersHref(alert) {
    var params = new URLSearchParams();
    Object.keys(alert.filters || {}).forEach(function (k) {
      var v = alert.filters[k];
      (Array.isArray(v) ? v : [v]).forEach(function (item) { params.append(k, String(item)); });
    });
    if (alert.max_price_per_hour !== null) params.set("max_price", alert.max_price_per_hour);
    if (alert.max_price_per_gpu_hour !== null) params.set("max_price_per_gpu", alert.max_price_per_gpu_hour);
    return "/?" + params.toString();
  }

  function watches(alert) {
    var labels = Object.keys(alert.filters || {}).map(function (k) {
      var v = alert.filters[k];
      return k === "q" ? String(v) : k + "=" + (Array.isArray(v) ? v.join(",") : String(v));
    });
    if (!labels.length) labels = ["any offer"];
    return el("td", {class: "wrap"}, [el("a", {href: offersHref(alert), title: "Offers that meet it now"},
      labels.map(function (l) { return el("code", {class: "tag", text: l}); }))]);
  }

  function limit(alert) {
    var parts = [];
    if (alert.max_price_per_hour !== null) parts.push("≤ " + G.usd(alert.max_price_per_hour) + " / h");
    if (alert.max_price_per_gpu_hour !== null) parts.push("≤ " + G.usd(alert.max_price_per_gpu_hour) + " / GPU-h");
    return parts.join(", ");
  }

  function fired(alert) {
    if (!alert.fired_count) return el("td", {class: "muted", text: "not yet"});
    return el("td", {}, [alert.fired_count + "× · last ",
      el("time", {datetime: alert.last_fired_at, "data-ago": "", text: G.ago(alert.last_fired_at)})]);
  }

  function action(label, aria, run) {
    var button = el("button", {class: "btn small", type: "button", text: label, "aria-label": aria});
    button.addEventListener("click", async function () {
      button.disabled = true;
      try { await run(); } catch (e) { say(e.message); button.disabled = false; }
    });
    return button;
  }

  function focus(selector) { var target = document.querySelector(selector); if (target) target.focus(); }

  function alertRow(alert) {
    var paused = alert.status === "paused";
    var toggle = action(paused ? "Resume" : "Pause", (paused ? "Resume" : "Pause") + " alert " + alert.name, async function () {
      await G.api("/api/v2/alerts/" + alert.id + (paused ? "/resume" : "/pause"), {method: "POST", auth: true});
      await loadAlerts();
      focus('tr[data-alert-id="' + alert.id + '"] button');  // the row was redrawn: keep the keyboard there
    });
    var remove = action("Delete", "Delete alert " + alert.name, async function () {
      await G.api("/api/v2/alerts/" + alert.id, {method: "DELETE", auth: true});
      say("Alert “" + alert.name + "” deleted.", true);
      await loadAlerts();
      focus("#list-title");
    });
    return el("tr", {"data-alert-id": alert.id}, [
      el("th", {scope: "row", text: alert.name}), watches(alert), el("td", {text: limit(alert)}),
      el("td", {}, [el("span", {class: "badge " + (paused ? "spot" : "ok"), text: alert.status})]),
      el("td", {class: "num", text: G.num(alert.offers_meeting, 0)}), fired(alert),
      el("td", {class: "actions-cell"}, [el("div", {class: "actions"}, [toggle, remove])])]);
  }

  async function loadAlerts() {
    var alerts = await G.api("/api/v2/alerts/", {auth: true});
    var body = $("alerts-table").tBodies[0];
    body.textContent = "";
    alerts.forEach(function (a) { body.append(alertRow(a)); });
    $("alerts-empty").hidden = alerts.length > 0;
    $("alerts-wrap").hidden = alerts.length === 0;
  }

  // --- notifications -----------------------------------------------------------------
  function offerLine(offer) {
    var gpu = offer.gpu_name || offer.gpu_raw_name || "GPU";
    var price = offer.kind === "changed"
      ? [el("s", {text: G.usd(offer.old_price_per_hour)}), " → ", el("strong", {text: G.usd(offer.new_price_per_hour)})]
      : [el("strong", {text: G.usd(offer.new_price_per_hour)}), " ", el("span", {class: "badge ok", text: "new offer"})];
    return el("li", {"data-offer-id": offer.offer_id}, [
      el("span", {}, [offer.gpu_name ? el("a", {href: "/gpu/" + encodeURIComponent(offer.gpu_name), text: gpu}) : gpu,
        (offer.gpu_count > 1 ? " ×" + offer.gpu_count : ""), " · ", el("span", {class: "provider", text: offer.provider}), " · ",
        el("span", {class: "mono", text: offer.instance_type}), " · " + offer.region,
        offer.spot ? el("span", {class: "badge spot", text: "spot"}) : null]),
      el("span", {class: "num"}, price.concat([" / h · " + G.usd(offer.price_per_gpu_hour) + " / GPU-h"]))]);
  }

  function noteItem(note) {
    var unread = !note.read_at;
    var count = note.offers.length;
    var head = el("div", {class: "note-head"}, [
      el("span", {}, [unread ? el("span", {class: "unread-dot", title: "unread"}, [el("span", {class: "visually-hidden", text: "Unread: "})]) : null,
        el("strong", {text: note.alert_name}), " · " + (count === 1 ? "1 offer" : count + " offers") + " under your limit"]),
      el("time", {datetime: note.created_at, "data-ago": "", text: G.ago(note.created_at)})]);
    var item = el("li", {class: "notification" + (unread ? " unread" : "") + (note.fresh ? " fresh" : ""), "data-notification-id": note.id, tabindex: "-1"}, [head,
      el("ul", {class: "note-offers"}, note.offers.map(offerLine))]);
    if (unread) {
      item.append(el("div", {class: "actions"}, [action("Mark read", "Mark read: " + note.alert_name, async function () {
        var done = await G.api("/api/v2/alerts/notifications/" + note.id + "/read", {method: "POST", auth: true});
        note.read_at = done.read_at; note.fresh = false;
        renderNotes();
        focus('#notes-list li[data-notification-id="' + note.id + '"]');
      })]));
    }
    return item;
  }

  function renderNotes() {
    var list = $("notes-list");
    list.textContent = "";
    notes.forEach(function (n) { list.append(noteItem(n)); });
    var unread = notes.filter(function (n) { return !n.read_at; }).length;
    $("unread-count").textContent = unread ? unread + " unread" : "";
    G.unreadBadge(unread);
    $("read-all").disabled = unread === 0;
    $("notes-empty").hidden = notes.length > 0;
  }

  async function loadNotes() {
    notes = await G.api("/api/v2/alerts/notifications?limit=50", {auth: true});
    renderNotes();
  }

  async function readAll() {
    try {
      await G.api("/api/v2/alerts/notifications/read", {method: "POST", auth: true});
      await loadNotes();
      focus("#notes-title");
    } catch (e) { say(e.message); }
  }

  function arrived(frame) {
    if (notes.some(function (n) { return n.id === frame.notification_id; })) return;
    notes.unshift({id: frame.notification_id, alert_id: frame.alert.id, alert_name: frame.alert.name,
      offers: frame.offers, created_at: new Date().toISOString(), read_at: null, fresh: true});
    renderNotes();
    var count = frame.offers.length;
    $("notes-announce").textContent = "New notification: " + frame.alert.name + ", " + (count === 1 ? "1 offer" : count + " offers") + " under your limit.";
    loadAlerts().catch(function () { /* the list refreshes on the next load */ });
  }

  // --- live: /ws/notifications/ ------------------------------------------------------
  function setStatus(state, text) {
    var status = $("live-status");
    status.hidden = false;
    status.setAttribute("data-state", state);
    status.querySelector(".live-text").textContent = text;
  }

  function heard(event) {
    if (event.type === "open") setStatus("open", "Live · notifications arrive as syncs land");
    else if (event.type === "alert") arrived(event.frame);
    else if (event.type === "error") setStatus("closed", "Live notifications: " + event.detail);
    else if (event.type === "closed") setStatus("closed", "Live notifications disconnected, retrying…");
    else if (event.type === "signed-out" && signedIn) show();
  }

  async function show() {
    signedIn = false;
    if (G.auth()) {
      try {
        await Promise.all([loadAlerts(), loadNotes()]);
        signedIn = true;
      } catch (e) { if (e.status === 401) G.setAuth(null); }
    }
    $("sign-in-link").href = "/account?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    $("alerts-signed-in").hidden = !signedIn;
    $("alerts-signed-out").hidden = signedIn;
    if (!signedIn) { $("live-status").hidden = true; G.notifications.stop(); return; }
    G.notifications.start();
  }

  G.notifications.listen(heard);
  $("alert-form").addEventListener("submit", create);
  $("read-all").addEventListener("click", readAll);
  show();
})();
