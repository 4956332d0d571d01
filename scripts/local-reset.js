#!/usr/bin/env node
// npm run local:reset: deletes ./data (local mode's SQLite file, keys and token) so that the next
// npm start seeds the demo again; refused while a local service runs on it (its pid file says so).
'use strict';
const { existsSync, readFileSync, rmSync } = require('node:fs');

const PID_FILE = 'data/local-service.pid';

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const pid = existsSync(PID_FILE) ? Number(readFileSync(PID_FILE, 'utf8').trim()) : NaN;
if (Number.isInteger(pid) && pid > 0 && running(pid)) {
  process.stderr.write(`local:reset: the local service is running (pid ${pid}) on ./data: stop it first (Ctrl-C), then run npm run local:reset again\n`);
  process.exit(1);
}
rmSync('data', { recursive: true, force: true });
process.stdout.write('local data removed: the next npm start seeds the demo again\n');
