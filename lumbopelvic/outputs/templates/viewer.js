// The report's viewer: the angle plot under the annotated video, with a cursor that follows
// the video; a click on the plot moves the video there. Plain JavaScript, no library, no
// request: the angle series come from the JSON embedded in the page.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var W = 900, H = 260, M = { l: 50, r: 14, t: 24, b: 34 };
  var data = JSON.parse(document.getElementById("viewer-data").textContent);
  var video = document.getElementById("video");
  var svg = document.getElementById("plot");
  var readout = document.getElementById("readout");
  var t = data.t;
  if (!svg || !video || t.length < 2) { return; }
  var t0 = t[0], t1 = t[t.length - 1];

  function range() {
    var lo = 0, hi = 10;
    data.series.forEach(function (s) {
      s.values.forEach(function (v) {
        if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      });
    });
    return [Math.floor(lo / 10) * 10, Math.ceil(hi / 10) * 10];
  }
  var yr = range();
  function x(time) { return M.l + (time - t0) / (t1 - t0) * (W - M.l - M.r); }
  function y(v) { return H - M.b - (v - yr[0]) / (yr[1] - yr[0]) * (H - M.t - M.b); }
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (parent || svg).appendChild(node);
    return node;
  }
  function band(a, b, fill, title) {
    var r = el("rect", { x: x(a), y: M.t, width: Math.max(x(b) - x(a), 1),
                         height: H - M.t - M.b, fill: fill });
    if (title) { el("title", {}, r).textContent = title; }
  }

  data.reps.forEach(function (rep) {  // repetitions: dotted edges, so grey means uncertain
    [rep[0], rep[1]].forEach(function (edge) {
      el("line", { x1: x(edge), x2: x(edge), y1: M.t, y2: H - M.b, stroke: "#aaa",
                   "stroke-dasharray": "2 3" });
    });
  });
  data.low.forEach(function (s) { band(s[0], s[1], "#d9d9d9", "split uncertain here"); });
  var vstep = yr[1] - yr[0] > 80 ? 20 : 10;
  for (var v = Math.ceil(yr[0] / vstep) * vstep; v <= yr[1]; v += vstep) {
    el("line", { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v), stroke: "#e2e2e2" });
    el("text", { x: M.l - 6, y: y(v) + 4, "text-anchor": "end" }).textContent = v + "°";
  }
  var step = (t1 - t0) > 30 ? 10 : (t1 - t0) > 12 ? 2 : 1;
  for (var s = Math.ceil(t0 / step) * step; s <= t1; s += step) {
    el("line", { x1: x(s), x2: x(s), y1: H - M.b, y2: H - M.b + 4, stroke: "#888" });
    el("text", { x: x(s), y: H - M.b + 17, "text-anchor": "middle" }).textContent = s + " s";
  }
  el("line", { x1: M.l, x2: W - M.r, y1: y(0), y2: y(0), stroke: "#999" });
  data.reps.forEach(function (rep) {
    el("text", { x: (x(rep[0]) + x(rep[1])) / 2, y: M.t - 8, "text-anchor": "middle" })
      .textContent = rep[2];
  });
  data.series.forEach(function (s) {
    var d = "", pen = "M";
    s.values.forEach(function (v, i) {
      if (v === null) { pen = "M"; return; }
      d += pen + x(t[i]).toFixed(1) + " " + y(v).toFixed(1) + " ";
      pen = "L";
    });
    el("path", { d: d, fill: "none", stroke: s.colour, "stroke-width": 2.2,
                 "data-series": s.name });
  });
  var cursor = el("line", { id: "cursor", x1: x(t0), x2: x(t0), y1: M.t, y2: H - M.b,
                            stroke: "#c81e1e", "stroke-width": 2, "data-time": t0 });

  function nearest(time) {
    var lo = 0, hi = t.length - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (t[mid] <= time) { lo = mid; } else { hi = mid; }
    }
    return (time - t[lo] <= t[hi] - time) ? lo : hi;
  }
  function inLow(time) {
    return data.low.some(function (s) { return time >= s[0] && time <= s[1]; });
  }
  function update() {
    var time = Math.min(Math.max(video.currentTime, t0), t1);
    var px = x(time).toFixed(1);
    cursor.setAttribute("x1", px);
    cursor.setAttribute("x2", px);
    cursor.setAttribute("data-time", video.currentTime.toFixed(3));
    var i = nearest(time), lines = ["<span class='label'>" + time.toFixed(1) + " s</span>"];
    data.series.forEach(function (s) {
      var v = s.values[i];
      var unsure = s.name !== "trunk" && inLow(t[i]);
      var text = v !== null ? Math.round(v) + "°" : unsure ? "uncertain" : "–";
      if (text === "-0°") { text = "0°"; }
      lines.push("<span style='color:" + s.colour + "'>" + s.label + "</span> " + text);
    });
    readout.innerHTML = lines.join("<br>");
  }
  function timeAt(clientX) {
    var box = svg.getBoundingClientRect();
    var sx = (clientX - box.left) * W / box.width;
    var time = t0 + (sx - M.l) / (W - M.l - M.r) * (t1 - t0);
    var end = isFinite(video.duration) ? video.duration : t1;
    return Math.min(Math.max(time, 0), end);
  }
  svg.addEventListener("click", function (event) {
    video.pause();
    video.currentTime = timeAt(event.clientX);
    update();
  });
  ["timeupdate", "seeking", "seeked", "loadedmetadata"].forEach(function (name) {
    video.addEventListener(name, update);
  });
  function follow() {
    update();
    if (!video.paused && !video.ended) { window.requestAnimationFrame(follow); }
  }
  video.addEventListener("play", follow);
  video.addEventListener("error", function () {
    document.getElementById("video-missing").hidden = false;
  });
  update();
}());
