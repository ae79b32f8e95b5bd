// A small line chart on a <canvas>: a rolling window of points for one or more series.
'use strict';
class LineChart {
  /** @param canvas the canvas; @param series [{name, color}]; @param size points kept per series */
  constructor(canvas, series, size) {
    this.canvas = canvas;
    this.series = series.map(s => ({...s, points: []}));
    this.size = size;
    this.draw();
  }
  /** Appends one value per series (in order) and redraws. */
  push(...values) {
    this.series.forEach((s, i) => {
      s.points.push(values[i]);
      if (s.points.length > this.size) s.points.shift();
    });
    this.draw();
  }
  draw() {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth || 300, h = c.clientHeight || 150;
    if (c.width !== w * dpr || c.height !== h * dpr) { c.width = w * dpr; c.height = h * dpr; }
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const all = this.series.flatMap(s => s.points);
    let lo = Math.min(...all), hi = Math.max(...all);
    if (!all.length) { lo = 0; hi = 1; }
    if (this.zeroBased) lo = Math.min(0, lo);
    if (hi - lo < 1e-9) { hi += 1; lo -= this.zeroBased ? 0 : 1; }
    const pad = 22, left = 46;
    g.strokeStyle = '#2a3541'; g.fillStyle = '#8b98a5'; g.font = '11px system-ui'; g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = pad + (h - 2 * pad) * i / 4, v = hi - (hi - lo) * i / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(w - 6, y); g.stroke();
      g.fillText(v >= 100 ? v.toFixed(0) : v.toFixed(2), 4, y + 4);
    }
    for (const s of this.series) {
      if (s.points.length < 2) continue;
      g.strokeStyle = s.color; g.lineWidth = 2; g.beginPath();
      s.points.forEach((v, i) => {
        const x = left + (w - left - 6) * i / (this.size - 1);
        const y = pad + (h - 2 * pad) * (hi - v) / (hi - lo);
        i ? g.lineTo(x, y) : g.moveTo(x, y);
      });
      g.stroke();
    }
  }
}
