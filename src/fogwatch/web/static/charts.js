// fogwatch charts: events, killed and claims per day, drawn with the vendored uPlot from each chart's
// JSON data block (<figure class="chart" data-chart="ID"> holds <script type="application/json" id="ID">).
// Events are bars, killed and claims lines; cease-fire periods are shaded; agreements (green) and violations, collapses and blame (red) are lines.
"use strict";

(function () {
  const COLOURS = { events: "#1f5fa8", killed: "#b42318", claims: "#a06a00" };
  const DAY = 86400;

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function seconds(day) { return Date.parse(day + "T00:00:00Z") / 1000; }

  const STEP = { day: DAY, week: 7 * DAY, month: 30 * DAY };

  function dayLabel(ts) {
    const d = new Date(ts * 1000);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  function monthLabel(ts) {
    const d = new Date(ts * 1000);
    return MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  const COUNTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

  function shade(u, data) {
    const ctx = u.ctx;
    const top = u.bbox.top, height = u.bbox.height;
    ctx.save();
    (data.bands || []).forEach((b) => {
      const half = (STEP[data.step] || DAY) / 2;
      const x0 = u.valToPos(seconds(b.from) - half, "x", true);
      const x1 = u.valToPos(seconds(b.to) + half, "x", true);
      ctx.fillStyle = "rgba(30, 132, 73, 0.13)";
      ctx.fillRect(x0, top, Math.max(x1 - x0, 2), height);
    });
    ctx.restore();
  }

  function mark(u, data) {
    const ctx = u.ctx;
    const top = u.bbox.top, height = u.bbox.height;
    ctx.save();
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
    const label = data.step === "month" ? monthLabel : dayLabel;
    const series = [{ label: data.step === "week" ? "week of" : data.step || "day", value: (u, v) => (v == null ? "--" : label(v)) }];
    const columns = [xs];
    const few = data.days.length < 120;
    data.series.forEach((s) => {
      const killed = s.label === "killed";
      const bars = s.label === "events";
      series.push({
        label: s.label,
        stroke: COLOURS[s.label] || "#55606b",
        fill: bars ? "rgba(31, 95, 168, 0.35)" : undefined,
        width: bars ? 1 : 2,
        scale: killed ? "killed" : "n",
        points: { show: !bars && few, size: 6 },
        paths: bars && uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 40], align: 0 }) : undefined,
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
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      axes: [
        { space: 80, incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY, 730 * DAY, 1826 * DAY],
          values: (u, ticks, space, count, incr) => ticks.map(incr >= 28 * DAY ? monthLabel : dayLabel) },
        { scale: "n", label: "events · claims", size: 50, incrs: COUNTS },
        { scale: "killed", side: 1, label: "killed", stroke: COLOURS.killed, grid: { show: false }, size: 50, incrs: COUNTS },
      ],
      legend: { live: true },
      cursor: { points: { show: false } },
      hooks: { drawClear: [(u) => shade(u, data)], draw: [(u) => mark(u, data)] },
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
