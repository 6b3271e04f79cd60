// The sales dashboard's charts: the rows of the tables beside them, drawn with Chart.js.
(() => {
  "use strict";
  function draw() {
    const source = document.getElementById("dashboard-data");
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const lang = document.documentElement.lang || "nb";
    const money = new Intl.NumberFormat(lang, { style: "currency", currency: "NOK", maximumFractionDigits: 0 });
    const light = "rgba(13, 110, 253, 0.35)";
    const strong = "rgba(25, 135, 84, 0.8)";
    const options = (horizontal) => ({
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { callback: (v) => money.format(v) } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${money.format(horizontal ? c.parsed.x : c.parsed.y)}` } } },
    });
    const bar = (id, labels, datasets, horizontal) => {
      const canvas = document.getElementById(id);
      if (canvas) new Chart(canvas, { type: "bar", data: { labels, datasets }, options: options(horizontal) });
    };
    const pair = (series) => [
      { label: data.labels.value, data: series.value, backgroundColor: light },
      { label: data.labels.weighted, data: series.weighted, backgroundColor: strong },
    ];
    bar("pipeline-chart", data.pipeline.labels, pair(data.pipeline), false);
    bar("forecast-chart", data.forecast.labels, pair(data.forecast), false);
    bar("customers-chart", data.customers.labels, [{ label: data.labels.orders, data: data.customers.value, backgroundColor: strong }], true);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
