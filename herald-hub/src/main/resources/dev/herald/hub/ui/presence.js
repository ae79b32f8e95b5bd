// Demo: who is viewing which document, live. Only the browser's fetch and EventSource; copy it into your own page.
'use strict';
(async () => {
  const {hubPath, token, subscriptions: tracked} = await Herald.config();
  const $ = id => document.getElementById(id);
  const BASE = 'https://demo.herald.dev/';
  const DOCUMENTS = [['roadmap', 'Roadmap'], ['budget', 'Budget'], ['minutes', 'Minutes']]
    .map(([id, title]) => ({id, title, topic: BASE + 'documents/' + id}));
  if (!tracked || !token) {
    $('presence-state').textContent = 'Active subscriptions are off, or this page has no token: run herald serve --dev.';
    return;
  }
  // Subscription events are private: the token (with subscribe on the subscriptions namespace) goes in
  // the Mercure cookie, which EventSource and fetch send to the hub on this origin.
  document.cookie = '__Secure-mercure_access_token=' + token + '; Path=/; Secure; SameSite=Strict';

  // RFC 6570 expansion, as the hub builds subscription topics: everything but A-Z a-z 0-9 - . _ ~ encoded.
  const expand = v => encodeURIComponent(v).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  // This tab's own marker topic: its document subscription also matches it, which tells us our subscriber id.
  const tab = BASE + 'tabs/' + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
  const subscriptions = new Map(); // subscription id -> document, for the demo's topics
  let viewing = DOCUMENTS[0];
  let documentStream = null;
  let events = null;

  function view(doc) {
    viewing = doc;
    if (documentStream) documentStream.close(); // leaving the previous document: its subscription ends
    documentStream = new EventSource(hubPath + '?match=' + encodeURIComponent(doc.topic) + '&match=' + encodeURIComponent(tab));
    render();
  }

  const me = () => [...subscriptions.values()].find(s => s.match === tab)?.subscriber;
  const short = subscriber => subscriber.slice(-6);
  const viewersOf = doc => [...subscriptions.values()].filter(s => s.match_type === 'exact' && s.match === doc.topic);
  const name = s => (s.payload && s.payload.name) || 'viewer ' + short(s.subscriber);

  function render() {
    const mine = me();
    $('documents').replaceChildren(...DOCUMENTS.map(doc => {
      const tile = Herald.el('div', {class: 'tile' + (doc === viewing ? ' selected' : ''), 'data-document': doc.id},
        Herald.el('div', {class: 'sym'}, doc.title), Herald.el('div', {class: 'price count'}, viewersOf(doc).length),
        Herald.el('div', {class: 'chg meta'}, 'viewers'));
      tile.addEventListener('click', () => view(doc));
      return tile;
    }));
    $('document-title').textContent = viewing.title;
    const viewers = viewersOf(viewing);
    $('viewer-count').textContent = viewers.length;
    $('viewers').replaceChildren(...(viewers.length ? viewers.map(s => Herald.el('li',
      {class: 'viewer' + (s.subscriber === mine ? ' you' : ''), 'data-subscriber': s.subscriber},
      Herald.el('span', {class: 'tag'}, short(s.subscriber)), name(s), s.subscriber === mine ? ' (this tab)' : ''))
      : [Herald.el('li', {class: 'empty'}, 'nobody')]));
  }

  function change(s) {
    const doc = DOCUMENTS.find(d => d.topic === s.match);
    if (!doc) return;
    const list = $('changes');
    if (list.firstElementChild && list.firstElementChild.classList.contains('empty')) list.innerHTML = '';
    list.prepend(Herald.el('li', {class: 'change'}, Herald.el('span', {class: 'tag' + (s.active ? ' private' : '')},
      s.active ? 'opened' : 'closed'), name(s), ' ', doc.title, ' ', Herald.el('span', {class: 'meta'}, Herald.time())));
    Herald.trim(list, 20);
  }

  const keep = s => s.match.startsWith(BASE);

  // List, then follow from the listing's cursor: the listing is the state as of that event id, so the events
  // after it are exactly the changes since. After any drop (or a herald-reset), start over the same way.
  async function follow() {
    try {
      const r = await fetch(hubPath + '/subscriptions', {cache: 'no-store'});
      if (!r.ok) throw new Error('the subscription API answered ' + r.status);
      const cursor = /last-event-id="((?:[^"\\]|\\.)*)"/.exec(r.headers.get('Link'))[1].replace(/\\(.)/g, '$1');
      const listing = await r.json();
      subscriptions.clear();
      for (const s of listing.subscriptions) if (keep(s)) subscriptions.set(s.id, s);
      render();
      const url = new URL(hubPath, location.href);
      url.searchParams.append('match_urlpattern', hubPath + '/subscriptions/exact/' + expand(BASE) + '*');
      url.searchParams.set('last_event_id', cursor);
      events = new EventSource(url);
      Herald.watch(events);
      $('presence-state').textContent = 'listed ' + listing.subscriptions.length + ' subscriptions as of ' + cursor
        + (listing.truncated ? ' (truncated)' : '') + '; following their events';
    } catch (e) {
      $('presence-state').textContent = String(e) + '; retrying…';
      setTimeout(follow, 2000);
      return;
    }
    events.addEventListener('mercure', e => {
      const s = JSON.parse(e.data);
      if (!keep(s)) return;
      if (s.active) subscriptions.set(s.id, s); else subscriptions.delete(s.id);
      change(s);
      render();
    });
    const current = events;
    const restart = () => {
      if (events !== current) return; // already replaced
      events.close();
      events = null;
      setTimeout(follow, 1000);
    };
    events.addEventListener('herald-reset', restart);
    events.addEventListener('error', restart);
  }

  // A page left for another is not viewing anymore, even if the browser keeps it for the back button:
  // close its streams (their subscriptions end), and open them again if it is shown from that cache.
  window.addEventListener('pagehide', () => {
    documentStream.close();
    if (events) events.close();
    events = null;
  });
  window.addEventListener('pageshow', e => {
    if (e.persisted) {
      view(viewing);
      follow();
    }
  });

  view(viewing);
  follow();
})();
