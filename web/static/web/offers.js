// Offers page: clean filter URLs, compare selection, live prices over /ws/offers/.
(function () {
  "use strict";
  var G = window.GPUBroker;
  var filters = JSON.parse(document.getElementById("offer-filters").textContent);

  // Only the filters a person set go into the URL: /?gpu=H100&max_price=3
  var form = document.getElementById("filters");
  form.addEventListener("submit", function () {
    form.querySelectorAll("input, select").forEach(function (field) {
      if (field.name && !field.value.trim()) field.disabled = true;
    });
  });
  window.addEventListener("pageshow", function () {
    form.querySelectorAll("[disabled]").forEach(function (field) { field.disabled = false; });
  });

  var compareButton = document.getElementById("compare-selected");
  if (compareButton) {
    document.addEventListener("change", function (event) {
      if (!event.target.matches('input[form="compare-form"]')) return;
      var n = document.querySelectorAll('input[form="compare-form"]:checked').length;
      compareButton.disabled = n < 2;
      compareButton.textContent = n ? "Compare " + n + " selected" : "Compare selected";
    });
  }

  var save = document.getElementById("save-search");
  if (G.auth() && save) {
    save.hidden = false;
    save.addEventListener("click", async function () {
      var name = window.prompt("Name this search");
      if (!name) return;
      var body = {name: name, q: filters.q || "", filters: {}};
      Object.keys(filters).forEach(function (k) { if (k !== "q") body.filters[k] = filters[k]; });
      try {
        await G.api("/api/v2/auth/saved-searches", {method: "POST", body: body, auth: true});
        save.textContent = "Saved ✓";
      } catch (e) { save.textContent = "Not saved: " + e.message; }
    });
  }

  // --- live prices -------------------------------------------------------------------
  var status = document.getElementById("live-status");
  var statusText = status.querySelector(".live-text");
  var banner = document.getElementById("live-banner");
  var counts = {changed: 0, added: 0, removed: 0, elsewhere: 0};
  var retryMs = 1000;

  function setStatus(state, text) {
    status.setAttribute("data-state", state);
    statusText.textContent = text;
  }

  function showBanner() {
    if (!banner) return;
    var parts = [];
    if (counts.changed) parts.push(counts.changed + " price" + (counts.changed > 1 ? "s" : "") + " changed");
    if (counts.added) parts.push(counts.added + " new");
    if (counts.removed) parts.push(counts.removed + " removed");
    if (counts.elsewhere) parts.push(counts.elsewhere + " on other pages");
    banner.textContent = parts.join(" · ") + " since you opened this page. ";
    banner.append(G.el("a", {href: window.location.href, text: "Reload"}));
    banner.hidden = false;
  }

  function updateCell(row, field, value, old) {
    var cell = row.querySelector('td[data-field="' + field + '"]');
    if (!cell || value === null || value === undefined) return;
    var before = old === undefined ? Number(cell.getAttribute("data-value")) : old;
    cell.setAttribute("data-value", value);
    cell.textContent = G.usd(value);
    if (before === value) return;
    var up = value > before;
    cell.classList.remove("changed-up", "changed-down");
    void cell.offsetWidth;  // restart the highlight
    cell.classList.add(up ? "changed-up" : "changed-down");
    cell.append(G.el("span", {class: "delta", text: (up ? "▲ " : "▼ ") + G.usd(Math.abs(value - before))}));
    cell.title = "was " + G.usd(before) + ", now " + G.usd(value);
  }

  function apply(delta) {
    if (delta.kind !== "changed") { counts[delta.kind] += 1; return; }
    var row = document.querySelector('tr[data-offer-id="' + delta.offer_id + '"]');
    if (!row) { counts.elsewhere += 1; return; }
    counts.changed += 1;
    row.classList.add("repriced");
    updateCell(row, "price_per_hour", delta.new_price_per_hour, delta.old_price_per_hour);
    updateCell(row, "price_per_gpu_hour", delta.price_per_gpu_hour);
    var time = row.querySelector("time[data-ago]");
    if (time) { time.setAttribute("datetime", new Date().toISOString()); time.textContent = "just now"; }
  }

  function subscription() {
    var wanted = {};
    Object.keys(filters).forEach(function (k) { wanted[k] = filters[k]; });
    return {subscribe: wanted};
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/offers/");
    socket.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "hello") socket.send(JSON.stringify(subscription()));
      else if (message.type === "subscribed") { retryMs = 1000; setStatus("open", "Live · prices update as syncs land"); }
      else if (message.type === "error") setStatus("closed", "Live prices unavailable: " + message.detail);
      else if (message.type === "offers.delta") { message.deltas.forEach(apply); showBanner(); }
    });
    socket.addEventListener("close", function () {
      setStatus("closed", "Live prices disconnected, retrying…");
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    });
  }
  if ("WebSocket" in window) connect();
  else setStatus("closed", "Live prices need WebSocket support");
})();
