// Wiring: tabs, model field, token (kept for this tab only), periodic refresh of the open data.
'use strict';

const REFRESH_MS = 3000;

function show(view) {
  document.querySelectorAll('nav button').forEach(b => b.classList.toggle('active', b.dataset.view === view));
  document.querySelectorAll('.view').forEach(v => v.classList.toggle('active', v.id === 'view-' + view));
  if (view === 'evaluations') Evaluations.render();
  if (view === 'live') Live.refresh();
}

async function tick() {
  try {
    await Encoders.refresh();
    if (document.getElementById('view-evaluations').classList.contains('active')) Evaluations.render();
    if (document.getElementById('view-live').classList.contains('active')) await Live.refresh();
    setStatus('updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    setStatus('refresh failed: ' + e);
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  const cfg = await Api.loadConfig();
  const params = new URLSearchParams(location.search);
  document.getElementById('model').value = params.get('model') || cfg.model;
  const token = document.getElementById('token');
  token.value = sessionStorage.getItem('eagle.console.token') || '';
  token.addEventListener('change', () => sessionStorage.setItem('eagle.console.token', token.value));
  document.getElementById('model').addEventListener('change', () => { Encoders.historyIds = ''; tick(); });
  document.querySelectorAll('nav button').forEach(b => b.addEventListener('click', () => show(b.dataset.view)));
  document.getElementById('at-go').addEventListener('click', Encoders.askAt);
  document.getElementById('act-round').addEventListener('click', Actions.startRound);
  document.getElementById('act-recheck').addEventListener('click', Actions.recheck);
  document.getElementById('act-rollback').addEventListener('click', Actions.rollback);
  for (const [button, service] of [['act-round', 'trainer'], ['act-recheck', 'evaluator']]) {
    if (!Api.has(service)) {
      document.getElementById(button).disabled = true;
      document.getElementById(button).title = service + ' is not configured';
    }
  }
  if (!Api.has('evaluator')) document.querySelector('#rollback-via option[value=evaluator]').disabled = true;
  Live.listen();
  await tick();
  document.body.dataset.ready = 'true';
  setInterval(tick, REFRESH_MS);
});
