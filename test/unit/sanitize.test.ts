// The sanitisers of src/shared/sanitize.ts, each tried with the whole hostile corpus.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  displayJson, markdownText, panelTitleText, plainText, quickPickText, safeLine, TEXT_CAPS, treeText, webviewText,
} from '../../src/shared/sanitize';
import {
  COMMAND_LINK, CONTROL_CHARACTERS, DIRECTION_CONTROLS, FORBIDDEN_CHARACTERS, HOSTILE_CLOSE_REASON, HOSTILE_SAMPLES, HUGE_NAME,
  ICON_SYNTAX, LINK_SYNTAX, PHISHING_LINK, unescapeMarkdown,
} from '../support/hostileCorpus';

const SURFACES: ReadonlyArray<{ name: string; fn: (text: unknown) => string; cap: number; shown: (s: string) => string; icons: boolean; links: boolean }> = [
  { name: 'treeText', fn: (t) => treeText(t), cap: TEXT_CAPS.treeLabel, shown: (s) => s, icons: true, links: true },
  { name: 'plainText', fn: (t) => plainText(t), cap: TEXT_CAPS.notification, shown: (s) => s, icons: false, links: false },
  { name: 'markdownText', fn: (t) => markdownText(t), cap: TEXT_CAPS.markdown, shown: unescapeMarkdown, icons: false, links: false },
  { name: 'quickPickText', fn: (t) => quickPickText(t), cap: TEXT_CAPS.quickPick, shown: (s) => s, icons: false, links: true },
  { name: 'panelTitleText', fn: (t) => panelTitleText(t), cap: TEXT_CAPS.panelTitle, shown: (s) => s, icons: true, links: true },
  { name: 'webviewText', fn: (t) => webviewText(t), cap: TEXT_CAPS.webview, shown: (s) => s, icons: true, links: true },
];

