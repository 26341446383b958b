/* Draws every chart described by a <script type="application/json" class="chart-data"> block. */
(function () {
  "use strict";
  var palette = ["#0b5cad", "#a61b1b", "#1a7f37", "#9a6700", "#6f42c1", "#0f766e", "#57606a"];
  function draw(block) {
    var spec = JSON.parse(block.textContent);
    var canvas = document.getElementById(block.dataset.canvas);
    if (!canvas || typeof Chart === "undefined") { return; }
    var datasets = spec.series.map(function (s, i) {
      var colour = palette[i % palette.length];
      return {
        label: s.label, data: s.data, backgroundColor: colour, borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 0, spanGaps: true, pointRadius: 2, tension: 0.2
      };
    });
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12, font: { size: 13 } } } },
        scales: {
          x: { stacked: !!spec.stacked, ticks: { font: { size: 12 }, maxRotation: 60, autoSkip: true } },
          y: {
            stacked: !!spec.stacked, beginAtZero: true, ticks: { font: { size: 12 }, precision: 0 },
            max: spec.percent ? 100 : undefined
          }
        }
      }
    });
  }
  document.querySelectorAll("script.chart-data").forEach(draw);
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
