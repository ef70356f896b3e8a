// UI smoke test: the built extension in code-server, driven through headless Chromium like a user would.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  type Workbench, launchWorkbench, openViewContainer, runCommand, sidebarTitleActions, sidebarViewTitles, statusBarText,
  visibleErrors, waitForSidebarView,
  withScreenshotOnFailure,
} from './workbench';

let wb: Workbench;

before(async () => {
  wb = await launchWorkbench({ name: 'smoke' });
});

after(async () => {
  await wb?.close();
});

test('the status bar shows the Stream Liner item', async () => {
  await withScreenshotOnFailure(wb.page, 'smoke-status-bar', async () => {
    const text = await statusBarText(wb.page);
    assert.match(text, /Stream Liner/);
  });
});

test('the activity-bar icon opens the Calls view', async () => {
  await withScreenshotOnFailure(wb.page, 'smoke-activity-bar', async () => {
    await openViewContainer(wb.page, 'Stream Liner');
    const title = await waitForSidebarView(wb.page, 'Calls');
    assert.match(title, /stream liner/i);
    assert.deepEqual(await sidebarViewTitles(wb.page), ['Calls']);
  });
});

test('a palette command runs without an error notification', async () => {
  await withScreenshotOnFailure(wb.page, 'smoke-palette', async () => {
    await runCommand(wb.page, 'Stream Liner: Group by Agent');
    // Give a failing command the moment it needs to raise its notification.
    await wb.page.waitForTimeout(1000);
    assert.deepEqual(await visibleErrors(wb.page), []);
    // Its effect: the view's title bar now offers the way back (menus: groupByQueue when groupBy == agent).
    await wb.page.locator('.part.sidebar .title-actions .action-label[aria-label^="Group by Queue"]').waitFor({ state: 'visible', timeout: 10000 });
    assert.ok((await sidebarTitleActions(wb.page)).some((a) => a.startsWith('Group by Queue')));
  });
});
