// Runs in the browser, inside the report page that render.ts writes: reads the results JSON
// embedded in the page and draws one chart per figure family with Chart.js (inlined in the
// page, so the file works offline and from disk). Medians are drawn; the min–max of the
// repeats is in each tooltip, and a NOISY figure is drawn hatched-pale so nobody ranks on it.
// Sets window.reportReady (and window.reportCharts, for the browser test) when done.

const results = JSON.parse(document.getElementById('results').textContent);
const ms = results.measurements;
const charts = {};

const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];
const colorOf = (subject) => PALETTE[results.subjects.indexOf(subject) % PALETTE.length] ?? '#888';
const unique = (values) => [...new Set(values)];
const fmt = (v) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString());

// Chart.js sizes a chart from its container: each canvas gets a box of its own, as tall as
// its bars need, and the charts below fill it (maintainAspectRatio: false).
function canvasIn(id, heightPx = 360) {
  const holder = document.getElementById(id);
  if (holder === null) return null;
  const box = document.createElement('div');
  box.className = 'chart';
  box.style.height = `${heightPx}px`;
  const canvas = document.createElement('canvas');
  box.appendChild(canvas);
  holder.appendChild(box);
  return canvas;
}

Chart.defaults.maintainAspectRatio = false;
Chart.defaults.animation = false;

function tooltipFor(find) {
  return {
    callbacks: {
      label(item) {
        const m = find(item);
        if (m === undefined) return '';
        const spread = m.samples.length > 1 ? ` (min ${fmt(m.min)}, max ${fmt(m.max)}, n=${m.samples.length}${m.noisy ? ', NOISY' : ''})` : '';
        return `${item.dataset.label}: ${fmt(m.median)} ${m.unit}${spread}`;
      },
    },
  };
}

/** Horizontal bars, one per subject, one chart per case: throughput is jobs/s by case. */
function throughputCharts() {
  const rows = ms.filter((m) => m.scenario === 'throughput');
  for (const [i, kase] of unique(rows.map((m) => m.case)).entries()) {
    const mine = rows.filter((m) => m.case === kase);
    const canvas = canvasIn('chart-throughput', 70 + 24 * mine.length);
    if (canvas === null) return;
    const id = `throughput-${i}`;
    const values = mine.map((m) => m.median).filter((v) => v > 0);
    const logScale = Math.max(...values) / Math.min(...values) > 20;
    charts[id] = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: mine.map((m) => m.subject),
        datasets: [{ label: kase, data: mine.map((m) => m.median), backgroundColor: mine.map((m) => colorOf(m.subject) + (m.noisy ? '55' : 'dd')) }],
      },
      options: {
        indexAxis: 'y',
        plugins: { title: { display: true, text: `throughput, ${kase} (jobs/s${logScale ? ', log scale' : ''}; pale = NOISY)` }, legend: { display: false }, tooltip: tooltipFor((item) => mine[item.dataIndex]) },
        // A log scale only when the bars span more than 20×; otherwise linear reads truer.
        scales: { x: { type: logScale ? 'logarithmic' : 'linear', title: { display: true, text: 'jobs/s' } } },
      },
    });
  }
}

/** p99 submit→done against the offered rate, one line per runner: where each one saturates. */
function latencyChart() {
  const rows = ms.filter((m) => m.scenario === 'latency' && m.metric === 'p99 submit→done');
  const canvas = rows.length > 0 ? canvasIn('chart-latency') : null;
  if (canvas === null) return;
  const rate = (m) => Number(/rate=(\d+)/.exec(m.case)?.[1] ?? 0);
  const datasets = unique(rows.map((m) => m.subject)).map((subject) => {
    const mine = rows.filter((m) => m.subject === subject).sort((a, b) => rate(a) - rate(b));
    return { label: subject, data: mine.map((m) => ({ x: rate(m), y: m.median, m })), borderColor: colorOf(subject), backgroundColor: colorOf(subject) };
  });
  charts.latency = new Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      parsing: false,
      plugins: { title: { display: true, text: 'p99 submit→done (ms) against offered noop rate; timed from the intended send time' }, tooltip: tooltipFor((item) => item.raw.m) },
      scales: { x: { type: 'logarithmic', title: { display: true, text: 'offered jobs/s' } }, y: { type: 'logarithmic', title: { display: true, text: 'p99 ms' } } },
    },
  });
}

/** Bars per subject, one colour per case: for figures compared across subjects and cases. */
function groupedBars(scenario, metric, title, yTitle, logScale, colorOffset) {
  const rows = ms.filter((m) => m.scenario === scenario && m.metric === metric);
  const canvas = rows.length > 0 ? canvasIn(`chart-${scenario}`) : null;
  if (canvas === null) return;
  const subjects = unique(rows.map((m) => m.subject));
  const cases = unique(rows.map((m) => m.case));
  charts[scenario] = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: subjects,
      datasets: cases.map((kase, i) => ({ label: kase, data: subjects.map((s) => rows.find((m) => m.subject === s && m.case === kase)?.median ?? null), backgroundColor: PALETTE[(i + colorOffset) % PALETTE.length] })),
    },
    options: {
      plugins: { title: { display: true, text: title }, tooltip: tooltipFor((item) => rows.find((m) => m.subject === subjects[item.dataIndex] && m.case === cases[item.datasetIndex])) },
      scales: { y: { type: logScale ? 'logarithmic' : 'linear', title: { display: true, text: yTitle } } },
    },
  });
}

/** jobs/s against worker processes, one line per backend and job. */
function scaleOutChart() {
  const rows = ms.filter((m) => m.scenario === 'scale-out');
  const canvas = rows.length > 0 ? canvasIn('chart-scale-out') : null;
  if (canvas === null) return;
  const workers = (m) => Number(/workers=(\d+)/.exec(m.case)?.[1] ?? 0);
  const job = (m) => m.case.split(' workers=')[0];
  const series = unique(rows.map((m) => `${m.subject} · ${job(m)}`));
  charts['scale-out'] = new Chart(canvas, {
    type: 'line',
    data: {
      datasets: series.map((label, i) => {
        const mine = rows.filter((m) => `${m.subject} · ${job(m)}` === label).sort((a, b) => workers(a) - workers(b));
        return { label, data: mine.map((m) => ({ x: workers(m), y: m.median, m })), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length] };
      }),
    },
    options: {
      animation: false,
      parsing: false,
      plugins: { title: { display: true, text: 'jobs/s against worker processes on one queue' }, tooltip: tooltipFor((item) => item.raw.m) },
      scales: { x: { type: 'linear', title: { display: true, text: 'worker processes' }, ticks: { stepSize: 1 } }, y: { title: { display: true, text: 'jobs/s' } } },
    },
  });
}

throughputCharts();
latencyChart();
// Main-thread lag while draining cpu jobs and sleep jobs, side by side.
groupedBars('event-loop', 'lag p99', 'event-loop lag p99 (ms, log scale) while the subject drains jobs', 'lag p99 ms', true, 2);
// Memory held with N jobs accepted and not yet run.
groupedBars('memory', 'RSS growth', 'RSS growth (MB) with jobs accepted and not yet run', 'MB', false, 5);
scaleOutChart();
window.reportCharts = Object.fromEntries(Object.entries(charts).map(([id, chart]) => [id, chart.data.datasets.map((d) => d.data.length)]));
window.reportReady = true;
