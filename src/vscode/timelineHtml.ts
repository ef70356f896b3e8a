// The timeline webview's page. Pure (no vscode import) so the Chromium test serves exactly this HTML.
// The CSP is strict: nothing inline except what carries the per-render nonce. The toolkit (FAST) inserts
// some <style> elements from script; it reads the nonce from <meta property="csp-nonce">, which is why
// style-src carries the nonce too (docs/architecture.md, the timeline webview). Never 'unsafe-inline'.
import { secureRandomBytes } from '../app/secureRandom';

export interface TimelineHtmlOptions {
  /** `webview.cspSource`: the origin the built script and stylesheet are served from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  /** The call this panel shows; the webview keeps it with setState for restore after a reload. */
  callId: string;
}

/** A fresh nonce per render: 128 random bits, base64 without padding characters that need escaping. */
export function createNonce(): string {
  return secureRandomBytes(16).toString('base64').replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''));
}

/** The page's Content-Security-Policy. */
export function timelineCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML attribute value or text node. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function timelineHtml(options: TimelineHtmlOptions): string {
  const nonce = escapeHtml(options.nonce);
  const csp = escapeHtml(timelineCsp(options.cspSource, options.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="stream-liner-call" content="${escapeHtml(options.callId)}">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}" nonce="${nonce}">
<title>Call timeline</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="status">Loading the call…</p></main>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
