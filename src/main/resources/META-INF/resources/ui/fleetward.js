// fleetward dashboard: live updates over one event stream per page, actions through the REST API
// with a bearer token kept in this tab's sessionStorage. Every value goes into the page as text
// (textContent), never as markup. No inline script: the Content-Security-Policy forbids it.
(function () {
  'use strict';
  var TOKEN_KEY = 'fleetward.token';
  var stream = null;          // the AbortController of the open stream
  var retryDelay = 1000;

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function authHeaders(extra) {
    var headers = extra || {};
    var t = token();
    if (t) { headers.Authorization = 'Bearer ' + t; }
    return headers;
  }

  function say(text, isError) {
    var box = document.getElementById('message');
    if (!box) { return; }
    box.textContent = text;
    box.hidden = false;
    box.className = isError ? 'message error' : 'message ok';
  }

  // Asks for the token in the page's dialog; resolves with the token, or null to go on without.
  function askToken() {
    var dialog = document.getElementById('token-dialog');
    var input = document.getElementById('token-input');
    return new Promise(function (resolve) {
      input.value = '';
      dialog.addEventListener('close', function onClose() {
        dialog.removeEventListener('close', onClose);
        var value = dialog.returnValue === 'save' ? input.value.trim() : '';
        input.value = '';
        if (value) { sessionStorage.setItem(TOKEN_KEY, value); resolve(value); } else { resolve(null); }
      });
      dialog.returnValue = '';
      dialog.showModal();
      input.focus();
    });
  }

  // ---- actions -------------------------------------------------------------------------------
  var ACTIONS = {
    sync: function (t) { return '/api/v1/targets/' + encodeURIComponent(t) + '/sync'; },
    suspend: function (t) { return '/api/v1/targets/' + encodeURIComponent(t) + '/suspend'; },
    resume: function (t) { return '/api/v1/targets/' + encodeURIComponent(t) + '/resume'; },
    rollback: function (t) { return '/api/v1/targets/' + encodeURIComponent(t) + '/rollback'; },
    refresh: function () { return '/api/v1/refresh'; },
    pause: function () { return '/api/v1/fleet/pause'; },
    unpause: function () { return '/api/v1/fleet/resume'; }
  };

  function act(button) {
    var action = button.getAttribute('data-action');
    var holder = button.closest('[data-target]');
    var target = holder ? holder.getAttribute('data-target') : null;
    var what = action + (target ? ' of ' + target : '');
    var ready = token() ? Promise.resolve(token()) : askToken();
    ready.then(function () {
      var init = { method: 'POST', headers: authHeaders({ Accept: 'application/json' }) };
      if (action === 'suspend') {
        var reason = document.getElementById('suspend-reason');
        if (reason && reason.value.trim()) {
          init.headers['Content-Type'] = 'application/json';
          init.body = JSON.stringify({ reason: reason.value.trim() });
        }
      }
      button.disabled = true;
      return fetch(ACTIONS[action](target), init).then(function (response) {
        return response.text().then(function (body) {
          var detail = '';
          try { detail = JSON.parse(body).detail || ''; } catch (e) { detail = ''; }
          if (response.ok) {
            say(what + ': done (' + response.status + ')', false);
          } else if (response.status === 404 && action === 'rollback' && /no such endpoint/.test(detail)) {
            say('rollback is not available in this version of fleetward', true);
          } else {
            if (response.status === 401) { sessionStorage.removeItem(TOKEN_KEY); }
            say(what + ' refused (' + response.status + '): ' + (detail || response.statusText), true);
          }
        });
      });
    }).catch(function (e) {
      say(what + ' failed: ' + e.message, true);
    }).then(function () { button.disabled = false; });
  }

  // ---- live updates --------------------------------------------------------------------------
  function setText(selector, value) {
    document.querySelectorAll(selector).forEach(function (el) { el.textContent = value == null ? '' : String(value); });
  }

  function onFleet(data) {
    setText('[data-field="revision"]', data.revision);
    setText('[data-field="subject"]', data.subject);
    setText('[data-field="lastFetchAt"]', data.lastFetchAt || 'never');
    setText('[data-field="lastFetchResult"]', data.lastFetchResult);
    setText('[data-field="lastFetchError"]', data.lastFetchError);
    setText('[data-field="paused"]', data.paused ? 'paused' + (data.pauseReason ? ': ' + data.pauseReason : '') : 'running');
    Object.keys(data.counts || {}).forEach(function (status) {
      setText('[data-count="' + status + '"]', data.counts[status]);
    });
    (data.cells || []).forEach(function (cell) {
      document.querySelectorAll('[data-target="' + CSS.escape(cell.id) + '"].cell').forEach(function (el) {
        el.className = 'cell s-' + cell.status;
        el.setAttribute('title', cell.reason);
        var st = el.querySelector('.st');
        if (st) { st.textContent = cell.status; }
        var why = el.querySelector('.why');
        if (why) { why.textContent = cell.shortReason; }
      });
    });
  }

  function onLog(data) {
    var log = document.getElementById('log');
    if (!log) { return; }
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.appendChild(document.createTextNode(data.text));
    if (atBottom) { log.scrollTop = log.scrollHeight; }
  }

  function onEnded(data) {
    setText('#outcome', data.outcome);
    setText('#following', 'ended: ' + data.outcome);
    reloadMain(false);
  }

  // Fetches this page again and puts its content in place (no browser reload).
  function reloadMain(restartStream) {
    return fetch(location.href, { headers: authHeaders({ Accept: 'text/html' }) }).then(function (response) {
      return response.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('main');
        if (!response.ok || !fresh) {
          if (response.status === 401) { sessionStorage.removeItem(TOKEN_KEY); }
          say('Could not load the page (' + response.status + '): ' + (doc.body ? doc.body.textContent.trim().slice(0, 200) : ''), true);
          return false;
        }
        // Keep the keyboard focus where it was: the same button or field in the fresh content.
        var active = document.activeElement;
        var focusKey = active && active !== document.body
          ? (active.id ? '#' + CSS.escape(active.id)
            : active.getAttribute('data-action') ? '[data-action="' + active.getAttribute('data-action') + '"]' : null)
          : null;
        var keep = document.getElementById('suspend-reason');
        var kept = keep ? keep.value : null;
        document.getElementById('main').replaceChildren.apply(document.getElementById('main'),
          Array.prototype.slice.call(fresh.childNodes).map(function (n) { return document.adoptNode(n); }));
        if (kept !== null && document.getElementById('suspend-reason')) { document.getElementById('suspend-reason').value = kept; }
        document.body.setAttribute('data-locked', doc.body.getAttribute('data-locked'));
        document.body.setAttribute('data-stream', doc.body.getAttribute('data-stream') || '');
        if (window.htmx) { window.htmx.process(document.getElementById('main')); }
        if (focusKey && document.querySelector(focusKey)) { document.querySelector(focusKey).focus(); }
        if (restartStream) { startStream(); showRollout(); }
        return true;
      });
    });
  }

  var HANDLERS = {
    fleet: onFleet,
    log: onLog,
    ended: onEnded,
    changed: function () { reloadMain(false); },
    ping: function () {}
  };

  function live(state) {
    var dot = document.getElementById('live');
    if (dot) { dot.className = 'live ' + state; dot.title = 'live updates: ' + state; }
  }

  // Server-sent events read with fetch, so the stream can carry the bearer token when reads need one.
  function startStream() {
    if (stream) { stream.abort(); stream = null; }
    var url = document.body.getAttribute('data-stream');
    if (!url) { live('off'); return; }
    var controller = new AbortController();
    stream = controller;
    var finished = false;
    fetch(url, { headers: authHeaders({ Accept: 'text/event-stream' }), signal: controller.signal }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) {
          live('off');
          say('Live updates unavailable (' + response.status + '): ' + text, true);
          retryDelay = 30000;
        });
      }
      live('on');
      retryDelay = 1000;
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      var name = 'message';
      var data = [];
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { return; }
          buffer += decoder.decode(chunk.value, { stream: true });
          var lines = buffer.split(/\r\n|\r|\n/);
          buffer = lines.pop();
          lines.forEach(function (line) {
            if (line === '') {
              if (data.length) {
                var handler = HANDLERS[name];
                if (handler) { handler(JSON.parse(data.join('\n'))); }
                if (name === 'ended') { finished = true; }
              }
              name = 'message'; data = [];
            } else if (line.indexOf('event:') === 0) {
              name = line.slice(6).trim();
            } else if (line.indexOf('data:') === 0) {
              data.push(line.slice(5).replace(/^ /, ''));
            }
          });
          return pump();
        });
      }
      return pump();
    }).catch(function () { /* aborted or dropped: retried below */ }).then(function () {
      if (stream !== controller || controller.signal.aborted) { return; }
      stream = null;
      if (finished) { live('off'); return; }
      live('off');
      setTimeout(function () { if (!stream) { reloadMain(true); } }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  // The rollout, when the repository's fleetward.yaml has waves (GET /api/v1/rollout); nothing otherwise.
  function showRollout() {
    var box = document.getElementById('rollout');
    if (!box) { return; }
    fetch('/api/v1/rollout', { headers: authHeaders({ Accept: 'application/json' }) }).then(function (response) {
      if (!response.ok) { box.hidden = true; return null; }
      return response.json();
    }).then(function (rollout) {
      // Without a rollout: section there is one wave, and nothing to show.
      if (!rollout || !Array.isArray(rollout.waves) || rollout.waves.length < 2) { box.hidden = true; return; }
      box.replaceChildren();
      var title = document.createElement('h2');
      title.textContent = 'Rollout of ' + String(rollout.revision || '').slice(0, 7)
          + (rollout.halted ? ' (halted)' : '');
      box.appendChild(title);
      var list = document.createElement('dl');
      list.className = 'facts';
      function fact(name, value) {
        var row = document.createElement('div');
        var dt = document.createElement('dt');
        var dd = document.createElement('dd');
        dt.textContent = name;
        dd.textContent = String(value);
        row.appendChild(dt); row.appendChild(dd); list.appendChild(row);
      }
      if (rollout.halted) { fact('halted', rollout.halted); }
      if (rollout.soakUntil) { fact('soak until', rollout.soakUntil); }
      if (Array.isArray(rollout.pending) && rollout.pending.length) { fact('pending', rollout.pending.join(', ')); }
      rollout.waves.forEach(function (wave) {
        fact('wave ' + wave.index + ': ' + wave.name,
            wave.done + ' of ' + wave.counted + ' done' + (wave.started ? '' : ', not started'));
      });
      box.appendChild(list);
      box.hidden = false;
    }).catch(function () { box.hidden = true; });
  }

  function unlock() {
    var t = token();
    (t ? Promise.resolve(t) : askToken()).then(function (value) {
      if (!value) { say('This page needs an API token to read; use the API token button.', true); return; }
      reloadMain(true);
    });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-action]');
    if (button) { event.preventDefault(); act(button); return; }
    if (event.target.closest('#token-button')) {
      askToken().then(function (value) {
        say(value ? 'Token kept for this tab.' : 'No token: reads only.', false);
        if (value && document.body.getAttribute('data-locked') === 'true') { reloadMain(true); }
      });
    }
  });

  document.addEventListener('keydown', function (event) {
    if (event.key === '/' && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      var q = document.getElementById('q');
      if (q) { event.preventDefault(); q.focus(); }
    }
  });

  // htmx requests (the fleet filters) carry the token too.
  document.addEventListener('htmx:configRequest', function (event) {
    var t = token();
    if (t) { event.detail.headers.Authorization = 'Bearer ' + t; }
  });

  function init() {
    if (document.body.getAttribute('data-locked') === 'true') { unlock(); return; }
    startStream();
    showRollout();
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
}());
