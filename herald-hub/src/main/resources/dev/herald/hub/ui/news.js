// Demo: a news feed. The first connection asks for what the hub kept (last_event_id=earliest), then
// live stories follow; after a drop the browser resumes by itself with the Last-Event-ID header.
'use strict';
(async () => {
  const {hubPath} = await Herald.config();
  const list = document.getElementById('articles');
  const KEEP = 10;
  const es = new EventSource(hubPath + '?match=' + encodeURIComponent('https://demo.herald.dev/news') + '&last_event_id=earliest');
  Herald.watch(es);
  es.addEventListener('article', e => {
    const a = JSON.parse(e.data);
    if (list.firstElementChild && list.firstElementChild.classList.contains('empty')) list.innerHTML = '';
    list.prepend(Herald.el('li', {class: 'article'},
      Herald.el('span', {class: 'tag'}, a.section), Herald.el('span', {class: 'meta'}, Herald.time(a.published)),
      Herald.el('h3', {}, a.headline)));
    Herald.trim(list, KEEP);
  });
  // The history no longer has what we asked for: start over from what it keeps.
  es.addEventListener('herald-reset', () => { list.innerHTML = ''; });
})();
