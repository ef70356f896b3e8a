// Foundation checks from inside a real extension host: activation, contributed commands, the Calls view.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'streamliner.stream-liner';

interface Manifest {
  contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
}

async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the extension host`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

suite('Stream Liner extension', () => {
  test('is present and activates', async () => {
    const ext = await activeExtension();
    assert.equal(ext.isActive, true);
  });

  test('registers exactly the streamLiner.* commands it contributes', async () => {
    const ext = await activeExtension();
    const manifest = JSON.parse(readFileSync(join(ext.extensionPath, 'package.json'), 'utf8')) as Manifest;
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    // View commands that VS Code itself generates (e.g. streamLiner.calls.focus) are not the extension's.
    const viewIds = Object.values(manifest.contributes.views).flat().map((v) => v.id);
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('streamLiner.'))
      .filter((id) => !viewIds.some((view) => id.startsWith(`${view}.`)))
      .sort();
    assert.deepEqual(registered, contributed);
  });

  test('contributes the streamLiner.calls view, which can be focused', async () => {
    await activeExtension();
    await vscode.commands.executeCommand('streamLiner.calls.focus');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('streamLiner.calls.focus'));
  });
});
