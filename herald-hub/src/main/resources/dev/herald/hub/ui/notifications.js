// Demo: a notification centre. Everything below is plain EventSource; copy it into your own page.
'use strict';
(async () => {
  const {hubPath, token} = await Herald.config();
  const $ = id => document.getElementById(id);
  let unread = 0, orders = 0;

  function add(list, item) {
    if (list.firstElementChild && list.firstElementChild.classList.contains('empty')) list.innerHTML = '';
    list.prepend(item);
    Herald.trim(list, 30);
  }

  // Public notifications: untyped events arrive as 'message'; orders carry the custom type 'newOrder'.
  const es = new EventSource(hubPath + '?match=' + encodeURIComponent('https://demo.herald.dev/notifications'));
  Herald.watch(es);
  es.onmessage = e => {
    const n = JSON.parse(e.data);
    $('unread').textContent = ++unread;
    add($('notifications'), Herald.el('li', {class: 'notification'},
      Herald.el('span', {class: 'tag ' + n.level}, n.level), n.title, ' ', Herald.el('span', {class: 'meta'}, Herald.time(n.time))));
  };
  es.addEventListener('newOrder', e => {
    const o = JSON.parse(e.data);
    $('order-count').textContent = ++orders;
    add($('orders'), Herald.el('li', {class: 'order'},
      Herald.el('span', {class: 'tag newOrder'}, 'newOrder'), `${o.orderId}: ${o.customer}, ${o.total.toFixed(2)} €`,
      ' ', Herald.el('span', {class: 'meta'}, Herald.time(o.time))));
  });

  // Private notifications of user 1: the hub sends them only to a subscriber whose token allows the
  // topic. EventSource cannot set headers, so the token travels in the Mercure cookie (same origin).
  if (token) {
    document.cookie = '__Secure-mercure_access_token=' + token + '; Path=/; Secure; SameSite=Strict';
    $('private-state').textContent = 'waiting for a private notification…';
    const mine = new EventSource(hubPath + '?match=' + encodeURIComponent('https://demo.herald.dev/users/1/notifications'));
    mine.onmessage = e => {
      const n = JSON.parse(e.data);
      add($('private'), Herald.el('li', {class: 'private'},
        Herald.el('span', {class: 'tag private'}, 'private'), n.title, ' ', Herald.el('span', {class: 'meta'}, Herald.time(n.time))));
    };
  }
})();
