// The service dashboard's charts: the rows of the tables beside them, drawn with Chart.js.
(() => {
  "use strict";
  function draw() {
    const source = document.getElementById("dashboard-data");
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const days = document.getElementById("days-chart");
    if (days) {
      new Chart(days, {
        type: "line",
        data: {
          labels: data.days.labels,
          datasets: [
            { label: data.labels.created, data: data.days.created, borderColor: "rgba(13, 110, 253, 0.9)", backgroundColor: "rgba(13, 110, 253, 0.2)", tension: 0.2 },
            { label: data.labels.resolved, data: data.days.resolved, borderColor: "rgba(25, 135, 84, 0.9)", backgroundColor: "rgba(25, 135, 84, 0.2)", tension: 0.2 },
          ],
        },
        options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
