// Base URL rules: wss:// anywhere, ws:// only to loopback, nothing else; feed URL joining; token checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkToken, feedUrl, InsecureUrlError, InvalidTokenError, isLoopbackHost, originOf, requireSafeBaseUrl, validateBaseUrl } from '../../src/feed/url';

describe('validateBaseUrl', () => {
  it('accepts wss:// to any host and ws:// to loopback', () => {
    for (const url of [
      'wss://statistics-webhook.telavox.se', 'wss://example.com:8443/base/', 'ws://127.0.0.1:8787', 'ws://127.9.8.7', 'ws://localhost:1',
      'ws://LOCALHOST', 'ws://[::1]:8787/x', 'ws://[0:0:0:0:0:0:0:1]', 'ws://127.1', ' wss://trimmed.example ',
    ]) {
      assert.deepEqual(validateBaseUrl(url), { ok: true }, url);
    }
  });

  it('refuses plain ws:// to anything but loopback, naming the fix', () => {
    for (const url of ['ws://example.com', 'ws://10.0.0.1:80', 'ws://128.0.0.1', 'ws://[::2]', 'ws://localhost.example.com', 'ws://127.0.0.1.nip.io', 'ws://0.0.0.0']) {
      const r = validateBaseUrl(url);
      assert.equal(r.ok, false, url);
      if (!r.ok) {
        assert.match(r.message, /wss:\/\//, url);
        assert.match(r.message, /streamLiner\.url/, url);
      }
    }
  });

  it('refuses every other scheme, credentials in the URL, fragments and garbage', () => {
    const cases: Array<[string, RegExp]> = [
      ['https://example.com', /must start with wss:\/\//], ['http://127.0.0.1', /must start with wss:\/\//],
      ['ws+unix:/tmp/sock', /must start with wss:\/\//], ['file:///etc/passwd', /must start with wss:\/\//],
      ['wss://user:pw@example.com', /user name or password/], ['wss://example.com/#x', /fragment/],
      ['not a url', /not a valid URL/], ['', /not a valid URL/],
    ];
    for (const [url, re] of cases) {
      const r = validateBaseUrl(url);
      assert.equal(r.ok, false, url);
      if (!r.ok) assert.match(r.message, re, url);
    }
    assert.throws(() => requireSafeBaseUrl('ws://example.com'), (e: unknown) => e instanceof InsecureUrlError && e.problem === 'plaintext');
    assert.throws(() => requireSafeBaseUrl('https://example.com'), (e: unknown) => e instanceof InsecureUrlError && e.problem === 'scheme');
  });

  it('isLoopbackHost covers 127.0.0.0/8, ::1 and localhost only', () => {
    assert.ok(isLoopbackHost('127.255.255.255'));
    assert.ok(isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('127.0.0.256'));
    assert.ok(!isLoopbackHost('1.127.0.0'));
    assert.ok(!isLoopbackHost('[::ffff:7f00:1]'), 'mapped addresses are refused (strict)');
  });
});

describe('feedUrl', () => {
  it('joins the feed path carefully: trailing slashes, base paths and query strings', () => {
    const join = (base: string) => feedUrl(new URL(base), 'calls').href;
    assert.equal(join('wss://h.example'), 'wss://h.example/calls');
    assert.equal(join('wss://h.example/'), 'wss://h.example/calls');
    assert.equal(join('wss://h.example//'), 'wss://h.example/calls');
    assert.equal(join('wss://h.example/stats'), 'wss://h.example/stats/calls');
    assert.equal(join('wss://h.example/stats/'), 'wss://h.example/stats/calls');
    assert.equal(join('wss://h.example:444/a/b/?x=1'), 'wss://h.example:444/a/b/calls?x=1');
    assert.equal(feedUrl(new URL('ws://127.0.0.1:9/'), 'agents').href, 'ws://127.0.0.1:9/agents');
  });
});

describe('checkToken', () => {
  it('refuses empty and header-breaking tokens without echoing them', () => {
    const bad = ['', '   ', 'abc\r\nX-Evil: 1', 'tök€n-with-euro', ' padded-token-SECRETX '];
    for (const token of bad) {
      assert.throws(() => checkToken(token), (e: unknown) => {
        assert.ok(e instanceof InvalidTokenError);
        assert.match(e.message, /Stream Liner: Set Token/);
        if (token.trim()) assert.ok(!e.message.includes(token.trim()), 'the message must not contain the token');
        return true;
      });
    }
    checkToken('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_=');
  });
});

describe('originOf (what a token is bound to)', () => {
  const home = 'wss://statistics-webhook.telavox.se';
  it('is the same origin for another path, query, letter case or the written-out default port', () => {
    for (const url of [home, `${home}/`, `${home}/v2/base?x=1`, 'WSS://Statistics-Webhook.Telavox.SE', `${home}:443`, ` ${home} `]) {
      assert.equal(originOf(url), 'wss://statistics-webhook.telavox.se:443', url);
    }
    assert.equal(originOf('ws://127.0.0.1:8787/a'), originOf('ws://127.0.0.1:8787/b'));
  });

  it('is another origin for another port, scheme or host', () => {
    const o = originOf(home);
    for (const url of [`${home}:8443`, 'ws://statistics-webhook.telavox.se', 'wss://statistics-webhook.telavox.se.evil.example',
      'wss://evil.example', 'wss://telavox.se']) {
      assert.notEqual(originOf(url), o, url);
    }
    assert.notEqual(originOf('ws://127.0.0.1:8787'), originOf('ws://127.0.0.1:8788'));
    assert.notEqual(originOf('ws://127.0.0.1:8787'), originOf('ws://localhost:8787'));
  });

  it('writes the default port out: wss 443, ws 80', () => {
    assert.equal(originOf('wss://a.example'), 'wss://a.example:443');
    assert.equal(originOf('ws://localhost'), 'ws://localhost:80');
    assert.equal(originOf('ws://[::1]:9/x'), 'ws://[::1]:9');
    assert.equal(originOf('ws://a.example:443'), 'ws://a.example:443', 'ws on 443 is not wss');
  });

  it('has no origin for anything that is not a ws(s) URL', () => {
    for (const url of ['', 'not a url', 'https://a.example', 'file:///etc/passwd', 'http://127.0.0.1:80']) assert.equal(originOf(url), undefined, url);
  });
});