describe('every sanitiser against the hostile corpus', () => {
  for (const surface of SURFACES) {
    test(surface.name, () => {
      for (const { label, text } of HOSTILE_SAMPLES) {
        const out = surface.fn(text);
        const shown = surface.shown(out); // markdown: what the reader sees once the escapes are read
        assert.ok(!FORBIDDEN_CHARACTERS.test(shown), `${label}: a control character is left in ${JSON.stringify(out)}`);
        assert.ok(shown.length <= surface.cap, `${label}: ${shown.length} characters, cap ${surface.cap}`);
        assert.equal(shown, shown.trim(), `${label}: one trimmed line`);
        assert.ok(!/\s\s/.test(shown), `${label}: whitespace runs collapse`);
        if (text.length > surface.cap + 20) assert.ok(shown.endsWith('…'), `${label}: a cut text ends with an ellipsis`);
        // Whatever was kept is the input's own text: nothing invented, only controls dropped and brackets softened.
        const letters = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
        assert.ok(letters(text).startsWith(letters(shown.replace(/…$/, ''))), `${label}: ${JSON.stringify(shown)} keeps the text`);
        if (!surface.icons) assert.ok(!ICON_SYNTAX.test(shown), `${label}: icon syntax left in ${JSON.stringify(out)}`);
        if (!surface.links) {
          assert.ok(!LINK_SYNTAX.test(out), `${label}: link syntax left in ${JSON.stringify(out)}`);
          assert.ok(!/(^|[^\\])\[/.test(out), `${label}: an unescaped bracket is left in ${JSON.stringify(out)}`);
        }
      }
    });
  }
});

describe('the base', () => {
  test('direction controls are removed, control characters become one space', () => {
    assert.equal(safeLine('Anna \u202eresu\u202c Grill', 80), 'Anna resu Grill');
    assert.equal(safeLine(`Queue${DIRECTION_CONTROLS.join('')}Name`, 80), 'QueueName');
    assert.equal(safeLine(`a${CONTROL_CHARACTERS.join('')}b`, 80), 'a b');
    assert.equal(safeLine('a\nb\r\n\tc\u0000d', 80), 'a b c d');
    assert.equal(safeLine('  spaced \u00a0 out  ', 80), 'spaced out');
  });

  test('a clean text comes back as it is (the fast path), non-text gives the empty string', () => {
    const clean = 'Anna Grill +46 70 123 45 67 [x](y) $(zap) <b>';
    assert.equal(safeLine(clean, 80), clean);
    assert.equal(safeLine(undefined, 80), '');
    assert.equal(safeLine(null, 80), '');
    assert.equal(safeLine(42, 80), '42');
    assert.equal(safeLine(Number.NaN, 80), '');
    assert.equal(safeLine({ toString: () => 'x' }, 80), '');
  });

  test('a 10 kB name is cut to the cap with an ellipsis; a surrogate pair is never split', () => {
    const out = safeLine(HUGE_NAME, 80);
    assert.equal(out.length, 80);
    assert.ok(out.startsWith('Support WWW'));
    assert.ok(out.endsWith('…'));
    const emoji = safeLine('😀'.repeat(100), 12);
    assert.ok(emoji.length <= 12);
    assert.doesNotMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate');
    // Far past the cap, spaces that collapse still leave a cut text marked as cut.
    const padded = safeLine(`Name${' '.repeat(5000)}tail`, 80);
    assert.equal(padded, 'Name…');
  });
});

describe('each surface', () => {
  test('notification and status bar text: the close reason of issue 28 has no link and no command link', () => {
    assert.equal(plainText(HOSTILE_CLOSE_REASON, 200),
      'Maintenance: (Re-enter your token)(https://evil.example/login) (Open)(command:workbench.action.terminal.new)');
    assert.equal(plainText('Support $(zap) $(sync~spin)'), 'Support $ (zap) $ (sync~spin)');
    assert.equal(plainText(`Queue\n${COMMAND_LINK}`), 'Queue (Open)(command:workbench.action.terminal.new)');
  });

  test('markdown tooltip text: every punctuation character escaped, icons broken up, reads back as the text', () => {
    const out = markdownText(PHISHING_LINK);
    assert.equal(out, '\\[Re\\-enter your token\\]\\(https\\:\\/\\/evil\\.example\\/login\\)');
    assert.equal(unescapeMarkdown(markdownText('<img src=x onerror=alert(1)> **b** $(zap)')), '<img src=x onerror=alert(1)> **b** $ (zap)');
    assert.equal(markdownText('line1\nline2'), 'line1 line2');
    // The cap counts what is shown, not the escapes.
    assert.equal(unescapeMarkdown(markdownText('['.repeat(500), 10)), `${'['.repeat(9)}…`);
  });

  test('quick pick text keeps brackets (no links there) but no icons; tree, title and webview keep the text', () => {
    assert.equal(quickPickText('Sales $(zap) [1]'), 'Sales $ (zap) [1]');
    assert.equal(treeText('Sales $(zap) [1]'), 'Sales $(zap) [1]');
    assert.equal(panelTitleText('+46\u202e70 123'), '+4670 123');
    assert.equal(webviewText('<b>\u2067Anna</b>'), '<b>Anna</b>');
    assert.equal(treeText(HUGE_NAME).length, TEXT_CAPS.treeLabel);
    assert.equal(treeText(HUGE_NAME, 40).length, 40);
  });

  test('the JSON view: the same document, with controls and direction controls written as escapes', () => {
    const doc: Record<string, unknown> = { [`key${DIRECTION_CONTROLS.join('')}`]: HOSTILE_SAMPLES.map((x) => x.text), n: 1, nested: { c: CONTROL_CHARACTERS.join('') } };
    const json = displayJson(doc);
    assert.ok(!FORBIDDEN_CHARACTERS.test(json.replace(/\n/g, ' ')), 'nothing invisible left but the layout\'s line breaks');
    assert.deepEqual(JSON.parse(json), doc);
    assert.ok(json.includes('key\\u200e\\u200f\\u061c\\u202a'));
    assert.equal(displayJson(undefined), 'null');
  });
});
