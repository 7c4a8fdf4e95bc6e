// Actions with the operator's token: start a round (trainer.operate), re-check production (evaluator.operate),
// roll back (registry.alias through the registry, or evaluator.operate through the evaluator). Each asks first;
// the service's answer, refusals included, is shown as it came.
'use strict';

const Actions = {
  async run(question, call) {
    if (!window.confirm(question)) {
      return;
    }
    const out = document.getElementById('action-result');
    out.className = 'result';
    out.textContent = 'sending…';
    const a = await call();
    out.className = 'result ' + (a.ok ? 'done' : 'refused');
    out.textContent = a.ok
      ? `${a.status} done\n` + JSON.stringify(a.body, null, 2)
      : 'refused: ' + Api.describeError(a);
    Encoders.refresh();
  },

  startRound() {
    return Actions.run('Start a training round now?', () => Api.post('trainer', 'api/v1/rounds', {}));
  },

  recheck() {
    return Actions.run(`Re-check production of ${Api.model()} with the configured gate?`,
      () => Api.post('evaluator', `api/v1/models/${encodeURIComponent(Api.model())}/recheck`, {}));
  },

  rollback() {
    const reason = document.getElementById('rollback-reason').value.trim();
    const to = document.getElementById('rollback-to').value.trim();
    const body = { reason: reason || 'operator rollback from the console' };
    if (to) body.toVersion = parseInt(to, 10);
    const via = document.getElementById('rollback-via').value;
    return Actions.run(`Roll production of ${Api.model()} back${to ? ' to v' + to : ''}?`, () => (via === 'evaluator'
      ? Api.post('evaluator', `api/v1/models/${encodeURIComponent(Api.model())}/rollback`, body)
      : Api.post('registry', Api.registryModelPath('/aliases/production/rollback'), body)));
  },
};
