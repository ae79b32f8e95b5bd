// Herald web UI: helpers shared by the pages. Plain browser JavaScript, no build step.
'use strict';
const Herald = {
  /** The hub's UI settings: {hubPath, demo, token (dev only, else null)}. */
  async config() {
    const r = await fetch('/ui/api/config', {cache: 'no-store'});
    if (!r.ok) { // 403: the hub refuses to hand out its development token under this host name
      const reason = r.status + ': ' + await r.text();
      const s = document.getElementById('status');
      if (s) { s.textContent = 'refused'; s.className = 'status down'; s.title = reason; }
      throw new Error('/ui/api/config ' + reason);
    }
    return r.json();
  },
  /** Creates an element: el('li', {class: 'x'}, 'text', child...). */
  el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  },
  /** Shows the connection state of an EventSource in the header. */
  watch(es) {
    const s = document.getElementById('status');
    const show = (text, cls) => { if (s) { s.textContent = text; s.className = 'status ' + cls; } };
    show('connecting…', '');
    es.addEventListener('open', () => show('live', 'live'));
    es.addEventListener('error', () => show(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting…', 'down'));
  },
  /** Keeps at most max children in list, dropping the oldest (last). */
  trim(list, max) {
    while (list.children.length > max) list.lastElementChild.remove();
  },
  time(iso) {
    const d = iso ? new Date(iso) : new Date();
    return d.toLocaleTimeString();
  }
};
