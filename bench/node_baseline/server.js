// The design the clinic booking app replaces, on its own stack: Node.js, Express and Socket.IO (the seed's MERN app,
// without the database and the sign-in check, both of which would only slow it down: they favour this side). An
// in-memory store holds each doctor's free slots per day; a change recomputes that day's slots once and `io.emit`s an
// availability event to EVERY socket; each browser showing that doctor refetches its day's slots over HTTP.
//
//   node server.js --port N [--host 127.0.0.1]
//
// Nothing forces a garbage collection: V8 collects as it would in production; /bench/stats reports what it did.
//
// Routes, mirroring bench/fanout/baseline_server.py:
//   GET  /book?doctor=&day=          the booking page (loads the slots, refetches on the event); its button
//                                    `data-testid=toggle` makes the change (Chromium clicks it in the benchmark) and
//                                    `data-testid=toggle-done` says `<count>: blocked|freed` once it is made
//   GET  /api/slots?doctor=&day=     {doctor_id, day, slots: [{starts_at, label}]}
//   POST /api/toggle?doctor=&day=    blocks the day's 14:00-14:30 (or ?at=HH:MM), or frees it again; then io.emit
//   GET  /bench/stats                counters, full garbage collections (count, longest, the last pauses),
//                                    process.cpuUsage() and process.memoryUsage()
//   GET  /health                     ready

'use strict';

const http = require('node:http');
const { PerformanceObserver, constants } = require('node:perf_hooks');
const express = require('express');
const { Server } = require('socket.io');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const PORT = Number(option('port', process.env.PORT || 8000));
const HOST = option('host', '127.0.0.1');

// The demo doctors' hours (services/accounts.py STANDARD_HOURS), every doctor, Monday to Friday, in UTC (the
// benchmark's clinic time zone), 30-minute slots.
const HOURS = [
  [9 * 60, 12 * 60],
  [13 * 60, 17 * 60],
];
const SLOT_MINUTES = 30;
const BLOCK_AT = 14 * 60; // the benchmark's change: this half hour is blocked, then freed again

const PAGE = `<!doctype html>
<html><head><title>Book an appointment</title><script src="/socket.io/socket.io.js"></script></head>
<body><h1>Book an appointment</h1><ul id="slots"></ul>
<button data-testid="toggle" id="toggle">Block or free 14:00</button> <span data-testid="toggle-done" id="done"></span>
<script>
const params = new URLSearchParams(location.search);
const asked = \`doctor=\${params.get('doctor')}&day=\${params.get('day')}\`;
async function load() {
  const response = await fetch(\`/api/slots?\${asked}\`);
  document.getElementById('slots').innerHTML =
    (await response.json()).slots.map((s) => \`<li><button>\${s.label}</button></li>\`).join('');
}
let changes = 0;
document.getElementById('toggle').onclick = async () => {
  const response = await fetch(\`/api/toggle?\${asked}\`, { method: 'POST' });
  changes += 1;
  document.getElementById('done').textContent = \`\${changes}: \${(await response.json()).done}\`;
};
io().on('availability_changed', (event) => { if (String(event.doctor_id) === params.get('doctor')) load(); });
load();
</script></body></html>`;

// --- the store: per doctor and day, the blocked half hours and the free slots computed from them ---

const days = new Map(); // `${doctor}|${day}` -> {blocked: Set<minute>, slots: [{starts_at, label}]}
const counters = { slotComputations: 0, slotReads: 0, changes: 0 };

function pad(n) {
  return String(n).padStart(2, '0');
}

function parseDay(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text || '')) return null;
  const day = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? null : day;
}

