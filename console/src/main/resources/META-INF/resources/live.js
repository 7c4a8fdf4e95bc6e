// Live view: gateway (served version, digest, last swap; production moves over SSE), trainer (phase, step of
// total, loss curve, replay buffer fill), ingest (class statistics). Polled every few seconds; the gateway's
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
    Live.chart('loss-chart', 'line', 'total loss per step', (s.lossCurve || []).map((_, i) => i + 1), s.lossCurve || []);
    const fill = s.bufferFill || {};
    Live.chart('buffer-chart', 'bar', 'replay buffer images per class', Object.keys(fill), Object.values(fill));
  },

  async ingest() {
    if (!Api.has('ingest')) {
      Live.notConfigured('ingest-status', 'ingest');
      return;
    }
    const a = await Api.get('ingest', 'statistics/classes');
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
    definitions(dl, [['classes', stats.length], ['accepted instances', total], ['accepted instances/s', rate],
      ['records/s, dead letters', 'not exposed by ingest yet']]);
    Live.chart('class-chart', 'bar', 'accepted instances per class', stats.map(c => c.className), stats.map(c => c.instances));
  },

  chart(id, type, label, labels, data) {
    let c = Live.charts[id];
    if (!c) {
      c = new Chart(document.getElementById(id), {
        type, data: { labels, datasets: [{ label, data, borderColor: '#1f3a5f', backgroundColor: 'rgba(31,58,95,0.5)', pointRadius: 0 }] },
        options: { animation: false, maintainAspectRatio: false },
      });
      Live.charts[id] = c;
      return;
    }
    c.data.labels = labels;
    c.data.datasets[0].data = data;
    c.update();
  },
};
