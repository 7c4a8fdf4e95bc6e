// Live view: gateway (served version, digest, last swap; production moves over SSE), trainer (phase, step of
// total, loss curve, replay buffer fill), ingest (class statistics, records and validated instances per second,
// dead letters by reason code and the latest few). Polled every few seconds; the gateway's
// moves arrive as server-sent events.
'use strict';

const Live = {
  charts: {},
  source: null,
  lastInstances: null,   // {total, at}: the previous poll's accepted instances, for a rate

  async refresh() {
    await Promise.all([Live.gateway(), Live.trainer(), Live.ingest()]);
  },

  notConfigured(id, service) {
    definitions(document.getElementById(id), [['', `${service} is not configured (eagle.console.services.${service}.url)`]]);
  },

  async gateway() {
    if (!Api.has('gateway')) {
      Live.notConfigured('gateway-status', 'gateway');
      return;
    }
    const a = await Api.get('gateway', `v1/encoders/${encodeURIComponent(Api.model())}`);
    const dl = document.getElementById('gateway-status');
    if (!a.ok) {
      definitions(dl, [['error', Api.describeError(a)]]);
      return;
    }
    const g = a.body;
    definitions(dl, [['served version', 'v' + g.version], ['sha256', shortSha(g.sha256)],
      ['previous (kept loaded)', g.previousVersion === null ? '–' : 'v' + g.previousVersion],
      ['serving since', when(g.servingSince)],
      ['evaluation', g.evaluation ? `${g.evaluation.passed ? 'blessed' : 'refused'} on ${g.evaluation.suiteId}` : '–']]);
  },

  // the gateway's production moves, relayed by the console (CURRENT on connect, then MOVED)
  listen() {
    if (!Api.has('gateway') || Live.source) return;
    Live.source = new EventSource(`/events/gateway/${encodeURIComponent(Api.model())}`);
    Live.source.onmessage = msg => {
      const c = JSON.parse(msg.data);
      document.getElementById('gateway-events').prepend(el('li', {},
        `${c.type} v${c.version} `, shortSha(c.sha256), ` (${c.cause}, ${when(c.at)})`));
      if (c.type === 'MOVED') {
        Live.gateway();
        Encoders.refresh();
      }
    };
  },

  async trainer() {
    if (!Api.has('trainer')) {
      Live.notConfigured('trainer-status', 'trainer');
      return;
    }
    const a = await Api.get('trainer', 'api/v1/status');
    const dl = document.getElementById('trainer-status');
    if (!a.ok) {
      definitions(dl, [['error', Api.describeError(a)]]);
      return;
    }
    const s = a.body;
    definitions(dl, [['phase', s.phase], ['device', s.device], ['round', s.round],
      ['step', `${s.step} of ${s.totalSteps}`], ['samples/s', s.samplesPerSecond.toFixed(2)],
      ['next round when', `${s.newSamples}/${s.minSamples} samples, ${s.newClasses}/${s.minClasses} classes`],
      ['replay buffer', `${s.bufferSize} of ${s.bufferCapacity}`], ['skipped', `${s.skipped}${s.lastSkipReason ? ' (' + s.lastSkipReason + ')' : ''}`],
      ['last candidate', s.lastCandidateVersion === null ? '–' : 'v' + s.lastCandidateVersion],
      ['pending uploads', s.pendingUploads], ['error', s.error]]);
    Live.chart('loss-chart', 'line', 'total loss per step', (s.lossCurve || []).map((_, i) => i + 1), s.lossCurve || [],
      [{ label: 'instance (ins)', data: s.insCurve || [] }, { label: 'classification (ce)', data: s.ceCurve || [] }]);
    const fill = s.bufferFill || {};
    Live.chart('buffer-chart', 'bar', 'replay buffer images per class', Object.keys(fill), Object.values(fill));
  },

  async ingest() {
    if (!Api.has('ingest')) {
      Live.notConfigured('ingest-status', 'ingest');
      return;
    }
    const [a, f, d] = await Promise.all([Api.get('ingest', 'statistics/classes'), Api.get('ingest', 'statistics/flow'),
      Api.get('ingest', 'statistics/dead-letters')]);
    const dl = document.getElementById('ingest-status');
    if (!a.ok) {
      definitions(dl, [['error', Api.describeError(a)]]);
      return;
    }
    const stats = a.body.slice().sort((x, y) => y.instances - x.instances);
    const total = stats.reduce((n, c) => n + c.instances, 0);
    const now = Date.now();
    // net accepted instances per second between two polls (retractions count negative)
    const rate = Live.lastInstances && now > Live.lastInstances.at
      ? ((total - Live.lastInstances.total) * 1000 / (now - Live.lastInstances.at)).toFixed(2) : '…';
    Live.lastInstances = { total, at: now };
    const rows = [['classes', stats.length], ['accepted instances', total], ['accepted instances/s (net)', rate]];
    // what this ingest process saw since it started (GET /statistics/flow; reset when ingest restarts)
    if (f.ok) {
      const w = f.body;
      rows.push([`records/s (last ${w.rateWindowSeconds} s)`, w.recordsPerSecond.toFixed(2)],
        [`validated instances/s (last ${w.rateWindowSeconds} s)`, w.validatedInstancesPerSecond.toFixed(2)],
        ['records, validated, dead letters', `${w.records}, ${w.validatedInstances}, ${w.deadLetters} since ${when(w.since)}`],
        ['emission lag (mean, max)', `${Math.round(w.emissionLagMeanMillis)} ms, ${Math.round(w.emissionLagMaxMillis)} ms`]);
    } else {
      rows.push(['records/s', Api.describeError(f)]);
    }
    definitions(dl, rows);
    Live.chart('class-chart', 'bar', 'accepted instances per class', stats.map(c => c.className), stats.map(c => c.instances));
    const list = document.getElementById('dead-letters');
    if (!d.ok) {
      list.replaceChildren(el('li', {}, Api.describeError(d)));
      return;
    }
    const byReason = d.body.byReason || {};
    Live.chart('dead-letter-chart', 'bar', 'dead letters by reason code', Object.keys(byReason), Object.values(byReason));
    // the latest few, newest first, each with the start of the rejected record
    list.replaceChildren(...(d.body.latest || []).map(x => el('li', {},
      el('strong', {}, x.reason), ` ${x.imageId || '(no key)'} at ${x.topic}[${x.partition}]@${x.offset}, ${when(x.rejectedAt)}: ${x.error}`,
      x.excerpt === null ? null : el('details', {}, el('summary', {}, `record (${x.bytes} bytes${x.truncated ? ', start shown' : ''})`),
        el('pre', {}, x.excerpt)))));
    if (!list.children.length) list.append(el('li', {}, 'none since ingest started'));
  },

  // more: further series [{label, data}] on the same labels (a chart keeps the series it was created with)
  chart(id, type, label, labels, data, more = []) {
    const series = [{ label, data }, ...more];
    const colours = ['31,58,95', '191,97,36', '46,139,87'];
    let c = Live.charts[id];
    if (!c) {
      c = new Chart(document.getElementById(id), {
        type, data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.data,
          borderColor: `rgb(${colours[i % colours.length]})`, backgroundColor: `rgba(${colours[i % colours.length]},0.5)`, pointRadius: 0 })) },
        options: { animation: false, maintainAspectRatio: false },
      });
      Live.charts[id] = c;
      return;
    }
    c.data.labels = labels;
    series.forEach((s, i) => { c.data.datasets[i].data = s.data; });
    c.update();
  },
};
