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
    const labels = LineChart.labels(lo, hi, 4);
    labels.forEach((label, i) => {
      const y = pad + (h - 2 * pad) * i / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(w - 6, y); g.stroke();
      g.fillText(label, 4, y + 4);
    });
    c.dataset.yLabels = labels.join(' '); // what the axis reads, for tests and the curious
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
  /**
   * The labels of steps + 1 grid lines from hi down to lo, with as many decimals as the step between
   * them needs (one more when the step itself has more): 169.10 169.05 169.00 … for a narrow price
   * range, 80 60 40 … for a wide one, so no two lines read the same.
   */
  static labels(lo, hi, steps) {
    const step = (hi - lo) / steps;
    let decimals = Math.max(0, Math.ceil(-Math.log10(step)));
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) > 1e-6) decimals++; // 0.225 shows as 0.23, not 0.2
    decimals = Math.min(6, decimals);
    return Array.from({length: steps + 1}, (_, i) => (hi - step * i).toFixed(decimals));
  }
}
