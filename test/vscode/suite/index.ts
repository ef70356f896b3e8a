// Entry point of the extension-host suite, @vscode/test-electron style: VS Code loads this module and awaits run().
// Mocha's reporter output inside the extension host is invisible to the harness, so each result line is also
// appended to STREAM_LINER_TEST_OUTPUT (set by the harness), which the harness echoes as it grows.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

function makeWriter(): (line: string) => void {
  const file = process.env.STREAM_LINER_TEST_OUTPUT;
  return (line: string) => {
    console.log(line);
    if (file) {
      try {
        appendFileSync(file, `${line}\n`);
      } catch {
        // The console line above is still there.
      }
    }
  };
}

export function run(): Promise<void> {
  const write = makeWriter();
  const mocha = new Mocha({ ui: 'tdd', timeout: 30000, color: false, reporter: 'dot' });
  // Compiled suite files sit next to this module (out/test/vscode/suite/*.test.js).
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    let passing = 0;
    let failing = 0;
    const started = Date.now();
    const runner = mocha.run((failures) => {
      write('');
      write(`  ${passing} passing (${Date.now() - started}ms)`);
      if (failing) write(`  ${failing} failing`);
      if (failures > 0 || passing + failing === 0) {
        reject(new Error(passing + failing === 0 ? 'No extension-host tests ran.' : `${failures} extension-host test(s) failed.`));
      } else {
        resolve();
      }
    });
    runner.on('suite', (suite) => {
      if (suite.title) write(`  ${suite.title}`);
    });
    runner.on('pass', (test) => {
      passing++;
      write(`    ✔ ${test.title} (${test.duration ?? 0}ms)`);
    });
    runner.on('fail', (test, err) => {
      failing++;
      write(`    ✖ ${test.fullTitle()}`);
      const e = err as Error;
      for (const line of String(e?.stack ?? e?.message ?? err).split('\n').slice(0, 12)) write(`      ${line}`);
    });
  });
}
