// orderwatch operator console: plain JavaScript over orderwatch's JSON API, no build step, no
// third-party code. Every value from data goes into the page as text (textContent / text nodes),
// never as HTML. The API token lives in this tab's sessionStorage only and travels in the
// Authorization header, never in a URL.
'use strict';

(function () {
  const TOKEN_KEY = 'orderwatch.apiToken';
  const WHO_KEY = 'orderwatch.createdBy';
  const POLL_MS = 5000;
  const RETRY_MS = 5000;

  let config = null;          // GET /api/v1/console
  let current = null;         // the mounted view: {refresh(), stop()}
  let pollTimer = null;

  // ---- DOM, built from text only ---------------------------------------------------------

  /** h('td', {class: 'x'}, 'text', child): attributes set one by one; strings become text nodes. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else if (k === 'href') el.setAttribute('href', safeHref(v));
        else if (k === 'value') el.value = v;
        else if (k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'selected') el[k] = true;
        else el.setAttribute(k, String(v));
      }
    }
    append(el, children);
    return el;
  }

  /** Appends nodes and strings (as text), arrays of them flattened. */
  function append(el, ...children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  /** Only our own hash routes and http(s) links: no javascript: or data: from data. */
  function safeHref(v) {
    const s = String(v);
    if (s.startsWith('#/')) return s;
    try {
      const u = new URL(s, location.href);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : '#/now';
    } catch (e) {
      return '#/now';
    }
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  // ---- words and times -------------------------------------------------------------------

  function kindName(kind, many) {
    const k = config && config.kinds && config.kinds[kind];
    return k ? (many ? k.many : k.one) : kind;
  }

  function statusName(s) {
    return (config && config.statuses && config.statuses[s]) || s;
  }

  function zone() {
    return (config && config.zone) || 'Europe/Moscow';
  }

  const formats = {};
  function fmt(kind) {
    if (!formats[kind]) {
      const o = kind === 'full'
        ? {day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'}
        : kind === 'time' ? {hour: '2-digit', minute: '2-digit', second: '2-digit'}
        : kind === 'day' ? {day: '2-digit', month: '2-digit'}
        : {day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit'};
      formats[kind] = new Intl.DateTimeFormat('ru-RU', Object.assign({timeZone: zone()}, o));
    }
    return formats[kind];
  }

  function when(iso, kind) {
    if (!iso) return '—';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : fmt(kind || 'short').format(d);
  }

  /** "2 д 3 ч", "1 ч 5 мин", "7 мин", as the sinks say it. */
  function duration(ms) {
    const minutes = Math.max(0, Math.floor(ms / 60000));
    const days = Math.floor(minutes / 1440), hours = Math.floor(minutes % 1440 / 60), mins = minutes % 60;
    if (days > 0) return hours > 0 ? days + ' д ' + hours + ' ч' : days + ' д';
    if (hours > 0) return mins > 0 ? hours + ' ч ' + mins + ' мин' : hours + ' ч';
    return mins + ' мин';
  }

  function since(iso) {
    return iso ? duration(Date.now() - new Date(iso).getTime()) : '—';
  }

  const DELIVERY_STATES = {PENDING: 'ждёт отправки', SENDING: 'отправляется', SENT: 'доставлено', FAILED: 'не доставлено',
    DISCARDED: 'выброшено'};
  const SINKS = {slack: 'Slack', email: 'Почта', tickets: 'Заявки'};
  const OPERATIONS = {post: 'сообщение', update: 'обновление', reply: 'ответ в треде', create: 'заявка', comment: 'комментарий',
    send: 'письмо', 'ops-alert': 'срочное письмо', 'stuck-digest': 'сводка зависших', 'composition-change': 'изменение состава',
    'city-digest': 'письмо о городах'};
  const target = (x) => (x.sink === 'email' && OPERATIONS[x.target]) || x.target || '—';
  const DETAIL_NAMES = {storeName: 'Аптека', chainName: 'Сеть', status: 'Статус заказа', deliveryType: 'Доставка',
    error: 'Ошибка', system: 'Система аптеки', attempts: 'Попыток', reason: 'Причина', limit: 'Лимит', city: 'Город',
    count: 'Сколько раз', sink: 'Канал', target: 'Куда', ticketFor: 'Заявка для', missingText: 'Не хватает', source: 'Источник'};

  function detailValue(key, v) {
    if (key === 'status') return statusName(v);
    if (key === 'deliveryType') return (config.deliveryTypes && config.deliveryTypes[v]) || v;
    if (key === 'reason') return (config.stuckReasons && config.stuckReasons[v]) || v;
    if (v !== null && typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  /** One line of what matters about an alert: the error, or the status and why. */
  function summary(a) {
    const d = a.details || {};
    const parts = [];
    if (d.error) parts.push(typeof d.error === 'object' ? JSON.stringify(d.error) : String(d.error));
    if (d.status) parts.push(statusName(d.status));
    if (d.reason) parts.push(detailValue('reason', d.reason));
    if (d.city) parts.push(String(d.city));
    if (d.missingText) parts.push(String(d.missingText));
    if (d.target) parts.push(String(d.target));
    return parts.join(' · ');
  }

  function storeLabel(a) {
    const d = a.details || {};
    return d.storeName ? String(d.storeName) : (a.storeId || '');
  }

  function chainLabel(a) {
    const d = a.details || {};
    return d.chainName ? String(d.chainName) : (a.chainId || 'без сети');
  }

  function adminLink(kind, id, text) {
    if (!id || !config || !config.adminUiUrl) return text || id || '—';
    return h('a', {href: config.adminUiUrl + '/' + kind + '/' + encodeURIComponent(id), target: '_blank', rel: 'noopener noreferrer'},
      text || id);
  }

  // ---- the API ---------------------------------------------------------------------------

  class Unauthorized extends Error {}
  class Unreachable extends Error {}
  class Refused extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  async function api(method, path, body) {
    const headers = {'Accept': 'application/json'};
    const t = token();
    if (t) headers['Authorization'] = 'Bearer ' + t;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'});
    } catch (e) {
      throw new Unreachable('сервер не отвечает');
    }
    if (res.status === 401) throw new Unauthorized();
    if (res.status >= 500) throw new Unreachable('ошибка сервера ' + res.status);
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (res.status >= 400) throw new Refused(res.status, (json && json.error) || ('ответ ' + res.status));
    return json;
  }

  /** Every page of a list endpoint (items + nextCursor), up to a bound. */
  async function all(path, max) {
    let items = [], cursor = null;
    do {
      const page = await api('GET', path + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      items = items.concat(page.items || []);
      cursor = page.nextCursor;
    } while (cursor && items.length < max);
    return items;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && String(v).trim() !== '') q.set(k, String(v).trim());
    return q.toString();
  }

  // ---- connection state: the one line, and the retry -------------------------------------

  function online(ok, why) {
    const line = document.getElementById('offline');
    if (ok) {
      line.hidden = true;
      document.getElementById('updated').textContent = 'обновлено ' + fmt('time').format(new Date());
    } else {
      line.textContent = 'Нет связи с orderwatch (' + why + '), пробую снова каждые ' + RETRY_MS / 1000 + ' с…';
      line.hidden = false;
    }
  }

  /** Runs a view's load; a lost connection says so in one line and is tried again; a 401 asks for the token. */
  async function guarded(fn) {
    try {
      await fn();
      online(true);
      return true;
    } catch (e) {
      if (e instanceof Unauthorized) {
        askToken(token() ? 'Токен не подошёл.' : null);
      } else if (e instanceof Unreachable) {
        online(false, e.message);
      } else if (e instanceof Refused) {
        online(true);
        throw e;
      } else {
        online(false, e.message || String(e));
      }
      return false;
    }
  }

  function askToken(problem) {
    stopPolling();
    sessionStorage.removeItem(TOKEN_KEY);
    document.getElementById('view').hidden = true;
    document.getElementById('login').hidden = false;
    document.getElementById('logout').hidden = true;
    const err = document.getElementById('login-error');
    err.textContent = problem || '';
    err.hidden = !problem;
    document.getElementById('token').focus();
  }

  // ---- routing ---------------------------------------------------------------------------

  function route() {
    const raw = location.hash.replace(/^#\/?/, '');
    const [path, qs] = raw.split('?');
    const parts = path.split('/');
    return {name: parts[0] || 'now', arg: parts.slice(1).join('/'), params: new URLSearchParams(qs || '')};
  }

  function stopPolling() {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
  }

  /** Live pages refresh every few seconds; a page that could not load tries again until it does. */
  function schedule(view) {
    stopPolling();
    pollTimer = setTimeout(async () => {
      if (current !== view) return;
      let ok;
      try {
        ok = await guarded(() => view.refresh());
      } catch (e) {
        ok = true;
      }
      if (current === view && document.getElementById('login').hidden && (view.poll || !ok)) schedule(view);
    }, view.poll ? POLL_MS : RETRY_MS);
  }

  async function show() {
    stopPolling();
    const r = route();
    for (const a of document.querySelectorAll('.top nav a')) a.classList.toggle('active', a.id === 'nav-' + (r.name === 'alert' ? 'now' : r.name));
    const main = clear(document.getElementById('view'));
    main.hidden = false;
    const make = VIEWS[r.name] || VIEWS.now;
    const view = make(main, r);
    current = view;
    document.title = view.title + ' — orderwatch';
    let ok = false;
    try {
      ok = await guarded(() => view.refresh());
    } catch (e) {
      ok = true;
      main.appendChild(h('p', {class: 'message bad'}, e.message));
    }
    // live pages poll; a page that could not load tries again
    if (current === view && document.getElementById('login').hidden && (view.poll || !ok)) schedule(view);
  }

  // ---- Сейчас ----------------------------------------------------------------------------

  function nowView(main, r) {
    const state = {kind: r.params.get('kind') || '', chain: '', region: '', store: '', order: '', order_by: 'new'};
    const filters = h('div', {class: 'filters'});
    const counts = h('div', {class: 'counts', id: 'counts'});
    const list = h('div', {id: 'groups'});
    append(main, h('h1', null, 'Сейчас горит'), counts, filters, list);
    let alerts = [];

    function select(name, label, values) {
      const s = h('select', {id: 'filter-' + name, onchange: () => { state[name] = s.value; render(); }},
        h('option', {value: ''}, 'все'), values.map(([v, t]) => h('option', {value: v, selected: state[name] === v}, t)));
      return h('label', null, label, s);
    }

    function buildFilters() {
      const uniq = (f) => [...new Map(alerts.map(a => f(a)).filter(x => x[0])).entries()].sort((a, b) => a[1].localeCompare(b[1], 'ru'));
      clear(filters);
      const search = h('input', {id: 'filter-order', type: 'search', placeholder: 'номер заказа', value: state.order,
        oninput: () => { state.order = search.value; render(); }});
      const order = h('select', {id: 'order-by', onchange: () => { state.order_by = order.value; render(); }},
        h('option', {value: 'new', selected: state.order_by === 'new'}, 'сначала новые'),
        h('option', {value: 'long', selected: state.order_by === 'long'}, 'сначала давние'));
      append(filters,
        select('kind', 'Вид', uniq(a => [a.kind, kindName(a.kind, true)])),
        select('chain', 'Сеть', uniq(a => [a.chainId || '-', chainLabel(a)])),
        select('region', 'Регион', uniq(a => [a.region || '-', a.region || 'без региона'])),
        select('store', 'Аптека', uniq(a => [a.storeId || '-', storeLabel(a) || 'без аптеки'])),
        h('label', null, 'Заказ', search),
        h('label', null, 'Порядок', order));
    }

    function matches(a) {
      return (!state.kind || a.kind === state.kind)
        && (!state.chain || (a.chainId || '-') === state.chain)
        && (!state.region || (a.region || '-') === state.region)
        && (!state.store || (a.storeId || '-') === state.store)
        && (!state.order.trim() || (a.orderId || '').includes(state.order.trim()));
    }

    function render() {
      clear(counts);
      const byKind = new Map();
      for (const a of alerts) {
        const c = byKind.get(a.kind) || {n: 0, muted: 0};
        c.n++; if (a.muted) c.muted++;
        byKind.set(a.kind, c);
      }
      if (byKind.size === 0) counts.appendChild(h('span', {class: 'muted-text'}, 'Ничего не горит.'));
      for (const [kind, c] of [...byKind.entries()].sort((a, b) => b[1].n - a[1].n)) {
        counts.appendChild(h('div', {class: 'count' + (state.kind === kind ? ' selected' : ''), 'data-kind': kind,
          title: 'показать только этот вид', onclick: () => { state.kind = state.kind === kind ? '' : kind; buildFilters(); render(); }},
        h('b', null, String(c.n)), kindName(kind, true), c.muted ? h('span', {class: 'sub'}, 'заглушено ' + c.muted) : null));
      }
      clear(list);
      const shown = alerts.filter(matches);
      if (alerts.length && !shown.length) list.appendChild(h('p', {class: 'empty'}, 'Под фильтр ничего не подходит.'));
      const groups = new Map();
      for (const a of shown) {
        const key = a.kind + '\u0000' + (a.chainId || '');
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(a);
      }
      const t = (x) => new Date(x || 0).getTime();
      const newest = (a) => t(a.firstSeenAt), longest = (a) => -t(a.startedAt || a.firstSeenAt);
      const by = state.order_by === 'new' ? newest : longest;
      const sorted = [...groups.values()].map(g => g.sort((a, b) => by(b) - by(a)))
        .sort((g1, g2) => by(g2[0]) - by(g1[0]));
      for (const g of sorted) {
        const first = g[0];
        const muted = g.filter(a => a.muted).length;
        const rows = g.map(a => h('tr', {class: a.muted ? 'muted' : '', 'data-fingerprint': a.fingerprint},
          h('td', {class: 'nowrap'}, h('a', {href: '#/alert/' + encodeURIComponent(a.fingerprint)}, a.orderId || a.fingerprint)),
          h('td', null, storeLabel(a) || '—'),
          h('td', null, a.region || '—'),
          h('td', {class: 'nowrap', title: 'началось по данным: ' + when(a.startedAt, 'full')}, when(a.startedAt), h('br'),
            h('span', {class: 'muted-text'}, since(a.startedAt || a.firstSeenAt))),
          h('td', {class: 'nowrap'}, when(a.firstSeenAt)),
          h('td', {class: 'detail'}, summary(a)),
          h('td', {class: 'nowrap'}, a.muted ? h('span', {class: 'badge muted'}, 'заглушено')
            : h('a', {href: '#/silences?' + query({orderId: a.orderId, kind: a.orderId ? null : a.kind, storeId: a.orderId ? null : a.storeId}),
              title: 'заглушить это оповещение'}, 'заглушить'))));
        list.appendChild(h('section', {class: 'group'},
          h('h2', null, kindName(first.kind, true) + ' · ' + chainLabel(first),
            h('span', {class: 'n'}, String(g.length) + (muted ? ', заглушено ' + muted : ''))),
          h('table', null, h('thead', null, h('tr', null, h('th', null, 'Заказ'), h('th', null, 'Аптека'), h('th', null, 'Регион'),
            h('th', null, 'Началось (по данным)'), h('th', null, 'Замечено'), h('th', null, 'Что случилось'), h('th', null, ''))),
          h('tbody', null, rows))));
      }
    }

    return {
      title: 'Сейчас', poll: true,
      async refresh() {
        alerts = await all('/api/v1/alerts?' + query({state: 'FIRING', limit: 5000}), 20000);
        buildFilters();
        render();
      }
    };
  }

  // ---- one alert -------------------------------------------------------------------------

  function alertView(main, r) {
    const fp = decodeURIComponent(r.arg || '');
    const box = h('div');
    append(main, h('p', null, h('a', {href: '#/now'}, '← все горящие')), box);
    return {
      title: 'Оповещение', poll: true,
      async refresh() {
        let data;
        try {
          data = await api('GET', '/api/v1/alerts/' + encodeURIComponent(fp));
        } catch (e) {
          if (e instanceof Refused) {
            clear(box).appendChild(h('p', {class: 'message bad'}, e.status === 404 ? 'Такого оповещения нет (возможно, удалено по сроку хранения).' : e.message));
            return;
          }
          throw e;
        }
        const a = data.alert, d = a.details || {};
        clear(box);
        const firing = a.state === 'FIRING';
        append(box, h('h1', null, kindName(a.kind, false) + (a.orderId ? ': заказ ' + a.orderId : ''), ' ',
          h('span', {class: 'badge ' + (firing ? 'firing' : 'ok')}, firing ? 'горит' : 'решено'),
          a.muted ? h('span', {class: 'badge muted'}, 'заглушено') : null));
        const facts = h('dl', {class: 'facts'});
        const fact = (k, v) => { if (v !== null && v !== undefined && v !== '') append(facts, h('dt', null, k), h('dd', null, v)); };
        fact('Заказ', a.orderId ? adminLink('orders', a.orderId, a.orderId + ' в админке') : null);
        fact('Аптека', a.storeId ? adminLink('stores', a.storeId, storeLabel(a)) : null);
        fact('Сеть', d.chainName ? d.chainName + (a.chainId ? ' (' + a.chainId + ')' : '') : a.chainId);
        fact('Регион', a.region);
        for (const [k, v] of Object.entries(d)) {
          if (k === 'storeName' || k === 'chainName') continue;
          fact(DETAIL_NAMES[k] || k, detailValue(k, v));
        }
        fact('Последний раз наблюдалось', when(a.lastSeenAt, 'full'));
        fact('Отпечаток', a.fingerprint);
        append(box, h('div', {class: 'card'}, facts));
        if (firing) {
          append(box, h('div', {class: 'actions'},
            a.orderId ? h('a', {href: '#/silences?' + query({orderId: a.orderId})}, h('button', {type: 'button'}, 'Заглушить заказ')) : null,
            a.storeId ? h('a', {href: '#/silences?' + query({storeId: a.storeId, kind: a.kind})}, h('button', {type: 'button'}, 'Заглушить этот вид в аптеке')) : null,
            a.chainId ? h('a', {href: '#/silences?' + query({chainId: a.chainId, kind: a.kind})}, h('button', {type: 'button'}, 'Заглушить этот вид в сети')) : null));
        }
        const events = [];
        if (a.startedAt) events.push({at: a.startedAt, text: 'Проблема началась (по данным админки)', cls: 'bad'});
        events.push({at: a.firstSeenAt, text: 'orderwatch заметил', cls: 'bad'});
        for (const x of data.deliveries || []) {
          const ok = x.state === 'SENT';
          const what = (SINKS[x.sink] || x.sink) + (x.target ? ' → ' + x.target : '') + ', ' + (OPERATIONS[x.operation] || x.operation || '');
          const ticket = x.sink === 'tickets' && x.peerRef ? 'Заявка ' + x.peerRef + (x.outbox ? ' (в папке outbox)' : '') + '. ' : '';
          events.push({at: x.sentAt || x.updatedAt || x.createdAt, cls: ok ? 'good' : x.state === 'FAILED' ? 'bad' : '',
            text: ticket + what + ': ' + (DELIVERY_STATES[x.state] || x.state)
              + (x.attempts > 1 ? ', попыток ' + x.attempts : '')
              + (x.peerRef && x.sink !== 'tickets' ? ', ссылка у получателя ' + x.peerRef : '')
              + (x.lastError ? ' — ' + x.lastError : '')
              + (x.state === 'FAILED' ? ' (отправить снова можно на странице «Доставки»)' : '')});
        }
        if (a.resolvedAt) events.push({at: a.resolvedAt, text: 'Решено: условие больше не наблюдается', cls: 'good'});
        events.sort((x, y) => new Date(x.at) - new Date(y.at));
        append(box, h('h2', null, 'Что было'), h('ul', {class: 'timeline', id: 'timeline'},
          events.map(e => h('li', {class: e.cls || ''}, h('span', {class: 'when'}, when(e.at, 'full')), e.text))));
        if (!(data.deliveries || []).length) append(box, h('p', {class: 'muted-text'}, 'Оповещений по нему не отправлялось (вид не рассылается или заглушен).'));
      }
    };
  }

  // ---- Тишина ----------------------------------------------------------------------------

  const MATCHER_NAMES = {kind: 'вид', storeId: 'аптека', chainId: 'сеть', orderId: 'заказ'};

  function silencesView(main, r) {
    const list = h('div');
    const preview = h('div', {class: 'preview', id: 'silence-preview', hidden: true});
    const message = h('p', {id: 'silence-message', hidden: true});
    const fields = {};
    const input = (name, label, attrs) => {
      fields[name] = h('input', Object.assign({id: 'silence-' + name, name, value: r.params.get(name) || '', oninput: previewSoon}, attrs || {}));
      return h('label', null, label, fields[name]);
    };
    const kindSelect = h('select', {id: 'silence-kind', onchange: previewSoon}, h('option', {value: ''}, 'любой'),
      Object.keys(config.kinds || {}).map(k => h('option', {value: k, selected: r.params.get('kind') === k}, kindName(k, true))));
    fields.kind = kindSelect;
    const until = h('select', {id: 'silence-for'},
      [['1', 'на 1 час'], ['4', 'на 4 часа'], ['12', 'на 12 часов'], ['24', 'на сутки'], ['72', 'на 3 суток'], ['168', 'на неделю']]
        .map(([v, t]) => h('option', {value: v, selected: v === '4'}, t)));
    const comment = h('input', {id: 'silence-comment', placeholder: 'например: сеть знает о сбое, чинят'});
    const who = h('input', {id: 'silence-who', value: sessionStorage.getItem(WHO_KEY) || ''});
    const save = h('button', {type: 'submit', class: 'primary', id: 'silence-save'}, 'Заглушить');
    const form = h('form', {class: 'card', id: 'silence-form', onsubmit: submit},
      h('h2', null, 'Новая тишина'),
      h('div', {class: 'form-grid'},
        h('label', null, 'Вид', kindSelect), input('storeId', 'Аптека (id)'), input('chainId', 'Сеть (id)'), input('orderId', 'Заказ (номер)'),
        h('label', null, 'Как долго', until), h('label', {class: 'wide'}, 'Комментарий', comment), h('label', null, 'Кто', who)),
      preview, h('div', {class: 'actions'}, save), message);
    append(main, h('h1', null, 'Тишина'), h('p', {class: 'muted-text'},
      'Заглушенное оповещение видно в пульте, но не рассылается. Когда тишина кончается, оно уходит как обычно.'), form, list);

    function matchers() {
      const m = {};
      for (const k of ['kind', 'storeId', 'chainId', 'orderId']) if (fields[k].value.trim()) m[k] = fields[k].value.trim();
      return m;
    }

    let previewTimer = null;
    function previewSoon() {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(() => guarded(showPreview).catch(e => say(e.message, true)), 250);
    }

    async function showPreview() {
      const m = matchers();
      clear(preview);
      if (!Object.keys(m).length) {
        preview.hidden = false;
        preview.appendChild(h('span', null, 'Укажите хотя бы одно: вид, аптеку, сеть или заказ.'));
        save.disabled = true;
        return;
      }
      const items = await all('/api/v1/alerts?' + query(Object.assign({state: 'FIRING', limit: 500}, m)), 500);
      save.disabled = false;
      preview.hidden = false;
      const active = items.filter(a => !a.muted);
      append(preview, h('b', {id: 'preview-count'}, items.length === active.length ? 'Заглушит сейчас: ' + items.length
          : 'Подходит сейчас: ' + items.length + ', из них уже заглушено ' + (items.length - active.length)),
        ' — и всё новое, что подойдёт, до конца тишины.',
        items.length ? h('ul', null, items.slice(0, 15).map(a => h('li', null, kindName(a.kind, false) + ': ' + (a.orderId || a.fingerprint)
          + (storeLabel(a) ? ', ' + storeLabel(a) : '')))) : null,
        items.length > 15 ? h('div', {class: 'muted-text'}, 'и ещё ' + (items.length - 15)) : null);
    }

    function say(text, bad) {
      message.textContent = text;
      message.className = 'message' + (bad ? ' bad' : '');
      message.hidden = false;
    }

    async function submit(ev) {
      ev.preventDefault();
      const m = matchers();
      if (!Object.keys(m).length) { say('Укажите хотя бы одно: вид, аптеку, сеть или заказ.', true); return; }
      const end = new Date(Date.now() + Number(until.value) * 3600000).toISOString();
      if (who.value.trim()) sessionStorage.setItem(WHO_KEY, who.value.trim());
      save.disabled = true;
      try {
        await guarded(async () => {
          const s = await api('POST', '/api/v1/silences', {matchers: m, until: end, comment: comment.value.trim() || null,
            createdBy: who.value.trim() || null});
          say('Тишина до ' + when(s.until) + ' сохранена.');
          await loadList();
          await showPreview();
        });
      } catch (e) {
        say('Не сохранено: ' + e.message, true);
      } finally {
        save.disabled = false;
      }
    }

    function describe(m) {
      return Object.entries(m || {}).map(([k, v]) => (MATCHER_NAMES[k] || k) + ': ' + (k === 'kind' ? kindName(v, true) : v)).join(', ');
    }

    async function end(s) {
      try {
        await guarded(async () => {
          await api('DELETE', '/api/v1/silences/' + encodeURIComponent(s.id));
          say('Тишина снята: ' + describe(s.matchers) + '.');
          await loadList();
        });
      } catch (e) {
        say('Не снято: ' + e.message, true);
      }
    }

    async function loadList() {
      const data = await api('GET', '/api/v1/silences');
      const now = Date.now();
      const items = (data.items || []).slice().sort((a, b) => new Date(b.createdAt) - new Date(a.createdAt));
      const active = items.filter(s => new Date(s.until).getTime() > now), ended = items.filter(s => new Date(s.until).getTime() <= now);
      clear(list);
      const table = (rows, isActive) => rows.length ? h('table', {id: isActive ? 'silences-active' : 'silences-ended'},
        h('thead', null, h('tr', null, h('th', null, 'Что глушит'), h('th', null, 'До'), h('th', null, 'Комментарий'),
          h('th', null, 'Кто'), h('th', null, 'Создана'), h('th', null, ''))),
        h('tbody', null, rows.map(s => h('tr', {'data-silence': s.id, class: isActive ? '' : 'muted'},
          h('td', null, describe(s.matchers)), h('td', {class: 'nowrap'}, when(s.until), isActive ? h('div', {class: 'muted-text'}, 'ещё ' + duration(new Date(s.until) - now)) : null),
          h('td', {class: 'detail'}, s.comment || '—'), h('td', null, s.createdBy || '—'),
          h('td', {class: 'nowrap'}, when(s.createdAt), s.origin === 'config' ? h('div', {class: 'muted-text'}, 'из настроек') : null),
          h('td', null, isActive && s.origin !== 'config' ? h('button', {type: 'button', class: 'danger', onclick: () => end(s)}, 'Снять') : null)))))
        : h('p', {class: 'empty'}, isActive ? 'Сейчас ничего не заглушено.' : 'Закончившихся нет.');
      append(list, h('h2', null, 'Действуют (' + active.length + ')'), table(active, true),
        h('h2', null, 'Закончились (' + ended.length + ')'), table(ended, false));
    }

    return {
      title: 'Тишина',
      async refresh() {
        await loadList();
        if (Object.keys(matchers()).length) await showPreview();
      }
    };
  }

  // ---- Доставки --------------------------------------------------------------------------

  function deliveriesView(main, r) {
    const f = {};
    const sel = (name, label, options) => {
      f[name] = h('select', {id: 'delivery-' + name}, h('option', {value: ''}, 'все'),
        Object.entries(options).map(([v, t]) => h('option', {value: v, selected: r.params.get(name) === v}, t)));
      return h('label', null, label, f[name]);
    };
    const inp = (name, label, ph) => {
      f[name] = h('input', {id: 'delivery-' + name, value: r.params.get(name) || '', placeholder: ph || ''});
      return h('label', null, label, f[name]);
    };
    const ledger = h('div', {id: 'ledger'});
    const dead = h('div', {id: 'dead-letters'});
    const message = h('p', {id: 'dead-message', hidden: true});
    let cursor = null, items = [];
    const form = h('form', {class: 'filters', onsubmit: (ev) => { ev.preventDefault(); cursor = null; items = []; guarded(loadLedger).catch(e => say(e.message, true)); }},
      sel('sink', 'Канал', SINKS), sel('state', 'Состояние', DELIVERY_STATES), inp('orderId', 'Заказ', 'номер'),
      inp('fingerprint', 'Оповещение', 'отпечаток'), h('button', {type: 'submit'}, 'Показать'));
    append(main, h('h1', null, 'Доставки'),
      h('h2', null, 'Не доставлено: отправить снова или выбросить'), message, dead,
      h('h2', null, 'Журнал доставок'), form, ledger);

    function say(text, bad) {
      message.textContent = text;
      message.className = 'message' + (bad ? ' bad' : '');
      message.hidden = false;
    }

    async function loadLedger(more) {
      const page = await api('GET', '/api/v1/deliveries?' + query({sink: f.sink.value, state: f.state.value, orderId: f.orderId.value,
        fingerprint: f.fingerprint.value, limit: 100, cursor: more ? cursor : null}));
      items = more ? items.concat(page.items || []) : (page.items || []);
      cursor = page.nextCursor;
      clear(ledger);
      if (!items.length) { ledger.appendChild(h('p', {class: 'empty'}, 'Доставок под фильтр нет.')); return; }
      append(ledger, h('table', {id: 'ledger-table'},
        h('thead', null, h('tr', null, h('th', null, 'Изменено'), h('th', null, 'Канал'), h('th', null, 'Куда'), h('th', null, 'Что'),
          h('th', null, 'Состояние'), h('th', null, 'Попыток'), h('th', null, 'Ссылка у получателя'), h('th', null, 'Оповещения'),
          h('th', null, 'Ошибка'))),
        h('tbody', null, items.map(x => h('tr', {'data-delivery': x.id},
          h('td', {class: 'nowrap'}, when(x.updatedAt)), h('td', null, SINKS[x.sink] || x.sink), h('td', null, target(x)),
          h('td', null, OPERATIONS[x.operation] || x.operation || '—'),
          h('td', null, h('span', {class: 'badge ' + (x.state === 'SENT' ? 'ok' : x.state === 'FAILED' ? 'firing' : x.state === 'DISCARDED' ? 'muted' : 'warn')},
            DELIVERY_STATES[x.state] || x.state)),
          h('td', {class: 'num'}, String(x.attempts)), h('td', {class: 'detail'}, x.peerRef ? x.peerRef + (x.outbox ? ' (outbox)' : '') : '—'),
          h('td', null, (x.alerts || []).slice(0, 5).map(fp => h('div', null, h('a', {href: '#/alert/' + encodeURIComponent(fp)}, fp))),
            (x.alerts || []).length > 5 ? h('div', {class: 'muted-text'}, 'и ещё ' + (x.alerts.length - 5)) : null),
          h('td', {class: 'detail'}, x.lastError || ''))))),
      cursor ? h('div', {class: 'actions'}, h('button', {type: 'button', onclick: () => guarded(() => loadLedger(true))}, 'Ещё')) : null);
    }

    async function act(item, replay) {
      if (!replay && !confirm('Выбросить «' + item.id + '»? Оно останется в журнале как выброшенное.')) return;
      try {
        await guarded(async () => {
          if (replay) {
            await api('POST', '/api/v1/dead-letters/' + encodeURIComponent(item.id) + '/replay');
            say('Отправлено снова: ' + item.id + '.');
          } else {
            await api('DELETE', '/api/v1/dead-letters/' + encodeURIComponent(item.id));
            say('Выброшено: ' + item.id + '.');
          }
          await loadDead();
        });
      } catch (e) {
        say((replay ? 'Не отправлено: ' : 'Не выброшено: ') + e.message, true);
      }
    }

    async function loadDead() {
      const data = await api('GET', '/api/v1/dead-letters');
      clear(dead);
      const list = data.items || [];
      if (!list.length) { dead.appendChild(h('p', {class: 'empty'}, 'Недоставленного нет: всё дошло или ждёт своей очереди.')); return; }
      append(dead, h('table', {id: 'dead-table'},
        h('thead', null, h('tr', null, h('th', null, 'Когда'), h('th', null, 'Что'), h('th', null, 'Куда'), h('th', null, 'Ошибка'),
          h('th', null, ''))),
        h('tbody', null, list.map(x => h('tr', {'data-dead': x.id},
          h('td', {class: 'nowrap'}, when(x.failedAt)),
          h('td', null, x.source === 'delivery' ? (SINKS[x.sink] || x.sink) + ', ' + (OPERATIONS[x.delivery && x.delivery.operation] || 'доставка')
            : 'сообщение брокера', h('div', {class: 'muted-text'}, x.id)),
          h('td', null, x.target || x.queue || '—'),
          h('td', {class: 'detail'}, x.error || '', x.payload ? h('div', {class: 'muted-text'}, String(x.payload).slice(0, 200)) : null),
          h('td', {class: 'nowrap'}, h('button', {type: 'button', class: 'replay', onclick: () => act(x, true)}, 'Отправить снова'), ' ',
            h('button', {type: 'button', class: 'danger discard', onclick: () => act(x, false)}, 'Выбросить')))))));
    }

    return {
      title: 'Доставки', poll: true,
      async refresh() {
        await loadDead();
        if (!cursor) await loadLedger(false);
      }
    };
  }

  // ---- Нагрузка --------------------------------------------------------------------------

  const DAYS = ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'];
  const SHIFT_NAMES = {first: '1 смена', middle: 'Средняя смена', second: '2 смена'};
  const COLORS = ['#c0392b', '#2471a3', '#d68910', '#27ae60', '#8e44ad', '#16a085', '#7f8c8d', '#e67e22', '#34495e', '#b03a6f'];

  function loadView(main, r) {
    let weeks = r.params.get('weeks') || '4';
    const pick = h('select', {id: 'load-weeks', onchange: () => { weeks = pick.value; guarded(view.refresh); }},
      [['1', '1 неделя'], ['2', '2 недели'], ['4', '4 недели'], ['8', '8 недель'], ['12', '12 недель']]
        .map(([v, t]) => h('option', {value: v, selected: v === weeks}, t)));
    const box = h('div');
    append(main, h('h1', null, 'Нагрузка'), h('div', {class: 'filters'}, h('label', null, 'За последние', pick)), box);

    const view = {
      title: 'Нагрузка',
      async refresh() {
        const s = await api('GET', '/api/v1/stats/load?' + query({weeks}));
        clear(box);
        const heat = s.byWeekdayHour, staff = s.onShift;
        let max = 0, off = 0;
        for (let d = 0; d < 7; d++) for (let hr = 0; hr < 24; hr++) {
          max = Math.max(max, heat[d][hr]);
          if (!staff[d][hr]) off += heat[d][hr];
        }
        append(box, h('p', {class: 'summary', id: 'load-summary'}, 'С ' + when(s.from, 'day') + ' по ' + when(s.to, 'day') + ': '
          + s.total + ' оповещений; когда на смене никого, пришло ' + off
          + (s.total ? ' (' + Math.round(off * 100 / s.total) + ' %)' : '') + '. Время — ' + s.zone + '.'));
        const head = h('tr', null, h('th'), [...Array(24).keys()].map(hr => h('th', null, String(hr).padStart(2, '0'))));
        const rows = [];
        for (let d = 0; d < 7; d++) {
          rows.push(h('tr', null, h('th', null, DAYS[d]), [...Array(24).keys()].map(hr => {
            const n = heat[d][hr], on = staff[d][hr];
            const cell = h('td', {class: 'cell' + (on ? '' : ' off') + (!on && n ? ' hot' : ''),
              title: DAYS[d] + ' ' + String(hr).padStart(2, '0') + ':00–' + String(hr + 1).padStart(2, '0') + ':00: ' + n + ' оповещ., '
                + (on ? 'смен на линии: ' + on : 'никого на смене')}, n ? String(n) : '');
            if (n) {
              const k = max ? n / max : 0;
              cell.style.backgroundColor = 'rgba(192, 57, 43, ' + (0.12 + 0.78 * k).toFixed(2) + ')';
              if (k > 0.55) cell.style.color = '#fff';
            }
            if (on) cell.appendChild(h('span', {class: 'staff s' + Math.min(on, 3)}));
            return cell;
          })));
        }
        append(box, h('div', {class: 'card'},
          h('h2', null, 'По часам и дням недели'),
          h('table', {class: 'heat', id: 'heatmap'}, h('thead', null, head), h('tbody', null, rows)),
          h('div', {class: 'legend'},
            h('span', null, h('span', {class: 'sw', id: 'sw-hot'}), 'чем краснее, тем больше оповещений'),
            h('span', null, h('span', {class: 'sw bar'}), 'полоса снизу — смена на линии (толще — больше смен)'),
            h('span', null, h('span', {class: 'sw off'}), 'штриховка — никого на смене'),
            h('span', null, h('span', {class: 'sw off hot'}), 'рамка — оповещения пришли, когда никого не было')),
          h('div', {class: 'muted-text'}, 'Смены: ', shiftText(s.shifts))));
        const hot = box.querySelector('#sw-hot');
        if (hot) hot.style.backgroundColor = 'rgba(192, 57, 43, 0.6)';

        const kinds = Object.keys(s.byKind).sort((a, b) => s.byKind[b] - s.byKind[a]);
        const color = (k) => COLORS[kinds.indexOf(k) % COLORS.length];
        let dayMax = 1;
        for (const day of s.byDay) dayMax = Math.max(dayMax, Object.values(day.counts).reduce((x, y) => x + y, 0));
        const bars = h('div', {class: 'bars', id: 'by-day'}, s.byDay.map(day => {
          const total = Object.values(day.counts).reduce((x, y) => x + y, 0);
          const bar = h('div', {class: 'bar', title: when(day.date + 'T12:00:00Z', 'day') + ' ' + DAYS[day.weekday] + ': ' + total
            + (total ? ' — ' + kinds.filter(k => day.counts[k]).map(k => kindName(k, true) + ' ' + day.counts[k]).join(', ') : '')});
          for (const k of kinds) {
            if (!day.counts[k]) continue;
            const seg = h('span');
            seg.style.height = (day.counts[k] * 160 / dayMax).toFixed(1) + 'px';
            seg.style.backgroundColor = color(k);
            bar.appendChild(seg);
          }
          return bar;
        }));
        const labels = h('div', {class: 'bar-labels'}, s.byDay.map(day => h('span', {class: day.weekday >= 5 ? 'weekend' : ''},
          day.date.slice(8, 10) + '.' + day.date.slice(5, 7))));
        const legend = h('div', {class: 'legend'}, kinds.map(k => {
          const sw = h('span', {class: 'sw'});
          sw.style.backgroundColor = color(k);
          return h('span', null, sw, kindName(k, true) + ': ' + s.byKind[k]);
        }));
        append(box, h('div', {class: 'card'}, h('h2', null, 'По дням и видам'),
          s.total ? [bars, labels, legend] : h('p', {class: 'empty'}, 'За этот срок оповещений не было.')));
      }
    };
    return view;
  }

  function shiftText(shifts) {
    const byName = new Map();
    for (const w of shifts || []) {
      if (!byName.has(w.name)) byName.set(w.name, []);
      byName.get(w.name).push(DAYS[w.weekday] + ' ' + w.start + '–' + w.end);
    }
    if (!byName.size) return 'не заданы (orderwatch.digest.shift.*)';
    return [...byName.entries()].map(([n, ws]) => (SHIFT_NAMES[n] || n) + ': ' + ws.join(', ')).join('; ');
  }

  const VIEWS = {now: nowView, alert: alertView, silences: silencesView, deliveries: deliveriesView, load: loadView};

  // ---- start -----------------------------------------------------------------------------

  async function start() {
    document.getElementById('login').hidden = true;
    const ok = await guarded(async () => { config = await api('GET', '/api/v1/console'); }).catch(() => false);
    if (!config) {
      if (document.getElementById('login').hidden) setTimeout(start, RETRY_MS);
      return;
    }
    document.getElementById('logout').hidden = !token();
    if (ok) show();
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('login-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const field = document.getElementById('token');
      const t = field.value.trim();
      field.value = '';
      if (!t) return;
      sessionStorage.setItem(TOKEN_KEY, t);
      start();
    });
    document.getElementById('logout').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      config = null;
      askToken(null);
    });
    window.addEventListener('hashchange', () => { if (config) show(); });
    start();
  });
})();
