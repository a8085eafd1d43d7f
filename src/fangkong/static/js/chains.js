/* The transmission-chain graph (传播链): cases coloured by kind, clusters as categories,
   contacts small and grey. Data comes from data-src (compact JSON: c cases, k contacts,
   l case links, e exposures, g clusters); labels from data-labels. No inline script.

   Big graphs stay usable: above CONTACTS_APART contacts they are drawn as one node per case
   ("N contacts", sized by N) instead of one node each; above FORCE_LIMIT nodes the force
   layout (O(n²) per step in the browser) is switched off for a circular layout. */
(function () {
  "use strict";
  var CONTACTS_APART = 2000;
  var FORCE_LIMIT = 1500;
  var KIND_COLOURS = { confirmed: "#c62828", asymptomatic: "#ef6c00", pending: "#8e24aa" };
  // The legend lists clusters (click one to hide or show it), not colours: a case node is
  // coloured by its kind, so a cluster's legend mark is a neutral square and the contacts'
  // mark is their own grey, never a palette colour that no node carries.
  var CONTACT_COLOUR = "#b0bec5";
  var CLUSTER_MARK = { icon: "roundRect", itemStyle: { color: "#78909c" } };

  function caseNodes(data, labels, categoryOf) {
    return data.c.map(function (c) {
      var kind = c[2] || "pending";
      return {
        id: "c" + c[0], name: c[1], value: labels.kinds[kind] || kind, symbolSize: 14,
        category: categoryOf(c[4]), itemStyle: { color: KIND_COLOURS[kind] || "#546e7a" },
        caseId: c[0]
      };
    });
  }

  function contactParts(data, labels) {
    if (data.k.length <= CONTACTS_APART) {
      var nodes = data.k.map(function (k) {
        // no label of their own: hundreds of "secondary contact" captions would hide the
        // cases; the tooltip names the degree
        return { id: "k" + k[0], name: labels.degrees[k[1]] || k[1], symbolSize: 5,
                 itemStyle: { color: CONTACT_COLOUR }, category: 0, label: { show: false } };
      });
      var edges = data.e.map(function (e) { return { source: "c" + e[0], target: "k" + e[1] }; });
      return { nodes: nodes, edges: edges };
    }
    var per = {};
    data.e.forEach(function (e) { per[e[0]] = (per[e[0]] || 0) + 1; });
    var ids = Object.keys(per);
    return {
      nodes: ids.map(function (id) {
        return { id: "a" + id, name: per[id] + " " + labels.contacts, category: 0,
                 symbolSize: Math.min(30, 4 + Math.sqrt(per[id]) * 2), itemStyle: { color: "#cfd8dc" } };
      }),
      edges: ids.map(function (id) { return { source: "c" + id, target: "a" + id }; })
    };
  }

  function draw() {
    var box = document.getElementById("chain-graph");
    if (!box || !window.echarts) { return; }
    var labels = JSON.parse(box.dataset.labels || "{}");
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { render(box, data, labels); });
  }

  function render(box, data, labels) {
    var status = document.getElementById("chain-status");
    if (status) {
      status.textContent = labels.cases + " " + data.c.length + " · " + labels.contacts + " " + data.k.length;
    }
    var categories = [{ name: labels.contacts, itemStyle: { color: CONTACT_COLOUR } }];
    var cluster = function (name) { return Object.assign({ name: name }, CLUSTER_MARK); };
    var index = {};
    data.g.forEach(function (g) { index[g[0]] = categories.length; categories.push(cluster(g[1])); });
    categories.push(cluster(labels.noCluster));
    var none = categories.length - 1;
    var categoryOf = function (id) { return id in index ? index[id] : none; };
    var contacts = contactParts(data, labels);
    var nodes = caseNodes(data, labels, categoryOf).concat(contacts.nodes);
    var links = data.l.map(function (l) {
      return { source: "c" + l[0], target: "c" + l[1],
               lineStyle: { color: "#37474f", width: 1.5, type: l[2] === "probable" ? "dashed" : "solid" } };
    }).concat(contacts.edges);
    var force = nodes.length <= FORCE_LIMIT;
    box.style.height = "640px";
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: { fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif" },
      tooltip: { formatter: function (p) { return p.data.name + (p.data.value ? " · " + p.data.value : ""); } },
      legend: { type: "scroll", top: 0, data: categories.map(function (c) {
        return { name: c.name, icon: c.icon || "circle", itemStyle: c.itemStyle };
      }) },
      animation: force,
      series: [{
        type: "graph", layout: force ? "force" : "circular", roam: true, draggable: force,
        large: !force, progressive: 2000, progressiveThreshold: 3000,
        force: { repulsion: 60, edgeLength: [20, 60], gravity: 0.08 },
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
        categories: categories, data: nodes, links: links,
        label: { show: force && data.c.length <= 200, position: "right", fontSize: 10 },
        emphasis: { focus: "adjacency" }
      }]
    });
    chart.on("click", function (p) {
      if (p.dataType === "node" && p.data.caseId) { window.location.href = "/cases/" + p.data.caseId; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
