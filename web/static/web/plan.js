// Planner: the form (mirrored in the URL) -> POST /api/v2/math/estimate and /math/recommend.
(function () {
  "use strict";
  var G = window.GPUBroker, el = G.el;
  var form = document.getElementById("plan-form");
  var estimateBox = document.getElementById("estimate");
  var recommendBox = document.getElementById("recommend");
  var MEMORY = [["weights", "Weights", "--c1"], ["kv_cache", "KV cache", "--c2"], ["optimizer", "Optimizer", "--c3"],
                ["activations", "Activations", "--c4"], ["overhead", "Overhead", "--c5"]];

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    params.forEach(function (value, key) { if (form.elements[key]) form.elements[key].value = value; });
    return Array.from(params.keys()).length > 0;
  }
  function toUrl() {
    var params = new URLSearchParams();
    Array.from(form.elements).forEach(function (f) { if (f.name && f.value !== "") params.set(f.name, f.value); });
    history.replaceState(null, "", "?" + params.toString());
  }
  function methodVisibility() {
    document.getElementById("method-field").hidden = form.task.value !== "fine-tune";
  }

  function workload() {
    var w = {task: form.task.value, model: form.model.value, precision: form.precision.value,
             batch: Number(form.batch.value), input_tokens: Number(form.input_tokens.value),
             output_tokens: Number(form.output_tokens.value)};
    if (w.task === "fine-tune") w.method = form.method.value;
    if (form.tokens_m.value) w.tokens = Number(form.tokens_m.value) * 1e6;
    return w;
  }
  function filters() {
    var f = {};
    if (form.max_price.value) f.max_price = Number(form.max_price.value);
    if (form.spot.value) f.spot = form.spot.value === "true";
    return f;
  }

  function fact(label, value) { return [el("dt", {text: label}), el("dd", {text: value})]; }
  function rate(e) { return e.throughput_tokens_per_s || e.train_tokens_per_s || e.decode_tokens_per_s; }

  function memoryBar(e) {
    var total = Math.max(e.gpu_memory_gb * e.gpu_count, e.memory_gb.total);
    var bar = el("div", {class: "memory-bar", role: "img", "aria-label": MEMORY.map(function (m) { return m[1] + " " + G.num(e.memory_gb[m[0]]) + " GB"; }).join(", ") + " of " + G.num(e.gpu_memory_gb * e.gpu_count) + " GB"});
    var legend = el("ul", {class: "legend"});
    MEMORY.forEach(function (m) {
      var gb = e.memory_gb[m[0]] || 0;
      if (gb <= 0) return;
      var seg = el("span", {title: m[1] + ": " + G.num(gb) + " GB"});
      seg.style.width = (gb / total * 100).toFixed(2) + "%";
      seg.style.background = "var(" + m[2] + ")";
      bar.append(seg);
      var sw = el("span", {class: "swatch", "aria-hidden": "true"}); sw.style.background = "var(" + m[2] + ")";
      legend.append(el("li", {}, [sw, m[1] + " " + G.num(gb) + " GB"]));
    });
    return [bar, legend];
  }

  function showEstimate(e) {
    estimateBox.textContent = "";
    var verdict = e.fits ? "Fits on " + e.gpu_count + " × " + e.gpu
      : "Does not fit on " + e.gpu_count + " × " + e.gpu + (e.min_gpus ? ": needs " + e.min_gpus + " GPUs" : "");
    estimateBox.append(el("p", {class: "verdict " + (e.fits ? "yes" : "no"), text: verdict}));
    estimateBox.append(el("p", {class: "muted", text: G.num(e.memory_gb.total) + " GB needed (" + G.num(e.memory_per_gpu_gb) + " GB per GPU) of " + G.num(e.gpu_memory_gb) + " GB per GPU"}));
    memoryBar(e).forEach(function (n) { estimateBox.append(n); });
    var dl = el("dl", {class: "facts"});
    var speed = rate(e);
    [["Model", e.model + " · " + G.num(e.params_b) + " B · " + e.precision],
     ["Throughput", speed ? G.num(speed, 0) + " tokens/s" : "–"],
     ["Decode", e.decode_tokens_per_s ? G.num(e.decode_tokens_per_s, 0) + " tokens/s per sequence" : "–"],
     ["Time to finish", e.time_hours !== null && e.time_hours !== undefined ? G.num(e.time_hours, 1) + " h" : "–"]]
      .forEach(function (pair) { fact(pair[0], pair[1]).forEach(function (n) { dl.append(n); }); });
    estimateBox.append(dl);
    var details = el("details", {}, [el("summary", {text: "Assumptions"}), el("ul", {class: "hint"}, (e.assumptions || []).map(function (a) { return el("li", {text: a}); }))]);
    estimateBox.append(details);
  }

  function showRecommend(r) {
    recommendBox.textContent = "";
    var skipped = r.skipped || {};
    recommendBox.append(el("p", {class: "muted", text: r.fitting + " offers hold it" +
      (skipped.does_not_fit ? " · " + skipped.does_not_fit + " too small" : "") +
      (skipped.unknown_gpu_or_figures ? " · " + skipped.unknown_gpu_or_figures + " without datasheet figures" : "")}));
    (r.notes || []).forEach(function (n) { recommendBox.append(el("p", {class: "hint", text: n})); });
    if (!r.items.length) return;
    var rows = r.items.map(function (item, i) {
      var o = item.offer, e = item.estimate;
      return el("tr", {"data-offer-id": o.id}, [
        el("td", {class: "num", text: i + 1}),
        el("td", {}, [el("div", {class: "offer-cell"}, [
          o.gpu_name ? el("a", {href: "/gpu/" + encodeURIComponent(o.gpu_name), text: o.gpu_name + " × " + G.num(o.gpu_count)}) : o.gpu_raw_name,
          el("small", {text: o.provider + " · " + o.instance_type + " · " + o.region + (o.spot ? " · spot" : "")})])]),
        el("td", {class: "num", text: G.usd(o.price_per_hour)}),
        el("td", {class: "num", text: G.num(e.tokens_per_s, 0)}),
        el("td", {class: "num", text: G.usd(e.usd_per_million_tokens)}),
        el("td", {class: "num", text: e.usd_to_finish !== null && e.usd_to_finish !== undefined ? G.usd(e.usd_to_finish) : "–"}),
        el("td", {class: "num score", text: Number(item.score).toFixed(3)})]);
    });
    var head = ["#", "Offer", "$ / hour", "tokens/s", "$ / M tokens", "Cost to finish", "Score"].map(function (h, i) {
      return el("th", {scope: "col", class: i === 1 ? "" : "num", text: h});
    });
    recommendBox.append(el("div", {class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "rec-title"}, [el("table", {class: "plain", id: "recommendations"}, [el("thead", {}, [el("tr", {}, head)]), el("tbody", {}, rows)])]));
  }

  async function plan() {
    toUrl();
    var w = workload();
    estimateBox.textContent = "Estimating…";
    recommendBox.textContent = "Ranking offers…";
    var estimate = Object.assign({gpu: form.gpu.value, gpu_count: Number(form.gpu_count.value)}, w);
    try { showEstimate(await G.api("/api/v2/math/estimate", {method: "POST", body: estimate})); }
    catch (e) { estimateBox.textContent = ""; estimateBox.append(el("p", {class: "notice error", role: "alert", text: "Cannot estimate: " + e.message})); }
    try { showRecommend(await G.api("/api/v2/math/recommend", {method: "POST", body: {workload: w, filters: filters(), limit: 10}})); }
    catch (e) { recommendBox.textContent = ""; recommendBox.append(el("p", {class: "notice error", role: "alert", text: "Cannot recommend: " + e.message})); }
  }

  // Plain language through the assistant: its parse fills the form, the person checks it.
  function choose(select, value) {
    if (value === null || value === undefined) return false;
    var wanted = String(value).toLowerCase();
    var option = Array.from(select.options).find(function (o) { return o.value.toLowerCase() === wanted; });
    if (option) select.value = option.value;
    return Boolean(option);
  }
  function set(input, value) { if (value !== null && value !== undefined) input.value = value; }

  async function ask(event) {
    event.preventDefault();
    var out = document.getElementById("ask-result");
    out.textContent = "Reading…";
    try {
      var parsed = await G.api("/api/v2/ai/parse-workload", {method: "POST", body: {text: event.target.text.value}});
      var w = parsed.workload, f = parsed.filters, filled = [];
      if (choose(form.task, w.task)) filled.push("task");
      if (choose(form.model, w.model)) filled.push("model");
      if (choose(form.precision, w.precision)) filled.push("precision");
      if (choose(form.method, w.method)) filled.push("method");
      set(form.input_tokens, w.input_tokens); set(form.output_tokens, w.output_tokens);
      if (w.tokens) { form.tokens_m.value = w.tokens / 1e6; filled.push("tokens"); }
      if (f.gpu && f.gpu.length && choose(form.gpu, f.gpu[0])) filled.push("GPU");
      set(form.gpu_count, f.gpu_count);
      if (f.max_price_per_hour) { form.max_price.value = f.max_price_per_hour; filled.push("price"); }
      if (f.spot !== null && f.spot !== undefined) form.spot.value = f.spot ? "true" : "false";
      methodVisibility();
      out.textContent = "Filled: " + (filled.join(", ") || "nothing the form has") +
        " (read " + Math.round(parsed.confidence * 100) + "% of it" +
        (parsed.unparsed.length ? "; not understood: " + parsed.unparsed.join(", ") : "") + ").";
      plan();
    } catch (e) { out.textContent = "The assistant could not read it: " + e.message; }
  }
  document.getElementById("ask-form").addEventListener("submit", ask);

  form.addEventListener("submit", function (event) { event.preventDefault(); plan(); });
  form.task.addEventListener("change", methodVisibility);
  var given = fromUrl();
  methodVisibility();
  if (given) plan();
})();
