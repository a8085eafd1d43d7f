/* The command dashboard (指挥大屏): new local positives by official day (confirmed and
   asymptomatic, stacked bars) and, per district, new cases and people in treatment; a click
   on a district drills down to its dashboard. Data comes from the page (data-days, data-rows,
   data-labels): no request of its own, no inline script. */
(function () {
  "use strict";
  var FONT = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif";

  function start(box) {
    box.style.width = "100%";
    box.style.height = "320px";
    return window.echarts.init(box, null, { renderer: "canvas" });
  }

  function drawDays(box) {
    var days = JSON.parse(box.dataset.days || "[]");
    var labels = JSON.parse(box.dataset.labels || "{}");
    var chart = start(box);
    chart.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 40 },
      xAxis: { type: "category", data: days.map(function (d) { return d.date.slice(5); }) },
      yAxis: { type: "value", minInterval: 1 },
      color: ["#c62828", "#ef6c00"],
      series: [
        { name: labels.confirmed, type: "bar", stack: "new", data: days.map(function (d) { return d.new_confirmed; }) },
        { name: labels.asymptomatic, type: "bar", stack: "new", data: days.map(function (d) { return d.new_asymptomatic; }) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawDistricts(box) {
    var rows = JSON.parse(box.dataset.rows || "[]");
    var labels = JSON.parse(box.dataset.labels || "{}");
    var chart = start(box);
    var pick = function (key) { return rows.map(function (r) { return r[key]; }); };
    chart.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: rows.length > 8 ? 80 : 40 },
      xAxis: { type: "category", data: pick("name"), axisLabel: { interval: 0, rotate: rows.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      color: ["#c62828", "#ef6c00", "#1e88e5"],
      series: [
        { name: labels.confirmed, type: "bar", data: pick("new_confirmed") },
        { name: labels.asymptomatic, type: "bar", data: pick("new_asymptomatic") },
        { name: labels.inTreatment, type: "bar", data: pick("in_treatment") }
      ]
    });
    chart.on("click", function (event) {
      var row = rows[event.dataIndex];
      if (row && row.href) { window.location.href = row.href; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw() {
    if (!window.echarts) { return; }
    var days = document.getElementById("dashboard-days");
    var districts = document.getElementById("dashboard-districts");
    if (days) { drawDays(days); }
    if (districts) { drawDistricts(districts); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
