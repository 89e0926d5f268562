// Runs in <head> before the page paints: apply the saved theme, else the system's.
(function () {
  var saved = null;
  try { saved = localStorage.getItem("gpubroker-theme"); } catch (e) { /* storage off */ }
  var dark = saved ? saved === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
})();
