/*
 * patchgate console: the Denied page's live refresh. Served from the jar as /console.js (the
 * console's Content-Security-Policy allows no inline script). Every 10 seconds while the tab is
 * visible it asks /api/denied with the page's own filters and replaces the table's rows, writing
 * every value with textContent only, so what a client sent stays text. Without JavaScript the page
 * is the plain page it was rendered as. When a refresh fails (a 401 once the session has ended) it
 * says so with a link and stops instead of asking again.
 */
(function () {
  'use strict';
  var EVERY_MS = 10000;
  var table = document.getElementById('denied-rows');
  var status = document.getElementById('live');
  if (!table || !status || !table.dataset.live || !window.fetch) {
    return;
  }
  var none = document.getElementById('denied-none');
  var more = document.getElementById('denied-more');
  var timer = null;
  var stopped = false;
  var asking = false;

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  /** One row, laid out as the server's template lays it out. */
  function row(r) {
    var tr = document.createElement('tr');
    var client = el('td', r.client);
    if (r.unregistered) {
      client.appendChild(document.createElement('br'));
      client.appendChild(el('span', 'in no client group', 'bad'));
    }
    tr.appendChild(client);
    tr.appendChild(el('td', r.target));
    tr.appendChild(el('td', r.reason));
    tr.appendChild(el('td', r.count));
    var when = el('td', r.last_seen);
    when.appendChild(document.createElement('br'));
    when.appendChild(el('span', 'first ' + r.first_seen, 'muted'));
    tr.appendChild(when);
    var why = document.createElement('td');
    if (r.method) {
      var request = el('div', r.method + ' ' + r.short_url, 'url');
      request.title = r.method + ' ' + r.url;
      why.appendChild(request);
    }
    if (r.explain && r.explain.length) {
      var list = el('ul', null, 'explain');
      r.explain.forEach(function (line, i) {
        var shown = el('li', r.short_explain ? r.short_explain[i] : line);
        shown.title = line;
        list.appendChild(shown);
      });
      why.appendChild(list);
    }
    if (r.snippet) {
      why.appendChild(el('pre', r.snippet, 'snippet'));
    }
    tr.appendChild(why);
    return tr;
  }

  function two(n) {
    return (n < 10 ? '0' : '') + n;
  }

  function show(data) {
    var body = document.createElement('tbody');
    data.rows.forEach(function (r) {
      body.appendChild(row(r));
    });
    table.replaceChild(body, table.tBodies[0]);
    table.hidden = data.rows.length === 0;
    if (none) {
      none.hidden = data.rows.length !== 0;
    }
    if (more) {
      more.hidden = !data.more;
    }
    var now = new Date();
    status.className = 'live';
    status.textContent =
      'Live: updated ' + two(now.getHours()) + ':' + two(now.getMinutes()) + ':' +
      two(now.getSeconds()) + ', again every 10 seconds while this tab is shown.';
    status.hidden = false;
  }

  /** Stops refreshing and says why, with the link that helps. */
  function stop(message, href, link) {
    stopped = true;
    clearTimeout(timer);
    status.className = 'live stopped';
    status.textContent = message + ' ';
    var a = el('a', link);
    a.href = href;
    status.appendChild(a);
    status.hidden = false;
  }

  function refresh() {
    timer = null;
    asking = true;
    fetch(table.dataset.live, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/json' }
    })
      .then(function (response) {
        if (response.status === 401) {
          stop('Your session has ended, so this page no longer updates.', '/login', 'Sign in again');
          return null;
        }
        if (!response.ok) {
          throw new Error('the gateway answered ' + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        asking = false;
        if (data && !stopped) {
          show(data);
          schedule();
        }
      })
      .catch(function (e) {
        asking = false;
        stop('This page stopped updating: ' + e.message + '.', location.href, 'Reload the page');
      });
  }

  function schedule() {
    if (!stopped && !asking && !document.hidden && timer === null) {
      timer = setTimeout(refresh, EVERY_MS);
    }
  }

  document.addEventListener('visibilitychange', function () {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (!stopped && !asking && timer === null) {
      refresh();
    }
  });
  status.textContent = 'Live: updates every 10 seconds while this tab is shown.';
  status.hidden = false;
  schedule();
})();
