/* The coverage bars of a screening round: target, sampled and tested per region, coverage %
   on the right axis; a click on a region drills down to the level below. Data comes from the
   page (data-rows, data-labels): no request of its own, no inline script. */
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("coverage-chart");
    if (!box || !window.echarts) { return; }
    var rows = JSON.parse(box.dataset.rows || "[]");
    if (!rows.length) { box.hidden = true; return; }
    var labels = JSON.parse(box.dataset.labels || "{}");
    box.style.width = "100%";
    box.style.height = "360px";
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    var names = rows.map(function (r) { return r.name; });
    var pick = function (key) { return rows.map(function (r) { return r[key]; }); };
    chart.setOption({
      textStyle: { fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif" },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 56, right: 56, top: 40, bottom: rows.length > 12 ? 96 : 56 },
      dataZoom: rows.length > 20 ? [{ type: "slider", start: 0, end: Math.min(100, 2000 / rows.length) }] : [],
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: rows.length > 8 ? 40 : 0 } },
      yAxis: [{ type: "value" }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } }],
      color: ["#b0bec5", "#1e88e5", "#43a047", "#f57c00"],
      series: [
        { name: labels.target, type: "bar", barMaxWidth: 28, data: pick("target") },
        { name: labels.sampled, type: "bar", barMaxWidth: 28, data: pick("sampled") },
        { name: labels.tested, type: "bar", barMaxWidth: 28, data: pick("tested") },
        { name: labels.coverage, type: "line", yAxisIndex: 1, data: pick("coverage") }
      ]
    });
    chart.on("click", function (params) {
      var row = rows[params.dataIndex];
      if (row && row.href) { window.location.href = row.href; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