function computeSlots(day, text, blocked) {
  counters.slotComputations += 1;
  const weekday = day.getUTCDay(); // 0 Sunday .. 6 Saturday
  if (weekday === 0 || weekday === 6) return [];
  const slots = [];
  for (const [start, end] of HOURS) {
    for (let minute = start; minute + SLOT_MINUTES <= end; minute += SLOT_MINUTES) {
      if (blocked.has(minute)) continue;
      const label = `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
      slots.push({ starts_at: `${text}T${label}:00+00:00`, label });
    }
  }
  return slots;
}

function entry(doctor, text) {
  const key = `${doctor}|${text}`;
  let found = days.get(key);
  if (found === undefined) {
    const blocked = new Set();
    found = { blocked, slots: computeSlots(parseDay(text), text, blocked) };
    days.set(key, found);
  }
  return found;
}

function query(req, res) {
  const doctor = Number.parseInt(req.query.doctor, 10);
  const text = String(req.query.day || '');
  if (!Number.isInteger(doctor) || doctor < 1 || parseDay(text) === null) {
    res.status(422).json({ detail: 'doctor (a positive integer) and day (YYYY-MM-DD) are required' });
    return null;
  }
  return { doctor, text };
}

function toggle(doctor, text, minute) {
  const found = entry(doctor, text);
  const done = found.blocked.has(minute) ? 'freed' : 'blocked';
  if (done === 'freed') found.blocked.delete(minute);
  else found.blocked.add(minute);
  found.slots = computeSlots(parseDay(text), text, found.blocked); // once per change
  counters.changes += 1;
  io.emit('availability_changed', { doctor_id: doctor }); // to every socket, as the seed did
  return { done, slots: found.slots };
}

// --- garbage collections, as bench/fanout/gc_watch.py reports them ---

const KEPT = 1000; // the most recent pauses kept (the count goes on past it)
const collections = { full: 0, longestMs: 0, pausesMs: [] };
new PerformanceObserver((list) => {
  for (const gc of list.getEntries()) {
    const kind = gc.detail ? gc.detail.kind : gc.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      collections.full += 1;
      collections.longestMs = Math.max(collections.longestMs, gc.duration);
      collections.pausesMs.push(Math.round(gc.duration * 10) / 10);
      if (collections.pausesMs.length > KEPT) collections.pausesMs.shift();
    }
  }
}).observe({ entryTypes: ['gc'] });

// --- the server ---

const app = express();
app.disable('x-powered-by');
app.disable('etag'); // every refetch gets the slots, as the Python baseline's do
const server = http.createServer(app);
const io = new Server(server); // Socket.IO v4 (Engine.IO protocol 4), the version python-socketio 5 speaks

let sockets = 0;
io.on('connection', (socket) => {
  sockets += 1;
  socket.on('disconnect', () => {
    sockets -= 1;
  });
});

app.get('/book', (_req, res) => {
  res.type('html').send(PAGE);
});

app.get('/api/slots', (req, res) => {
  const asked = query(req, res);
  if (asked === null) return;
  counters.slotReads += 1;
  const found = entry(asked.doctor, asked.text);
  res.json({ doctor_id: asked.doctor, day: asked.text, slots: found.slots });
});

function change(req, res) {
  const asked = query(req, res);
  if (asked === null) return;
  let minute = BLOCK_AT;
  if (req.query.at !== undefined) {
    const match = /^(\d{2}):(\d{2})$/.exec(String(req.query.at));
    if (match === null) {
      res.status(422).json({ detail: 'at must be HH:MM' });
      return;
    }
    minute = Number(match[1]) * 60 + Number(match[2]);
  }
  res.json(toggle(asked.doctor, asked.text, minute));
}

app.post('/api/toggle', change);

app.get('/bench/stats', (_req, res) => {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  res.json({
    full_gcs: collections.full,
    longest_full_gc_ms: Math.round(collections.longestMs * 10) / 10,
    full_gc_pauses_ms: collections.pausesMs,
    slot_computations: counters.slotComputations,
    slot_reads: counters.slotReads,
    changes: counters.changes,
    queries: 0, // no database
    clients: sockets,
    cpu_user_s: cpu.user / 1e6,
    cpu_system_s: cpu.system / 1e6,
    rss_bytes: memory.rss,
    heap_used_bytes: memory.heapUsed,
    heap_total_bytes: memory.heapTotal,
    external_bytes: memory.external,
  });
});

app.get('/health', (_req, res) => {
  res.json({ ok: true });
});

function stop() {
  io.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

server.listen(PORT, HOST, () => {
  console.log(`node baseline listening on http://${HOST}:${PORT}`);
});
