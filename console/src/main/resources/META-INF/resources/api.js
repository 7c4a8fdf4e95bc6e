// The page's only way to the services: the console's relay (/proxy/{service}/{path}, /events/gateway/{model}).
'use strict';

const Api = {
  config: null,

  async loadConfig() {
    const r = await fetch('/console/config');
    Api.config = await r.json();
    return Api.config;
  },

  has(service) {
    return !!(Api.config && Api.config.services[service]);
  },

  model() {
    return document.getElementById('model').value.trim();
  },

  operatorToken() {
    return document.getElementById('token').value.trim();
  },

  // GET a service path; resolves to {ok, status, body} (body parsed when JSON). Reads use the console's read token.
  async get(service, path) {
    const r = await fetch(`/proxy/${service}/${path}`, { headers: { Accept: 'application/json' } });
    return Api.answer(r);
  },

  // POST with the operator's token (none when the field is empty: the service then refuses).
  async post(service, path, body) {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const token = Api.operatorToken();
    if (token) {
      headers.Authorization = 'Bearer ' + token.replace(/^Bearer\s+/i, '');
    }
    const r = await fetch(`/proxy/${service}/${path}`, { method: 'POST', headers, body: JSON.stringify(body || {}) });
    return Api.answer(r);
  },

  async answer(r) {
    const text = await r.text();
    let body = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      // not JSON: keep the text
    }
    return { ok: r.ok, status: r.status, statusText: r.statusText, body };
  },

  // A service's refusal in its own words: "409 ALIAS_CHANGED: reason".
  describeError(a) {
    const b = a.body;
    if (b && typeof b === 'object' && (b.code || b.reason)) {
      return `${a.status} ${b.code || ''}: ${b.reason || ''}`.trim();
    }
    return `${a.status} ${a.statusText || ''}${b ? ': ' + b : ' (no body)'}`;
  },

  registryModelPath(rest) {
    return `api/v1/models/${encodeURIComponent(Api.model())}${rest}`;
  },
};

// Small DOM helpers shared by the views.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function definitions(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v === null || v === undefined ? '–' : v)]));
}

function shortSha(sha) {
  return sha ? el('code', { title: sha }, sha.substring(0, 12) + '…') : '–';
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

function setStatus(text) {
  document.getElementById('status-line').textContent = text;
}
