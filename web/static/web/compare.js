// Compare page: weights from sliders -> POST /api/v2/math/topsis -> ranking with contribution bars.
(function () {
  "use strict";
  var G = window.GPUBroker;
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var criteria = data.criteria.map(function (c, i) { return Object.assign({colour: "var(--c" + (i + 1) + ")", index: i}, c); });
  var summary = document.getElementById("rank-summary");
  var body = document.querySelector("#ranking tbody");
  var notes = document.getElementById("rank-notes");
  var sequence = 0, timer = null;

  function weights() {
    var w = {};
    document.querySelectorAll("#weights input[type=range]").forEach(function (input) {
      w[input.dataset.key] = Number(input.value);
      document.getElementById("o-" + input.dataset.key).textContent = input.value;
    });
    return w;
  }

  function label(o) { return (o.gpu_name || o.gpu_raw_name) + " × " + G.num(o.gpu_count); }

  // Which criteria and offers can be ranked: weight > 0, a value for every kept offer, not constant.
  function problem(w) {
    var active = criteria.filter(function (c) { return w[c.key] > 0; });
    var left = [];
    var rows = data.offers.filter(function (o) {
      var missing = active.filter(function (c) { return o.values[c.key] === null || o.values[c.key] === undefined; });
      if (missing.length) left.push(label(o) + " at " + o.provider + " (no " + missing.map(function (c) { return c.label; }).join(", ") + ")");
      return !missing.length;
    });
    var dropped = [];
    active = active.filter(function (c) {
      var values = rows.map(function (o) { return o.values[c.key]; });
      var varies = values.some(function (v) { return v !== values[0]; });
      if (!varies) dropped.push(c.label);
      return varies;
    });
    return {criteria: active, rows: rows, left: left, dropped: dropped};
  }

  function bars(contributions, active, scale) {
    var neg = G.el("span", {class: "neg"}), pos = G.el("span", {class: "pos"});
    active.forEach(function (c, j) {
      var v = contributions[j];
      if (!v) return;
      var seg = G.el("span", {class: "seg", title: c.label + ": " + (v > 0 ? "+" : "") + v.toFixed(3)});
      seg.style.width = (Math.abs(v) / scale * 100).toFixed(2) + "%";
      seg.style.background = c.colour;
      (v > 0 ? pos : neg).append(seg);
    });
    var reversed = Array.from(neg.children).reverse();
    neg.textContent = ""; reversed.forEach(function (s) { neg.append(s); });
    var desc = active.map(function (c, j) { return c.label + " " + (contributions[j] >= 0 ? "+" : "") + contributions[j].toFixed(2); }).join(", ");
    return G.el("div", {class: "bars", role: "img", "aria-label": desc}, [neg, pos]);
  }

  function legend(active) {
    var list = document.getElementById("rank-legend");
    list.textContent = "";
    active.forEach(function (c) {
      var swatch = G.el("span", {class: "swatch", "aria-hidden": "true"});
      swatch.style.background = c.colour;
      list.append(G.el("li", {}, [swatch, c.label]));
    });
  }

  function render(p, result) {
    var scale = 1e-9;
    result.contributions.forEach(function (row) {
      var up = 0, down = 0;
      row.forEach(function (v) { if (v > 0) up += v; else down -= v; });
      scale = Math.max(scale, up, down);
    });
    body.textContent = "";
    result.rankings.forEach(function (i, place) {
      var o = p.rows[i];
      var offer = G.el("div", {class: "offer-cell"}, [
        o.gpu_name ? G.el("a", {href: "/gpu/" + encodeURIComponent(o.gpu_name), text: label(o)}) : label(o),
        G.el("small", {text: o.provider + " · " + o.instance_type + " · " + o.region + (o.spot ? " · spot" : "")})]);
      body.append(G.el("tr", {class: place === 0 ? "best" : "", "data-offer-id": o.id}, [
        G.el("td", {class: "num", text: place + 1}), G.el("td", {}, [offer]),
        G.el("td", {class: "num score", text: result.scores[i].toFixed(3)}),
        G.el("td", {}, [bars(result.contributions[i], p.criteria, scale)]),
        G.el("td", {class: "num", text: G.usd(o.values.price_per_gpu_hour)}),
        G.el("td", {class: "num", text: o.values.total_gpu_memory_gb ? G.num(o.values.total_gpu_memory_gb) + " GB" : "–"})]));
    });
    var best = p.rows[result.rankings[0]];
    summary.textContent = "Ranked " + p.rows.length + " offers on " + p.criteria.length + " criteria. Best: " + label(best) + " at " + best.provider + ".";
  }

  function note(lines) {
    notes.textContent = "";
    lines.forEach(function (line) { notes.append(G.el("li", {text: line})); });
  }

  async function rank() {
    var w = weights();
    var p = problem(w);
    legend(p.criteria);
    var lines = [];
    if (p.dropped.length) lines.push("Same for every offer, so left out: " + p.dropped.join(", ") + ".");
    if (p.left.length) lines.push(p.left.length + " offer(s) left out for missing figures: " + p.left.slice(0, 5).join("; ") + (p.left.length > 5 ? " …" : ""));
    note(lines);
    if (p.rows.length < 2 || !p.criteria.length) {
      body.textContent = "";
      summary.textContent = p.rows.length < 2 ? "Needs at least two offers with the chosen figures."
        : p.dropped.length ? "These offers are the same on every weighted criterion: nothing tells them apart."
        : "Give at least one criterion a weight.";
      return;
    }
    var mine = ++sequence;
    summary.textContent = "Ranking…";
    try {
      var result = await G.api("/api/v2/math/topsis", {method: "POST", body: {
        decision_matrix: p.rows.map(function (o) { return p.criteria.map(function (c) { return o.values[c.key]; }); }),
        weights: p.criteria.map(function (c) { return w[c.key]; }),
        criteria_types: p.criteria.map(function (c) { return c.type; }),
        criteria_names: p.criteria.map(function (c) { return c.label; })}});
      if (mine === sequence) render(p, result);
    } catch (e) {
      if (mine === sequence) summary.textContent = "Could not rank: " + e.message;
    }
  }

  document.getElementById("weights").addEventListener("input", function (event) {
    var key = event.target.dataset.key;
    if (key) document.getElementById("o-" + key).textContent = event.target.value;
    clearTimeout(timer);
    timer = setTimeout(rank, 120);
  });
  rank();
})();
