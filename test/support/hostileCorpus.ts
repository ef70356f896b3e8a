// What a hostile or broken server can put in a name, number, reason or close reason. One corpus for the unit tests of
// src/shared/sanitize.ts and for the surfaces that show feed text (tree, status bar, notifications, quick picks,
// panel title, webview), so every surface is tried with the same inputs.

export const PHISHING_LINK = '[Re-enter your token](https://evil.example/login)';
export const COMMAND_LINK = '[Open](command:workbench.action.terminal.new)';
/** The close reason of issue 28 (close code 4000). */
export const HOSTILE_CLOSE_REASON = `Maintenance: ${PHISHING_LINK} ${COMMAND_LINK}`;

/** Markup that must stay text. */
export const RAW_HTML = '<img src=x onerror=alert(1)><a href="https://evil.example">click</a><script>alert(2)</script>';

/** Every direction control the sanitiser removes. */
export const DIRECTION_CONTROLS = [
  '\u200e', '\u200f', '\u061c', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
] as const;

/** Control characters: NUL, ESC, CR, LF, TAB, DEL, C1 (NEL, CSI), line and paragraph separators. */
export const CONTROL_CHARACTERS = ['\u0000', '\u001b', '\r', '\n', '\t', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029'] as const;

/** A name of 10 kB. */
export const HUGE_NAME = `Support ${'W'.repeat(10_240)}`;

export interface HostileSample {
  readonly label: string;
  readonly text: string;
}

export const HOSTILE_SAMPLES: readonly HostileSample[] = [
  { label: 'markdown link', text: `Sales ${PHISHING_LINK}` },
  { label: 'command link', text: `Sales ${COMMAND_LINK}` },
  { label: 'close reason', text: HOSTILE_CLOSE_REASON },
  { label: 'icon syntax', text: 'Support $(zap) $(sync~spin) $(key)' },
  { label: 'markdown emphasis, heading, image', text: '# Heading **bold** _em_ ![x](https://evil.example/x.png) `code` > quote' },
  { label: 'raw HTML', text: RAW_HTML },
  { label: 'autolinks', text: '<https://evil.example> www.evil.example https://evil.example/a mail@evil.example' },
  { label: 'entities', text: '&lt;b&gt; &#91;x&#93;(https://evil.example)' },
  { label: 'right-to-left override', text: 'Anna \u202eresu\u202c Grill' },
  { label: 'every direction control', text: `Queue${DIRECTION_CONTROLS.join('')}Name` },
  { label: 'control characters', text: `Line1${CONTROL_CHARACTERS.join('')}Line2` },
  { label: 'line breaks then a link', text: `Queue\n\n${PHISHING_LINK}` },
  { label: '10 kB name', text: HUGE_NAME },
  { label: '10 kB with a link at the end', text: `${'x '.repeat(5000)}${PHISHING_LINK}` },
];

/** What no sanitised text may contain, whatever the surface. */
// eslint-disable-next-line no-control-regex
export const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** A link any surface could render: `[label](target)`. */
export const LINK_SYNTAX = /\[[^\]]*\]\(/;
/** Icon syntax VS Code renders in status bar text, quick picks and theme-icon Markdown. */
export const ICON_SYNTAX = /\$\([A-Za-z0-9-]+(~[A-Za-z]+)?\)/;

/** Removes Markdown backslash escapes; throws on an ASCII punctuation character left unescaped. */
export function unescapeMarkdown(md: string): string {
  let out = '';
  for (let i = 0; i < md.length; i++) {
    const c = md[i];
    if (c === '\\') {
      out += md[++i] ?? '';
      continue;
    }
    if (/[!-/:-@[-`{-~]/.test(c)) throw new Error(`unescaped ${JSON.stringify(c)} at ${i} in ${JSON.stringify(md)}`);
    out += c;
  }
  return out;
}
