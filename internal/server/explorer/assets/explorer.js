// Glue between the page and GraphiQL (this package's own file, served from
// /explorer/assets/ so that the page needs no inline script).
//
// The bearer token and the purpose of use are kept in sessionStorage: they
// last as long as the tab and are never written to disk-backed storage.
// GraphiQL's own state (tabs, query history) goes to sessionStorage too.
(function () {
  'use strict';

  var TOKEN_KEY = 'rdrr.explorer.token';
  var PURPOSE_KEY = 'rdrr.explorer.purposeOfUse';

  var root = document.getElementById('graphiql');
  var tokenInput = document.getElementById('rdrr-token');
  var purposeInput = document.getElementById('rdrr-purpose');
  var clearButton = document.getElementById('rdrr-clear');
  var statusText = document.getElementById('rdrr-status');
  var endpoint = root.getAttribute('data-endpoint') || '/graphql';

  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage disabled: the fields still work for this page
    }
  }

  function load(key) {
    var s = storage();
    return (s && s.getItem(key)) || '';
  }

  function save(key, value) {
    var s = storage();
    if (!s) return;
    try {
      if (value) s.setItem(key, value);
      else s.removeItem(key);
    } catch (e) {
      /* quota or privacy mode: keep going without persistence */
    }
  }

  // A pasted token may carry the scheme or stray whitespace and line breaks.
  function token() {
    return tokenInput.value.replace(/^\s*bearer\s+/i, '').replace(/\s+/g, '');
  }

  function purpose() {
    return purposeInput.value.replace(/[\r\n]+/g, ' ').trim();
  }

  function showStatus() {
    statusText.textContent = token() ? 'Token set' : 'No token: requests are anonymous';
  }

  function showError(message) {
    root.textContent = '';
    var p = document.createElement('p');
    p.className = 'rdrr-error';
    p.textContent = message;
    root.appendChild(p);
  }

  tokenInput.value = load(TOKEN_KEY);
  purposeInput.value = load(PURPOSE_KEY);
  showStatus();

  // Every request: POST application/json, with the headers from GraphiQL's
  // headers editor, then Authorization and X-Purpose-Of-Use from the fields
  // above (those win over the same names typed in the editor).
  function fetcher(params, opts) {
    var headers = {};
    var extra = (opts && opts.headers) || {};
    Object.keys(extra).forEach(function (name) {
      headers[name] = String(extra[name]);
    });
    headers['Content-Type'] = 'application/json';
    headers['Accept'] = 'application/graphql-response+json, application/json';
    var t = token();
    if (t) headers['Authorization'] = 'Bearer ' + t;
    var p = purpose();
    if (p) headers['X-Purpose-Of-Use'] = p;

    return window
      .fetch(endpoint, {
        method: 'POST',
        headers: headers,
        body: JSON.stringify(params),
        credentials: 'same-origin',
        cache: 'no-store',
        referrerPolicy: 'no-referrer'
      })
      .then(function (res) {
        return res.text().then(function (text) {
          try {
            return JSON.parse(text);
          } catch (e) {
            return {
              errors: [
                {
                  message: 'HTTP ' + res.status + ' ' + res.statusText + ': the response is not JSON',
                  extensions: { body: text.slice(0, 2000) }
                }
              ]
            };
          }
        });
      });
  }

  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    showError('The explorer could not load its scripts from ' + location.origin + '/explorer/assets/.');
    return;
  }

  var reactRoot = window.ReactDOM.createRoot(root);
  var generation = 0;

  // A new fetcher makes GraphiQL fetch the schema again, so changing the
  // token or the purpose of use takes effect for the docs and autocomplete
  // too, not only for the next query.
  function render() {
    generation++;
    var f = function (params, opts) {
      return fetcher(params, opts);
    };
    reactRoot.render(
      window.React.createElement(window.GraphiQL, {
        key: 'graphiql',
        fetcher: f,
        storage: storage() || undefined,
        shouldPersistHeaders: false,
        isHeadersEditorEnabled: true,
        defaultEditorToolsVisibility: false,
        defaultQuery:
          '# rdrr GraphQL explorer\n' +
          '#\n' +
          '# Paste a bearer token above: it is sent as\n' +
          '#   Authorization: Bearer <token>\n' +
          '# with every request, and kept in this tab only.\n' +
          '# Fill in X-Purpose-Of-Use when the data needs one.\n' +
          '#\n' +
          '# Ctrl-Enter runs the query, Ctrl-Space completes;\n' +
          '# the docs (top-left icon) describe the schema.\n' +
          '\n' +
          '{\n  __typename\n}\n'
      })
    );
    root.setAttribute('data-generation', String(generation));
  }

  var lastToken = token();
  var lastPurpose = purpose();

  function onChange() {
    save(TOKEN_KEY, token());
    save(PURPOSE_KEY, purpose());
    showStatus();
    if (token() !== lastToken || purpose() !== lastPurpose) {
      lastToken = token();
      lastPurpose = purpose();
      render();
    }
  }

  tokenInput.addEventListener('input', function () {
    save(TOKEN_KEY, token());
    showStatus();
  });
  purposeInput.addEventListener('input', function () {
    save(PURPOSE_KEY, purpose());
  });
  // "change" fires on Enter or when the field loses focus.
  tokenInput.addEventListener('change', onChange);
  purposeInput.addEventListener('change', onChange);
  clearButton.addEventListener('click', function () {
    tokenInput.value = '';
    purposeInput.value = '';
    onChange();
  });

  render();
})();
