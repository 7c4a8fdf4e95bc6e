// Evaluations view (docs/METHOD.md §6, §7): per metric, its value across versions with the gate's bound and the
// confidence band when recorded; every evaluation with its verdict, report link, and for a refused candidate
// the failing checks and by how much.
'use strict';

const Evaluations = {
  charts: {},

  // the metric families: zero-shot CLS/Seq, POPE accuracy/F1/FPR per split, MMVP pair accuracy, and any
  // other recorded metric that is not bookkeeping
  charted(metric) {
    if (/^(ci\.|gate\.|artifact\.)/.test(metric)) return false;
    if (metric.startsWith('pope.')) return /\.(accuracy|f1|fpr)$/.test(metric);
    return true;
  },

  all() {
    return Object.entries(Encoders.evaluations).flatMap(([, list]) => list)
      .sort((a, b) => new Date(a.createdAt) - new Date(b.createdAt));
  },

  render() {
    const all = Evaluations.all();
    Evaluations.renderCharts(all);
    Evaluations.renderList(all);
  },

  renderCharts(all) {
    const metrics = [...new Set(all.flatMap(e => Object.keys(e.metrics || {})))].filter(Evaluations.charted).sort();
    const box = document.getElementById('metric-charts');
    const versions = [...new Set(all.map(e => e.version))].sort((a, b) => a - b);
    for (const m of metrics) {
      // the latest evaluation of each version that has this metric
      const latest = {};
      all.filter(e => e.metrics && typeof e.metrics[m] === 'number').forEach(e => { latest[e.version] = e; });
      const value = versions.map(v => (latest[v] ? latest[v].metrics[m] : null));
      const lower = versions.map(v => (latest[v] ? Evaluations.ci(latest[v], m, 'lower') : null));
      const upper = versions.map(v => (latest[v] ? Evaluations.ci(latest[v], m, 'upper') : null));
      const bound = Evaluations.bound(all, m);
      const datasets = [{
        label: m, data: value, borderColor: '#1f3a5f', spanGaps: true,
        pointBackgroundColor: versions.map(v => (latest[v] && !latest[v].passed ? '#b42318' : '#17803d')),
        pointRadius: 5,
      }];
      if (upper.some(x => x !== null)) {
        datasets.push({ label: 'CI upper', data: upper, borderWidth: 0, pointRadius: 0, fill: false });
        datasets.push({ label: 'CI lower', data: lower, borderWidth: 0, pointRadius: 0, fill: '-1',
          backgroundColor: 'rgba(31,58,95,0.15)' });
      }
      if (bound !== null) {
        datasets.push({ label: 'gate bound', data: versions.map(() => bound), borderColor: '#b42318',
          borderDash: [6, 4], pointRadius: 0 });
      }
      const labels = versions.map(v => 'v' + v);
      let chart = Evaluations.charts[m];
      if (!chart) {
        const canvas = el('canvas', { 'data-metric': m });
        box.append(el('div', { class: 'chart-box' }, canvas));
        chart = new Chart(canvas, {
          type: 'line', data: { labels, datasets },
          options: { animation: false, maintainAspectRatio: false,
            plugins: { title: { display: true, text: m }, legend: { labels: { boxWidth: 12 } } } },
        });
        Evaluations.charts[m] = chart;
      } else {
        chart.data.labels = labels;
        chart.data.datasets = datasets;
        chart.update();
      }
    }
  },

  // a confidence bound when the evaluation recorded one (metrics "ci.<metric>.lower"/"upper"), else null
  ci(e, m, side) {
    const v = e.metrics[`ci.${m}.${side}`];
    return typeof v === 'number' ? v : null;
  },

  // the gate's configured bound for a metric (lower for "higher is better", upper for "lower is better")
  bound(all, m) {
    for (const e of all.slice().reverse()) {
      for (const [key, t] of Object.entries(e.thresholds || {})) {
        if (key !== '_gate' && t && t.metric === m) {
          if (typeof t.lower === 'number') return t.lower;
          if (typeof t.upper === 'number') return t.upper;
        }
      }
    }
    return null;
  },

  renderList(all) {
    const items = all.slice().reverse().map(e => el('div', {
      class: 'evaluation' + (e.passed ? '' : ' refused'), 'data-evaluation': e.id, 'data-version': e.version },
      el('div', {}, el('b', {}, `v${e.version} `), el('span', { class: e.passed ? 'ok' : 'bad' }, e.passed ? 'blessed' : 'refused'),
        ` on ${e.suiteId}`, e.baselineVersion !== null && e.baselineVersion !== undefined ? ` against v${e.baselineVersion}` : '',
        el('span', { class: 'note' }, ` ${Evaluations.gateNote(e)}${when(e.createdAt)} by ${e.createdBy} `),
        Evaluations.reportLink(e.reportUrl)),
      e.passed ? null : el('ul', { class: 'failing' }, Evaluations.failures(e).map(f => el('li', {}, f)))));
    document.getElementById('evaluation-list').replaceChildren(...items);
  },

  // the gate's purpose (candidate or recheck) and notes, e.g. "(candidate, no baseline) "
  gateNote(e) {
    const g = (e.thresholds || {})._gate;
    if (!g) return '';
    const parts = [g.purpose, ...(Array.isArray(g.notes) ? g.notes : [])].filter(x => x);
    return parts.length ? `(${parts.join(', ')}) ` : '';
  },

  // "metric@slice KIND: observed X vs bound Y (short by Z)" for each failed check, then failed slices' reasons
  failures(e) {
    const out = [];
    for (const [key, t] of Object.entries(e.thresholds || {})) {
      if (key === '_gate' || !t || !Array.isArray(t.checks)) continue;
      for (const c of t.checks.filter(c => c.passed === false)) {
        const by = typeof c.observed === 'number' && typeof c.threshold === 'number'
          ? ` (off by ${Math.abs(c.observed - c.threshold).toPrecision(3)})` : '';
        out.push(`${key} ${c.kind}${c.against ? ' vs ' + c.against : ''}: observed ${c.observed}, bound ${c.threshold}${by}`
          + (c.reason ? ` — ${c.reason}` : ''));
      }
    }
    for (const s of (e.slices || []).filter(s => s.passed === false)) {
      out.push(`slice ${s.slice} failed${s.reason ? ': ' + s.reason : ''}`);
    }
    return out.length ? out : ['refused (no failing check recorded)'];
  },

  // reports are the evaluator's (/reports/<name>.html); relayed when the evaluator is configured
  reportLink(url) {
    if (!url) return null;
    const name = url.match(/reports\/([A-Za-z0-9._-]+\.html)$/);
    const href = name && Api.has('evaluator') ? `/proxy/evaluator/reports/${name[1]}` : url;
    return el('a', { href, target: '_blank', rel: 'noopener' }, 'report');
  },
};
