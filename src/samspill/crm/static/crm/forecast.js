// The forecast chart: the rows of the table beside it, drawn with Chart.js.
(() => {
  "use strict";
  function draw() {
    const data = document.getElementById("forecast-data");
    const canvas = document.getElementById("forecast-chart");
    if (!data || !canvas || typeof Chart === "undefined") return;
    const chart = JSON.parse(data.textContent);
    const lang = document.documentElement.lang || "nb";
    const money = new Intl.NumberFormat(lang, { style: "currency", currency: "NOK", maximumFractionDigits: 0 });
    chart.datasets[0].backgroundColor = "rgba(13, 110, 253, 0.35)";
    chart.datasets[1].backgroundColor = "rgba(25, 135, 84, 0.8)";
    new Chart(canvas, {
      type: "bar",
      data: chart,
      options: {
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => money.format(v) } } },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${money.format(c.parsed.y)}` } } },
      },
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
