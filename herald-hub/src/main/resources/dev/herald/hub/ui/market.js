// Demo: a live market dashboard. One EventSource follows every symbol through a URL pattern.
'use strict';
(async () => {
  const {hubPath} = await Herald.config();
  const $ = id => document.getElementById(id);
  const tiles = new Map(), history = new Map();
  let selected = null, ticks = 0;
  const chart = new LineChart($('chart'), [{name: 'price', color: '#4fb3ff'}], 120);

  function select(symbol) {
    if (selected) tiles.get(selected).el.classList.remove('selected');
    selected = symbol;
    tiles.get(symbol).el.classList.add('selected');
    $('chart-title').textContent = symbol + ', last ' + chart.size + ' ticks';
    chart.series[0].points = (history.get(symbol) || []).slice(-chart.size);
    chart.draw();
  }

  function tile(symbol) {
    let t = tiles.get(symbol);
    if (!t) {
      const el = Herald.el('div', {class: 'tile', 'data-symbol': symbol},
        Herald.el('div', {class: 'sym'}, symbol), Herald.el('div', {class: 'price'}, '–'), Herald.el('div', {class: 'chg'}, ''));
      el.addEventListener('click', () => select(symbol));
      t = {el, price: el.querySelector('.price'), chg: el.querySelector('.chg'), open: null};
      tiles.set(symbol, t);
      const sorted = [...tiles.keys()].sort();
      $('tiles').insertBefore(el, tiles.get(sorted[sorted.indexOf(symbol) + 1])?.el || null);
      if (!selected) select(symbol);
    }
    return t;
  }

  // herald-conflate=1: a tab that falls behind (in the background, on a slow link) gets each symbol's
  // latest tick instead of every queued one (docs/hub.md, "Conflation and rate limits")
  const es = new EventSource(hubPath + '?match_urlpattern=' + encodeURIComponent('https://demo.herald.dev/market/*')
      + '&herald-conflate=1');
  Herald.watch(es);
  es.addEventListener('tick', e => {
    const q = JSON.parse(e.data);
    const t = tile(q.symbol);
    if (t.open === null) t.open = q.price - q.change;
    const day = q.price - t.open, pct = 100 * day / t.open;
    t.price.textContent = q.price.toFixed(2);
    t.chg.textContent = (day >= 0 ? '+' : '') + day.toFixed(2) + ' (' + pct.toFixed(2) + '%)';
    t.chg.className = 'chg ' + (day >= 0 ? 'up' : 'down');
    t.el.classList.remove('tick-up', 'tick-down');
    void t.el.offsetWidth; // restart the flash animation
    t.el.classList.add(q.change >= 0 ? 'tick-up' : 'tick-down');
    const h = history.get(q.symbol) || [];
    h.push(q.price);
    if (h.length > 120) h.shift();
    history.set(q.symbol, h);
    if (q.symbol === selected) chart.push(q.price);
    $('tick-count').textContent = ++ticks;
  });
})();
