// A cloned repository cannot send the statistics token anywhere: its .vscode/settings.json points streamLiner.url at a
// loopback "trap" server of this test (which records every HTTP request and upgrade it gets) and turns autoConnect on,
// while the user's settings point at the test's simulator. Neither Connect, a window reload with the stored token,
// nor rewriting the folder's settings while connected reaches the trap; in Restricted Mode the extension still runs.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { SimulatorServer } from '../../src/simulator/server';
import {
  type Workbench, launchWorkbench, openViewContainer, runCommand, runCommandWithInput, statusBarItem, statusBarText, withScreenshotOnFailure,
} from './workbench';

const TOKEN = `sl-ui-${randomBytes(12).toString('hex')}`;

/** A loopback HTTP server that answers nothing useful and records every request and upgrade it receives. */
async function startTrap(): Promise<{ url: string; requests: string[]; stop(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ? '(with Authorization)' : ''}`);
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket) => {
    requests.push(`UPGRADE ${req.url} ${req.headers.authorization ? '(with Authorization)' : ''}`);
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}

/** The status bar shows the connected icon: the user's feeds are up. */
async function waitConnected(page: Page): Promise<void> {
  await statusBarItem(page).locator('.codicon-pass-filled').waitFor({ state: 'visible', timeout: 60000 });
}

/** Set Token through the palette; the box must name the simulator's origin (the user's url, not the folder's). */
async function setTokenForUserOrigin(page: Page, sim: SimulatorServer): Promise<void> {
  const sealedBefore = await sealedSecrets(page);
  const title = await runCommandWithInput(page, 'Stream Liner: Set Token', 'Set Token for', TOKEN);
  assert.ok(title.includes(`ws://127.0.0.1:${sim.port}`), `the token box names the user's origin: ${title}`);
  await page.locator('.notifications-toasts', { hasText: 'stored in VS Code' }).first().waitFor({ timeout: 20000 });
  // code-server's secret store answers set() at once and seals the secrets into localStorage afterwards (a key fetched
  // from the server, then AES): a reload before that lands would lose the token, so wait for the sealed copy to change.
  await page.waitForFunction(`${SEALED} !== ${JSON.stringify(sealedBefore)}`, undefined, { timeout: 30000 });
}

/** code-server's sealed copy of the browser's secrets, or null before the first secret is stored. */
const SEALED = 'localStorage.getItem("secrets.provider")';
function sealedSecrets(page: Page): Promise<string | null> {
  return page.evaluate(SEALED) as Promise<string | null>;
}

type Trap = Awaited<ReturnType<typeof startTrap>>;

/** Connect through the palette; whichever server is reached first, the trap must have seen nothing. */
async function connectToUserOrigin(page: Page, sim: SimulatorServer, trap: Trap): Promise<void> {
  await runCommand(page, 'Stream Liner: Connect');
  for (const until = Date.now() + 60000; sim.clientCount() < 3 && trap.requests.length === 0 && Date.now() < until;) await page.waitForTimeout(100);
  assert.deepEqual(trap.requests, [], 'requests to the folder\'s url after Connect');
  await waitConnected(page);
  assert.equal(sim.clientCount(), 3, 'the user\'s three feeds');
}

async function withServers(body: (sim: SimulatorServer, trap: Trap) => Promise<void>): Promise<void> {
  const sim = new SimulatorServer({ token: TOKEN, host: '127.0.0.1', port: 0, autoplay: false });
  await sim.start();
  const trap = await startTrap();
  try {
    await body(sim, trap);
  } finally {
    await sim.stop();
    await trap.stop();
  }
}

test('a folder\'s streamLiner.url and autoConnect never receive the token: on Connect, on reload, or when rewritten', async () => {
  await withServers(async (sim, trap) => {
    const wb: Workbench = await launchWorkbench({
      name: 'security',
      settings: { 'streamLiner.url': trap.url, 'streamLiner.autoConnect': true },
      userSettings: { 'streamLiner.url': sim.url, 'streamLiner.autoConnect': true, 'streamLiner.alerts.notify': false },
    });
    try {
      await withScreenshotOnFailure(wb.page, 'security-workspace-url', async () => {
        const page = wb.page;
        assert.match(await statusBarText(page), /Stream Liner/);
        await openViewContainer(page, 'Stream Liner');
        await setTokenForUserOrigin(page, sim);
        await connectToUserOrigin(page, sim, trap);

        // Reload: autoConnect (the user's) connects with the stored token, to the user's url only.
        const connectionsBefore = sim.stats.connections;
        await page.reload();
        await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
        await waitConnected(page);
        assert.ok(sim.stats.connections >= connectionsBefore + 3, 'reconnected to the user\'s simulator after the reload');
        assert.deepEqual(trap.requests, [], 'requests to the folder\'s url after a reload');

        // A `git pull` rewrites the folder's settings while connected. groupBy (a window setting) shows the file was read.
        writeFileSync(join(wb.folder, '.vscode', 'settings.json'), `${JSON.stringify({
          'streamLiner.url': `${trap.url}/moved`, 'streamLiner.autoConnect': true, 'streamLiner.groupBy': 'agent',
        }, null, 2)}\n`);
        await runCommand(page, 'View: Show Stream Liner');
        await page.locator('.part.sidebar .title-actions .action-label[aria-label^="Group by Queue"]').waitFor({ state: 'visible', timeout: 30000 });
        await page.waitForTimeout(2000); // a reconnect, if any, would have started by now
        await waitConnected(page);
        assert.equal(sim.clientCount(), 3, 'the user\'s feeds stay up');
        assert.deepEqual(trap.requests, [], 'requests to the folder\'s url after it was rewritten');
      });
    } finally {
      await wb.close();
    }
  });
});

test('in Restricted Mode ("Don\'t Trust") the extension runs and the folder\'s url is ignored', async () => {
  await withServers(async (sim, trap) => {
    const wb = await launchWorkbench({
      name: 'security-restricted',
      workspaceTrust: true,
      settings: { 'streamLiner.url': trap.url, 'streamLiner.autoConnect': true },
      userSettings: { 'streamLiner.url': sim.url, 'streamLiner.alerts.notify': false },
    });
    try {
      await withScreenshotOnFailure(wb.page, 'security-restricted', async () => {
        const page = wb.page;
        const dontTrust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don't trust the authors|Don't Trust/ });
        await dontTrust.first().waitFor({ state: 'visible', timeout: 60000 });
        // Keyboard, not a click: the dialog may still be moving into place, and a click could land on its Learn More link.
        await dontTrust.first().focus();
        await page.keyboard.press('Enter');
        await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: 20000 });
        await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).waitFor({ state: 'visible', timeout: 30000 });
        // Close the Restricted Mode banner: the palette helper clicks the top of the window, where its Learn More link is.
        const banner = page.locator('.part.banner');
        await banner.locator('.monaco-action-bar .action-label').last().click();
        await banner.waitFor({ state: 'hidden', timeout: 10000 });

        // The extension is active: its status bar item is there, and its commands run.
        assert.match(await statusBarText(page), /Stream Liner/);
        await setTokenForUserOrigin(page, sim);
        await connectToUserOrigin(page, sim, trap);
      });
    } finally {
      await wb.close();
    }
  });
});
