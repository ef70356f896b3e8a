// The log channel's safety net: a registered token never reaches a log line.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { Log, redact, type LogChannel } from '../../src/app/log';

function fakeChannel(lines: string[]): LogChannel {
  const push = (level: string) => (msg: string) => { lines.push(`${level} ${msg}`); };
  return { info: push('info'), warn: push('warn'), error: push('error'), debug: push('debug'), trace: push('trace'), dispose: () => undefined } as LogChannel;
}

test('redact replaces every occurrence of every secret', () => {
  assert.equal(redact('a SECRET1 b SECRET1 c other42', ['SECRET1', 'other42']), 'a [redacted] b [redacted] c [redacted]');
  assert.equal(redact('nothing here', ['SECRET1']), 'nothing here');
  assert.equal(redact('abc', ['ab']), 'abc', 'very short values are not treated as secrets');
});

test('Log scrubs registered tokens at every level, and stops after removeSecret', () => {
  const lines: string[] = [];
  const log = new Log(fakeChannel(lines));
  const token = 'tok-1234567890';
  log.addSecret(token);
  log.info(`Bearer ${token}`);
  log.warn(`x${token}y`);
  log.error(token);
  log.debug(`url?token=${token}`);
  assert.equal(lines.length, 4);
  for (const line of lines) assert.ok(!line.includes(token), line);
  assert.deepEqual(lines, ['info Bearer [redacted]', 'warn x[redacted]y', 'error [redacted]', 'debug url?token=[redacted]']);
  assert.equal(log.redact(`error: ${token}`), 'error: [redacted]');
  log.removeSecret(token);
  log.info('plain');
  assert.equal(lines.at(-1), 'info plain');
});
