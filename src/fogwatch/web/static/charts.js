// fogwatch charts: events, killed and claims per day, drawn with the vendored uPlot from each chart's
// JSON data block (<figure class="chart" data-chart="ID"> holds <script type="application/json" id="ID">).
// Cease-fire periods are shaded; agreements (green) and violations, collapses and blame (red) are lines.
"use strict";

(function () {
  const COLOURS = { events: "#1f5fa8", killed: "#b42318", claims: "#a06a00" };
  const DAY = 86400;

  function seconds(day) { return Date.parse(day + "T00:00:00Z") / 1000; }

  function overlay(u, data) {
    const ctx = u.ctx;
    const top = u.bbox.top, height = u.bbox.height;
    ctx.save();
    (data.bands || []).forEach((b) => {
      const x0 = u.valToPos(seconds(b.from) - DAY / 2, "x", true);
      const x1 = u.valToPos(seconds(b.to) + DAY / 2, "x", true);
      ctx.fillStyle = "rgba(30, 132, 73, 0.13)";
      ctx.fillRect(x0, top, Math.max(x1 - x0, 2), height);
    });
    (data.marks || []).forEach((m) => {
      const x = u.valToPos(seconds(m.day), "x", true);
      ctx.strokeStyle = m.kind === "agreed" ? "#1e8449" : "#b42318";
      ctx.lineWidth = 2 * (window.devicePixelRatio || 1);
      ctx.setLineDash(m.kind === "blame" ? [4, 4] : []);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    });
    ctx.restore();
  }

  function draw(figure) {
    const block = document.getElementById(figure.dataset.chart);
    const holder = figure.querySelector(".chart-plot");
    if (!block || !holder || typeof uPlot === "undefined") return;
    const data = JSON.parse(block.textContent);
    if (!data.days || !data.days.length) { figure.classList.add("empty"); return; }
    const xs = data.days.map(seconds);
    const series = [{}];
    const columns = [xs];
    data.series.forEach((s) => {
      const killed = s.label === "killed";
      series.push({
        label: s.label,
        stroke: COLOURS[s.label] || "#55606b",
        width: 2,
        scale: killed ? "killed" : "n",
        points: { show: data.days.length < 60 },
        paths: uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
      });
      columns.push(s.values);
    });
    const width = () => Math.max(holder.clientWidth || figure.clientWidth || 300, 260);
    const opts = {
      width: width(),
      height: 200,
      series: series,
      scales: { x: { time: true }, n: { range: (u, lo, hi) => [0, Math.max(hi, 1)] },
                killed: { range: (u, lo, hi) => [0, Math.max(hi, 1)] } },
      axes: [
        {},
        { scale: "n", label: "events · claims", size: 50 },
        { scale: "killed", side: 1, label: "killed", stroke: COLOURS.killed, grid: { show: false }, size: 50 },
      ],
      legend: { live: true },
      hooks: { drawClear: [(u) => overlay(u, data)] },
    };
    const plot = new uPlot(opts, columns, holder);
    figure.dataset.drawn = String(xs.length);
    let pending = null;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(() => plot.setSize({ width: width(), height: 200 }), 100);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure.chart[data-chart]").forEach(draw);
  });
})();
