// The overview: counters and rates from /ui/api/stats, recent events from an EventSource, a publish form.
'use strict';
(async () => {
  const config = await Herald.config();
  const hub = config.hubPath;
  const $ = id => document.getElementById(id);
  const POLL_MS = 1000, WINDOW = 120, MAX_EVENTS = 50;

  // Counters and rates.
  const colors = {publish: '#4fb3ff', delivery: '#3fb950'};
  $('legend-publish').style.background = colors.publish;
  $('legend-delivery').style.background = colors.delivery;
  const chart = new LineChart($('rates'), [{name: 'publishes/s', color: colors.publish},
                                           {name: 'deliveries/s', color: colors.delivery}], WINDOW);
  chart.zeroBased = true;
  let last = null;
  async function poll() {
    try {
      const s = await (await fetch('/ui/api/stats', {cache: 'no-store'})).json();
      const now = performance.now();
      $('subscribers').textContent = s.subscribers;
      $('topics').textContent = s.topics;
      $('patterns').textContent = s.patterns;
      $('published').textContent = s.published.toLocaleString();
      $('delivered').textContent = s.delivered.toLocaleString();
      $('slow').textContent = s.slowDisconnected;
      if (last) {
        const secs = (now - last.at) / 1000;
        const pr = (s.published - last.s.published) / secs, dr = (s.delivered - last.s.delivered) / secs;
        $('publish-rate').textContent = pr.toFixed(1);
        $('delivery-rate').textContent = dr.toFixed(1);
        chart.push(pr, dr);
      }
      last = {s, at: now};
    } catch (e) {
      $('subscribers').textContent = '?';
    }
  }
  poll();
  setInterval(poll, POLL_MS);

  // Recent events. SSE dispatches typed events only to listeners of that type, so the page listens to
  // untyped messages and to every type it knows of (the demos' and the ones published from this form).
  const events = $('events');
  const types = new Set(['message', 'tick', 'newOrder', 'article', 'herald-reset']);
  let source = null, count = 0, pending = [];
  function show(e) {
    count++;
    pending.push(e);
    if (pending.length === 1) requestAnimationFrame(flush);
  }
  function flush() {
    const batch = pending.slice(-MAX_EVENTS);
    pending = [];
    if (events.firstElementChild && events.firstElementChild.classList.contains('empty')) events.innerHTML = '';
    for (const e of batch) {
      events.prepend(Herald.el('li', {class: 'event'},
        Herald.el('span', {class: 'tag ' + e.type}, e.type), Herald.el('span', {class: 'meta'}, Herald.time() + ' · ' + (e.lastEventId || 'no id')),
        Herald.el('div', {class: 'data'}, e.data)));
    }
    Herald.trim(events, MAX_EVENTS);
    $('event-count').textContent = count;
  }
  function listen(type) {
    types.add(type);
    if (source) source.addEventListener(type, show);
  }
  function subscribe(match) {
    if (source) source.close();
    const param = match === '*' ? 'match=*' : 'match_urlpattern=' + encodeURIComponent(match);
    source = new EventSource(hub + '?' + param);
    Herald.watch(source);
    for (const t of types) source.addEventListener(t, show);
  }
  $('filter').addEventListener('submit', e => { e.preventDefault(); subscribe($('match').value.trim() || '*'); });
  subscribe('*');

  // Publishing: a form POST with the token as a bearer credential, exactly what a server-side publisher sends.
  if (config.token) {
    $('token').value = config.token;
    $('token').placeholder = 'development token (from herald serve --dev)';
  }
  $('publish').addEventListener('submit', async e => {
    e.preventDefault();
    const body = new URLSearchParams({topic: $('topic').value, data: $('data').value});
    const type = $('type').value.trim();
    if (type) { body.set('type', type); listen(type); }
    if ($('private').checked) body.set('private', 'on');
    const result = $('publish-result');
    try {
      const r = await fetch(hub, {method: 'POST', body, headers: {Authorization: 'Bearer ' + $('token').value.trim()}});
      const text = await r.text();
      result.textContent = r.ok ? 'published: ' + text : r.status + ': ' + text;
      result.className = 'result ' + (r.ok ? 'ok' : 'error');
    } catch (err) {
      result.textContent = 'failed: ' + err;
      result.className = 'result error';
    }
  });

  // The token minter (development mode only): POST /ui/api/token with the grants typed, show the token.
  if (config.minter) {
    $('minter').hidden = false;
    $('mint').addEventListener('submit', async e => {
      e.preventDefault();
      const body = new URLSearchParams({publish: $('mint-publish').value, subscribe: $('mint-subscribe').value,
                                        lifetime: $('mint-lifetime').value, subject: $('mint-subject').value});
      if ($('mint-urlpatterns').checked) body.set('urlpatterns', 'on');
      const result = $('mint-result');
      try {
        const r = await fetch('/ui/api/token', {method: 'POST', body});
        if (r.ok) {
          const t = await r.json();
          $('minted').value = t.token;
          $('use-minted').disabled = false;
          result.textContent = 'valid until ' + new Date(t.expiresAt).toLocaleString();
          result.className = 'result ok';
        } else {
          result.textContent = r.status + ': ' + await r.text();
          result.className = 'result error';
        }
      } catch (err) {
        result.textContent = 'failed: ' + err;
        result.className = 'result error';
      }
    });
    $('use-minted').addEventListener('click', () => { $('token').value = $('minted').value; });
  }
})();
