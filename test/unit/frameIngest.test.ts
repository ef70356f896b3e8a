// FrameIngest, the one way from a frame to the store: the scanner's facts first, then bytes the store already holds,
// then the decoder; rejects counted by reason and the first few of each logged; a throwing part never stops the stream.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import type { DocFacts } from '../../src/core/facts';
import { FrameIngest, frameBytes, type FrameScanner, type IngestTarget } from '../../src/core/ingest/frameIngest';
import { describeRejects } from '../../src/core/ingest/rejections';
import { frameScanAvailable } from '../../src/core/scan/frameScan';
import { CallStore } from '../../src/core/store';

const T0 = 1_700_000_000_000;
const BOM = '\ufeff';

function frame(id: string, extra: object = {}): Buffer {
  return Buffer.from(JSON.stringify({ id_call: id, active: 1, time: { start: T0 }, call_direction: 'incoming', ...extra }));
}

/** A CallStore whose every call through its two ways in is recorded. */
function spied(store = new CallStore({ now: () => T0 })): { target: IngestTarget; store: CallStore; calls: string[] } {
  const calls: string[] = [];
  const target: IngestTarget = {
    ingestFacts: (feed, facts, bytes, at) => {
      calls.push(`facts ${feed} ${facts.id_call}`);
      return store.ingestFacts(feed, facts, bytes, at);
    },
    ingest: (decoded, at) => {
      calls.push(`decoded ${decoded.feed} ${decoded.doc.id_call}`);
      return store.ingest(decoded, at);
    },
  };
  return { target, store, calls };
}

function logs(): { logger: { warn(m: string): void; error(m: string): void }; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: { warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) } };
}

