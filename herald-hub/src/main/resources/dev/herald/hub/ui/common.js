// Herald web UI: helpers shared by the pages. Plain browser JavaScript, no build step.
'use strict';
const Herald = {
  /** The hub's UI settings: {hubPath, demo, token (dev only, else null)}. */
  async config() {
    const r = await fetch('/ui/api/config', {cache: 'no-store'});
    if (!r.ok) { // 403: the hub refuses to hand out its development token under this host name
      const reason = r.status + ': ' + await r.text();
      Herald.status('refused', 'down');
      document.getElementById('status')?.setAttribute('title', reason);
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
  /** Shows a connection state in the header: text, and the class live, down or none. */
  status(text, cls) {
    const s = document.getElementById('status');
    if (s) { s.textContent = text; s.className = 'status ' + cls; }
  },
  /** Shows the connection state of an EventSource in the header. */
  watch(es) {
    Herald.status('connecting…', '');
    es.addEventListener('open', () => Herald.status('live', 'live'));
    es.addEventListener('error', () => Herald.status(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting…', 'down'));
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
