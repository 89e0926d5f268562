// GPU page: price history chart (uPlot) and cost per million tokens at several loads.
(function () {
  "use strict";
  var G = window.GPUBroker;

  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

  function historyChart() {
    var host = document.getElementById("history-chart");
    var data = document.getElementById("history-data");
    if (!host || !data || !window.uPlot) return;
    var h = JSON.parse(data.textContent);
    var axis = {stroke: css("--muted"), grid: {stroke: css("--border")}, ticks: {stroke: css("--border")}};
    var opts = {
      width: host.clientWidth || 500, height: 240,
      series: [{}, {label: "Lowest", stroke: css("--c1"), width: 2, value: function (u, v) { return G.usd(v); }},
               {label: "Median", stroke: css("--c3"), width: 2, dash: [5, 4], value: function (u, v) { return G.usd(v); }}],
      axes: [axis, Object.assign({values: function (u, vals) { return vals.map(G.usd); }}, axis)],
    };
    host.textContent = "";
    var plot = new window.uPlot(opts, [h.t, h.min, h.median], host);
    new ResizeObserver(function () { plot.setSize({width: host.clientWidth, height: 240}); }).observe(host);
  }

  var LOADS = [1, 8, 32];

  async function costAt(batch, model, precision) {
    var price = JSON.parse(document.getElementById("cpt-price").textContent);
    var gpu = JSON.parse(document.getElementById("cpt-gpu").textContent);
    var body = {price_per_hour: price, gpu: gpu, gpu_count: 1, model: model, precision: precision, batch: batch};
    var answer = await G.api("/api/v2/math/cost-per-token", {method: "POST", body: body});
    if (!answer.fits && answer.min_gpus) {
      body.gpu_count = answer.min_gpus;
      body.price_per_hour = price * answer.min_gpus;
      answer = await G.api("/api/v2/math/cost-per-token", {method: "POST", body: body});
    }
    return {batch: batch, gpus: body.gpu_count, answer: answer};
  }

  async function costTable() {
    var form = document.getElementById("cpt-form");
    var out = document.getElementById("cpt-result");
    if (!form || !out) return;
    out.textContent = "Estimating…";
    try {
      var rows = await Promise.all(LOADS.map(function (b) { return costAt(b, form.model.value, form.precision.value); }));
      var table = G.el("table", {class: "plain"}, [
        G.el("thead", {}, [G.el("tr", {}, [G.el("th", {scope: "col", class: "num", text: "Batch"}), G.el("th", {scope: "col", class: "num", text: "GPUs"}),
          G.el("th", {scope: "col", class: "num", text: "Output tokens/s"}), G.el("th", {scope: "col", class: "num", text: "$ / M output tokens"}),
          G.el("th", {scope: "col", class: "num", text: "$ / M tokens, blended"})])]),
        G.el("tbody", {}, rows.map(function (r) {
          var a = r.answer, cost = a.usd_per_million_tokens || {}, speed = a.throughput || {};
          return G.el("tr", {}, [G.el("td", {class: "num", text: r.batch}), G.el("td", {class: "num", text: r.gpus}),
            G.el("td", {class: "num", text: G.num(speed.decode_tokens_per_s, 0)}), G.el("td", {class: "num", text: G.usd(cost.decode)}),
            G.el("td", {class: "num", text: G.usd(cost.blended)})]);
        }))]);
      out.textContent = "";
      out.append(G.el("div", {class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "cpt-title"}, [table]));
    } catch (e) {
      out.textContent = "Could not estimate: " + e.message;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    historyChart();
    var form = document.getElementById("cpt-form");
    if (form) { form.addEventListener("change", costTable); form.addEventListener("submit", function (e) { e.preventDefault(); }); costTable(); }
  });
})();
