// The overview: counters and rates from /ui/api/stats, recent events of every type, a publish form.
'use strict';

/**
 * Parses a text/event-stream as EventSource does (HTML Living Standard, "Server-sent events",
 * "Interpreting an event stream"), given the stream's text in chunks of any size; calls onEvent with
 * {type, data, lastEventId} for each event dispatched. The UTF-8 decoding (BOM included) is the caller's.
 */
class SseParser {
  constructor(onEvent, lastEventId) {
    this.onEvent = onEvent;
    this.lastEventId = lastEventId || ''; // the id of the last event dispatched, sent on reconnection
    this.retry = null;                    // the reconnection delay the stream asked for, in ms
    this.buffer = '';
    this.id = this.lastEventId;
    this.type = '';
    this.data = [];
  }
  push(text) {
    this.buffer += text;
    const eol = /\r\n|\r|\n/g;
    let start = 0, m;
    while ((m = eol.exec(this.buffer)) !== null) {
      if (m[0] === '\r' && eol.lastIndex === this.buffer.length) break; // may be the first half of a CRLF
      this.line(this.buffer.slice(start, m.index));
      start = eol.lastIndex;
    }
    this.buffer = this.buffer.slice(start);
  }
  line(l) {
    if (l === '') return this.dispatch();
    if (l.startsWith(':')) return; // a comment: the hub's keep-alives
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) this.retry = parseInt(value, 10);
  }
  dispatch() {
    this.lastEventId = this.id;
    const data = this.data, type = this.type || 'message';
    this.data = [];
    this.type = '';
    if (data.length) this.onEvent({type, data: data.join('\n'), lastEventId: this.lastEventId});
  }
}

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

  // Recent events. EventSource hands a typed event only to the listeners of its type, and no listener
  // hears every type; so this page, an operator's view rather than one of the EventSource demos, reads
  // the stream with fetch() and parses it itself (SseParser): every update shows, whatever its type.
  // It subscribes with the UI's development token when the hub hands one out, else anonymously.
  const events = $('events');
  let count = 0, pending = [], stream = null;
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
  function refused(status, reason) {
    Herald.status('refused', 'down');
    events.replaceChildren(Herald.el('li', {class: 'empty refused'},
      `The hub refused this page's subscription (${status}: ${reason.trim()}). Recent events need anonymous `
      + 'subscribers (herald serve --anonymous) or the development token of herald serve --dev.'));
  }
  // One subscription at a time; like EventSource it reconnects after the stream ends or fails, sending
  // Last-Event-ID and waiting the hub's retry delay, but gives up on 401 or 403: no retry will change those.
  async function subscribe(match) {
    if (stream) stream.abort();
    const ctl = stream = new AbortController();
    const url = hub + '?' + (match === '*' ? 'match=*' : 'match_urlpattern=' + encodeURIComponent(match));
    let lastEventId = '', retry = 3000;
    Herald.status('connecting…', '');
    while (!ctl.signal.aborted) {
      const parser = new SseParser(show, lastEventId);
      try {
        const headers = {Accept: 'text/event-stream'};
        if (config.token) headers.Authorization = 'Bearer ' + config.token;
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const r = await fetch(url, {headers, cache: 'no-store', signal: ctl.signal});
        if (r.status === 401 || r.status === 403) return refused(r.status, await r.text());
        if (r.ok) {
          Herald.status('live', 'live');
          const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.push(chunk.value);
        }
      } catch (err) {
        // a network error or the abort of a new filter: the loop's condition tells which
      }
      lastEventId = parser.lastEventId;
      if (parser.retry !== null) retry = parser.retry;
      if (ctl.signal.aborted) return;
      Herald.status('reconnecting…', 'down');
      await new Promise(resolve => setTimeout(resolve, retry));
    }
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
    if (type) body.set('type', type);
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
