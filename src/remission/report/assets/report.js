(function () {
  "use strict";
  var figs = JSON.parse(document.getElementById("remission-figures").textContent);
  var config = {displaylogo: false, responsive: true,
                modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
                toImageButtonOptions: {format: "svg", scale: 1}};
  var drawn = [];
  Object.keys(figs).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el || typeof Plotly === "undefined") { return; }
    // a fixed height keeps each figure's proportions when the page is resized or printed
    if (figs[id].layout && figs[id].layout.height) {
      el.style.height = figs[id].layout.height + "px";
    }
    Plotly.newPlot(el, figs[id].data, figs[id].layout, config);
    drawn.push(el);
  });
  function resizeAll() { drawn.forEach(function (el) { Plotly.Plots.resize(el); }); }
  if (window.matchMedia) {
    window.matchMedia("print").addListener(function () { resizeAll(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  document.body.setAttribute("data-plots-ready", String(drawn.length));
})();