describe('FrameIngest', () => {
  it('reads a frame the scanner can read by its facts alone, without the decoder', () => {
    assert.ok(frameScanAvailable(), 'the wasm scanner loads');
    const s = spied();
    const ingest = new FrameIngest(s.target);
    assert.equal(ingest.accept('calls', frame('c1'), T0), 'changed');
    assert.equal(ingest.accept('calls', frame('c1'), T0 + 1), 'unchanged', 'a re-send changes nothing');
    assert.deepEqual(s.calls, ['facts calls c1', 'facts calls c1']);
    assert.equal(s.store.getCall('c1')!.state, 'dialling');
    assert.deepEqual(ingest.counts(), { frames: 2, scanned: 2, decoded: 0, rejected: {} });
  });

  it('a frame the scanner leaves is decoded; its re-send is decoded too and changes nothing', () => {
    const s = spied();
    const ingest = new FrameIngest(s.target);
    const bytes = Buffer.from(BOM + frame('b1').toString()); // the scanner leaves frames with a byte-order mark
    assert.equal(ingest.accept('calls', bytes, T0), 'changed');
    assert.equal(ingest.accept('calls', Buffer.from(bytes), T0 + 1), 'unchanged');
    assert.deepEqual(s.calls, ['decoded calls b1', 'decoded calls b1']);
    assert.deepEqual(ingest.counts(), { frames: 2, scanned: 0, decoded: 2, rejected: {} });
  });

  it('with the scanner off, every frame goes to the decoder', () => {
    const s = spied();
    const ingest = new FrameIngest(s.target, { scan: false });
    ingest.accept('queues', frame('q1', { queue: { id: 'q', name: 'Support', timestart: T0 } }), T0);
    assert.deepEqual(s.calls, ['decoded queues q1']);
  });

  it('joins a fragmented frame once and reads an ArrayBuffer, so every route sees one Buffer of the whole frame', () => {
    const seen: Buffer[] = [];
    const scan: FrameScanner = (bytes) => {
      seen.push(bytes);
      return undefined;
    };
    const s = spied();
    const ingest = new FrameIngest(s.target, { scan });
    const text = frame('f1').toString();
    assert.equal(ingest.accept('calls', [Buffer.from(text.slice(0, 9)), Buffer.from(text.slice(9))], T0), 'changed');
    const copy = new Uint8Array(Buffer.from(frame('f2')));
    assert.equal(ingest.accept('calls', copy.buffer, T0), 'changed');
    assert.deepEqual(seen.map((b) => [Buffer.isBuffer(b), b.toString()]), [[true, text], [true, frame('f2').toString()]]);
    assert.deepEqual(s.calls, ['decoded calls f1', 'decoded calls f2']);
    const one = Buffer.from('x');
    assert.equal(frameBytes(one), one, 'a whole Buffer is used as it is');
  });

  it('counts rejects by reason and logs the first few of each, one line each, cut short', () => {
    const s = spied();
    const l = logs();
    const ingest = new FrameIngest(s.target, { logger: l.logger, rejectLogLimit: 3 });
    for (let i = 0; i < 6; i++) assert.equal(ingest.accept('agents', Buffer.from(`garbage\n${'x'.repeat(1000)} ${i}`), T0), 'rejected');
    ingest.accept('agents', Buffer.from('[]'), T0);
    ingest.accept('agents', Buffer.from('{"nope":1}'), T0);
    ingest.accept('agents', frame('a1'), T0);
    const counts = ingest.counts();
    assert.deepEqual(counts.rejected, { invalid_json: 6, not_an_object: 1, missing_id_call: 1 });
    assert.equal(counts.frames, 9);
    assert.equal(describeRejects(counts.rejected), 'invalid_json=6, not_an_object=1, missing_id_call=1');
    assert.equal(describeRejects({}), '');
    const invalid = l.lines.filter((m) => m.includes('invalid_json'));
    assert.equal(invalid.length, 3, 'the first 3 per reason');
    assert.match(invalid[0], /^warn: Rejected a agents frame \(invalid_json, 1 so far\): /);
    assert.match(invalid[2], /only counted\.$/);
    assert.ok(invalid.every((m) => m.length < 400 && !m.includes('\n')), 'one line, truncated');
    assert.equal(l.lines.length, 5, 'one line each for the other two reasons');
    counts.rejected.invalid_json = 0;
    assert.equal(ingest.counts().rejected.invalid_json, 6, 'counts() gives a copy');
  });

  it('a throwing scanner or store is logged and the stream goes on', () => {
    const l = logs();
    const store = new CallStore({ now: () => T0 });
    let fail = '';
    const target: IngestTarget = {
      ingestFacts: (...a) => { if (fail === 'facts') throw new Error('facts bug'); return store.ingestFacts(...a); },
      ingest: (...a) => { if (fail === 'decoded') throw new Error('store bug'); return store.ingest(...a); },
    };
    const scan: FrameScanner = (bytes, feed) => {
      if (fail === 'scan') throw new Error('scanner bug');
      return bytes.includes('scan') ? ({ id_call: `${feed}-scan` } as DocFacts) : undefined;
    };
    const ingest = new FrameIngest(target, { logger: l.logger, scan });
    const steps: Array<[string, string, string]> = [['scan', 'x1', 'changed'], ['decoded', 'x3', 'failed'], ['facts', 'scan', 'failed']];
    for (const [what, id, outcome] of steps) {
      fail = what;
      assert.equal(ingest.accept('calls', frame(id), T0), outcome, what);
    }
    assert.deepEqual(l.lines, [
      'error: Scanning a calls frame failed: scanner bug',
      'error: Handling a calls document failed: store bug',
      'error: Handling a calls document failed: facts bug',
    ]);
    fail = '';
    assert.equal(ingest.accept('calls', frame('x4'), T0), 'changed');
    assert.deepEqual(['x1', 'x3', 'x4'].map((id) => store.getCall(id) !== undefined), [true, false, true]);
  });

  it('is the only caller of the store\'s ingest methods in src/', () => {
    const root = join(__dirname, '../../src');
    const callers: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ts$/.test(name) && /\.(ingest|ingestFacts)\(/.test(readFileSync(path, 'utf8'))) callers.push(relative(root, path));
      }
    };
    walk(root);
    assert.deepEqual(callers, ['core/ingest/frameIngest.ts']);
  });
});
