// Encoders view: every version (status, sha256, parent, training run, data manifest, verdicts), the production
// alias timeline, and "what was production at T" (GET .../aliases/production?at=...).
'use strict';

const Encoders = {
  evaluations: {},   // version -> evaluations (shared with the Evaluations view)
  versions: [],
  historyIds: '',

  async refresh() {
    if (!Api.has('registry')) {
      setStatus('registry is not configured (eagle.console.services.registry.url)');
      return;
    }
    const versions = await Api.get('registry', Api.registryModelPath('/versions'));
    if (!versions.ok) {
      setStatus('registry: ' + Api.describeError(versions));
      return;
    }
    Encoders.versions = versions.body;
    const evals = await Promise.all(versions.body.map(v =>
      Api.get('registry', Api.registryModelPath(`/versions/${v.version}/evaluations`))));
    versions.body.forEach((v, i) => { Encoders.evaluations[v.version] = evals[i].ok ? evals[i].body : []; });
    Encoders.renderVersions();
    await Encoders.refreshTimeline();
  },

  renderVersions() {
    const rows = Encoders.versions.slice().sort((a, b) => b.version - a.version).map(v => {
      const run = v.trainingRun || {};
      const manifest = (run.dataManifest || []).map(r =>
        `${r.topic}[${r.partition}] ${r.fromOffset}…${r.untilOffset}`).join(', ');
      const verdicts = (Encoders.evaluations[v.version] || []).map(e =>
        el('span', { class: e.passed ? 'ok' : 'bad', title: `${e.suiteId} ${when(e.createdAt)}` },
          (e.passed ? '✔ ' : '✘ ') + e.suiteId + ' '));
      return el('tr', { 'data-version': v.version },
        el('td', {}, 'v' + v.version), el('td', {}, v.status), el('td', {}, shortSha(v.sha256)),
        el('td', {}, v.parentVersion === null ? '–' : 'v' + v.parentVersion),
        el('td', {}, run.runId || '–'), el('td', {}, manifest || '–'), el('td', {}, when(v.createdAt)),
        el('td', {}, verdicts.length ? verdicts : '–'));
    });
    document.querySelector('#versions tbody').replaceChildren(...rows);
  },

  async refreshTimeline() {
    const history = await Api.get('registry', Api.registryModelPath('/aliases/production/history'));
    if (!history.ok) {
      setStatus('registry history: ' + Api.describeError(history));
      return;
    }
    const ids = history.body.map(h => h.id).join(',');
    if (ids === Encoders.historyIds) {
      return;
    }
    Encoders.historyIds = ids;
    const items = history.body.slice().sort((a, b) => b.id - a.id).map(h =>
      el('li', { class: h.action, 'data-history-id': h.id },
        el('span', { class: 'kind' }, Encoders.kind(h)),
        ` ${h.from === null ? '∅' : 'v' + h.from} → v${h.to} `,
        el('span', { class: 'note' }, `${when(h.movedAt)} by ${h.movedBy}`),
        el('div', {}, h.reason || ''),
        h.evaluationId ? el('div', { class: 'note' }, 'evaluation ' + h.evaluationId) : null));
    document.getElementById('timeline').replaceChildren(...items);
    const current = history.body.length ? history.body.reduce((a, b) => (a.id > b.id ? a : b)) : null;
    document.getElementById('production-badge').textContent =
      'production: ' + (current ? 'v' + current.to : 'none');
  },

  // rollback; promotion (a move by one of the configured promoters, the evaluator); or manual (anyone else's move)
  kind(h) {
    if (h.action === 'ROLLBACK') return 'rollback';
    return (Api.config.promoters || []).includes(h.movedBy) ? 'promotion' : 'manual';
  },

  async askAt() {
    const input = document.getElementById('at-time').value;
    const out = document.getElementById('at-answer');
    if (!input) {
      out.textContent = 'pick a time first';
      return;
    }
    const at = new Date(input).toISOString();
    const a = await Api.get('registry', Api.registryModelPath('/aliases/production?at=' + encodeURIComponent(at)));
    out.replaceChildren(a.ok
      ? el('span', {}, el('b', {}, 'v' + a.body.version), ` (since ${when(a.body.since)}, by ${a.body.movedBy}: ${a.body.reason || ''}) `, shortSha(a.body.sha256))
      : el('span', { class: 'bad' }, Api.describeError(a)));
  },
};
