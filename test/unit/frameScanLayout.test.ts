// The frame scanner's two halves share one source of numbers (src/core/scan/layout.ts): the compiled wasm reports
// the same offsets, neither half keeps a copy of its own, every result code has a meaning, and the regions fit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SCAN_CODES } from '../../src/core/scan/frameScan';
import { FRAME_SCAN_WASM_BASE64 } from '../../src/core/scan/frameScanWasm';
import * as L from '../../src/core/scan/layout';
import { MAX_FRAME_BYTES } from '../../src/core/types';

const SCAN_DIR = join(__dirname, '../../src/core/scan');
const read = (name: string): string => readFileSync(join(SCAN_DIR, name), 'utf8');
const names = Object.keys(L) as Array<keyof typeof L>;
const withPrefix = (p: string): number[] => names.filter((n) => n.startsWith(p)).map((n) => L[n]);

interface Exports {
  memory: { buffer: ArrayBuffer };
  layout(i: number): number;
}

/** The host tsconfig has no DOM lib, where the WebAssembly types live. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

function committedModule(): Exports {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const wasm = Buffer.from(FRAME_SCAN_WASM_BASE64, 'base64');
  return new api.Instance(new api.Module(wasm), {}).exports as Exports;
}

describe('the frame scanner\'s layout (layout.ts)', () => {
  it('is what the committed wasm reports through layout()', () => {
    const wasm = committedModule();
    const reported = [L.SLOT_KIND, L.SLOT_NUM, L.SLOT_A, L.SLOT_S, L.SLOT_E, L.KEY_IN, L.ITEMS, L.INPUT, L.SLOTS, L.KEY_IN_MAX];
    reported.forEach((value, i) => assert.equal(wasm.layout(i), value, `layout(${i})`));
    assert.ok(wasm.layout(10) <= L.SLOT_KIND, 'no static data below the tables (heap base)');
    assert.equal(wasm.layout(11), L.PAD);
    assert.equal(wasm.layout(12), L.GEN_AT);
    assert.ok(wasm.memory.buffer.byteLength >= L.INPUT + MAX_FRAME_BYTES + L.PAD, 'memory holds the largest frame and its padding');
  });

  it('is the only place either half defines these numbers', () => {
    for (const file of ['frameScan.as.ts', 'frameScan.ts', 'scanner.ts']) {
      const text = read(file);
      assert.match(text, /from '\.\/layout'/, `${file} imports layout.ts`);
      for (const name of names) assert.doesNotMatch(text, new RegExp(`\\b(const|let|var)\\s+${name}\\b`), `${file} defines its own ${name}`);
    }
  });

  it('holds only integer constants, so AssemblyScript reads it as TypeScript does', () => {
    const code = read('layout.ts').split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
    for (const line of code) assert.match(line, /^export const [A-Z][A-Z0-9_]* = \d+;( +\/\/ .*)?$/, line);
    for (const name of names) assert.ok(Number.isInteger(L[name]) && L[name] >= 0 && L[name] < 2 ** 31, name);
  });

  it('gives each value kind, rule and result code one meaning, and the JS half a name for every result', () => {
    for (const prefix of ['K_', 'R_', 'E_']) {
      const values = withPrefix(prefix);
      assert.equal(new Set(values).size, values.length, `${prefix}* values are distinct`);
    }
    assert.deepEqual(Object.keys(SCAN_CODES).map(Number).sort((a, b) => a - b), withPrefix('E_').sort((a, b) => a - b));
    assert.equal(new Set(Object.values(SCAN_CODES)).size, withPrefix('E_').length);
    assert.equal(SCAN_CODES[L.E_OK], 'ok');
  });

  it('lays out regions that do not overlap, in the order of their offsets', () => {
    const regions: Array<[string, number, number]> = [
      ['slot kinds', L.SLOT_KIND, L.SLOTS], ['slot numbers', L.SLOT_NUM, L.SLOTS * 8], ['slot A', L.SLOT_A, L.SLOTS * 4],
      ['slot S', L.SLOT_S, L.SLOTS * 4], ['slot E', L.SLOT_E, L.SLOTS * 4], ['key input', L.KEY_IN, L.KEY_IN_MAX],
      ['generation', L.GEN_AT, 4], ['node first', L.NODE_FIRST, L.NODES * 4], ['paths', L.PATHS, L.PATH_SLOTS * 32],
      ['keys', L.KEYS, L.KEYS_END - L.KEYS], ['node lengths', L.NODE_LENS, L.NODES * 8], ['key at', L.KEY_AT, L.PATH_SLOTS * 4],
      ['next at', L.NEXT_AT, L.PATH_SLOTS * 4], ['items', L.ITEMS, L.ITEM_MAX * L.ITEM_BYTES],
      ['intern table', L.ITABLE, L.ITABLE_SLOTS * 16], ['intern arena', L.IARENA, L.IARENA_END - L.IARENA],
      ['frame', L.INPUT, MAX_FRAME_BYTES + L.PAD],
    ];
    regions.sort((a, b) => a[1] - b[1]);
    for (let i = 1; i < regions.length; i++) {
      const [prev, at, size] = regions[i - 1];
      assert.ok(at + size <= regions[i][1], `${prev} (${at}+${size}) runs into ${regions[i][0]} (${regions[i][1]})`);
    }
    assert.ok(L.INTERN_MAX <= L.ITABLE_SLOTS / 2, 'the intern table stays at most half full');
    assert.ok(L.REQUIRED_SLOTS <= L.SLOTS);
  });
});
