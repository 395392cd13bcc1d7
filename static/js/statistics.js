/* The proposal statistics charts: the data comes from the page (json_script "statistics-data"), the
   library from static/vendor/echarts; nothing is fetched. Every chart has a table beside it, so the page
   reads the same without JavaScript. */
(function () {
  "use strict";
  var source = document.getElementById("statistics-data");
  if (!source || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#b3261e", "#e0a100", "#198754", "#0d6efd", "#6f42c1", "#20c997", "#6c757d", "#fd7e14"];
  var charts = [];

  function empty(el) {
    el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-muted", "small");
    el.textContent = data.text.noData;
  }

  function hideZero(p) { return p.value ? String(p.value) : ""; }

  function draw(el, option) {
    el.style.height = el.dataset.height || "280px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ color: palette, animation: false }, option));
    charts.push(chart);
  }

  var builders = {
    categories: function (el) {
      if (!data.categories.length) { return empty(el); }
      draw(el, {
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: data.categories, percentPrecision: 1,
                   label: { formatter: "{d}%" } }]
      });
    },
    classes: function (el) {
      var c = data.classes;
      if (!c.values.some(function (v) { return v > 0; })) { return empty(el); }
      draw(el, {
        tooltip: { trigger: "axis", formatter: function (p) {
          var i = p[0].dataIndex;
          return c.labels[i] + " " + c.names[i] + ": " + c.values[i] + (c.percents[i] === null ? "" : " (" + c.percents[i] + "%)");
        } },
        grid: { left: 40, right: 16, top: 24, bottom: 32 },
        xAxis: { type: "category", data: c.labels },
        yAxis: { type: "value", name: data.text.count, minInterval: 1 },
        series: [{ type: "bar", data: c.values, label: { show: true, position: "top" } }]
      });
    },
    satisfaction: function (el) {
      var s = data.satisfaction;
      var any = s.series.some(function (row) { return row.data.some(function (v) { return v > 0; }); });
      if (!any) { return empty(el); }
      draw(el, {
        color: ["#198754", "#e0a100", "#b3261e"],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { bottom: 0 },
        grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: s.series.map(function (row) { return row.name; }), inverse: true },
        series: s.results.map(function (name, i) {
          return { name: name, type: "bar", stack: "all", label: { show: true, formatter: hideZero },
                   data: s.series.map(function (row) { return row.data[i]; }) };
        })
      });
    },
    units: function (el) {
      var u = data.units;
      if (!u.names.length) { return empty(el); }
      el.dataset.height = Math.max(200, 36 * u.names.length + 60) + "px";
      draw(el, {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
        grid: { left: 8, right: 40, top: 8, bottom: 24, containLabel: true },
        xAxis: { type: "value", max: 100, name: "%" },
        yAxis: { type: "category", data: u.names, inverse: true },
        series: [{ name: u.series, type: "bar", data: u.percents, label: { show: true, position: "right", formatter: "{c}%" } }]
      });
    }
  };

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var build = builders[el.dataset.chart];
    if (build) { build(el); }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
