/* Draws every chart described by a <script type="application/json" class="chart-data"> block. */
(function () {
  "use strict";
  var palette = ["#0b5cad", "#a61b1b", "#1a7f37", "#9a6700", "#6f42c1", "#0f766e", "#57606a"];
  // Lines that lie on top of each other (two rates at 100%) stay apart by their dash and point shape.
  var dashes = [[], [8, 4], [2, 3], [12, 3, 2, 3]];
  var points = ["circle", "rect", "triangle", "rectRot"];
  var isoDay = /^\d{4}-(\d{2}-\d{2})$/;
  function shortDay(value) {
    // Ticks show MM-DD (the period, with its year, is printed above the charts); tooltips keep the full date.
    var label = this.getLabelForValue(value);
    var match = isoDay.exec(label);
    return match ? match[1] : label;
  }
  function draw(block) {
    var spec = JSON.parse(block.textContent);
    var canvas = document.getElementById(block.dataset.canvas);
    if (!canvas || typeof Chart === "undefined") { return; }
    var line = spec.type === "line";
    var datasets = spec.series.map(function (s, i) {
      var colour = palette[i % palette.length];
      return {
        label: s.label, data: s.data, backgroundColor: colour, borderColor: colour,
        borderWidth: line ? 2.5 : 0, borderDash: line ? dashes[i % dashes.length] : undefined,
        // A day without cases is a gap, not a slope drawn across it; straight segments never overshoot 100%.
        spanGaps: false, tension: 0, pointRadius: line ? 3.5 : 0, pointStyle: points[i % points.length]
      };
    });
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: {
            position: "bottom",
            labels: { boxWidth: 14, pointStyleWidth: 14, font: { size: 14 }, usePointStyle: line, color: "#1f2328" }
          }
        },
        scales: {
          x: {
            stacked: !!spec.stacked,
            ticks: { font: { size: 13 }, color: "#1f2328", maxRotation: 50, autoSkip: true, callback: shortDay }
          },
          y: {
            stacked: !!spec.stacked, beginAtZero: true, ticks: { font: { size: 13 }, color: "#1f2328", precision: 0 },
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
