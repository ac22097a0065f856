// The web console's serving: the page and files open without a key, with their content types, a strict CSP and
// revalidation; only files of the console can be named; every script is a same-origin module file.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/console/console.routes.js';
import { CONSOLE_DIR, loadConsoleAssets } from '../../src/console/console-assets.js';
import { call, TEST_ENV } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const KEY = 'console-admin-key-abcdefghijklmnop';
let open: TestApp;
let keyed: TestApp;
beforeAll(async () => {
  open = await createTestApp(TEST_ENV);
  keyed = await createTestApp({ ...TEST_ENV, MNEMO_API_KEY: KEY });
});
afterAll(async () => {
  await open?.close();
  await keyed?.close();
});

describe('console serving', () => {
  it('serves the page at / with a strict CSP, nosniff and revalidation', async () => {
    const res = await open.app.inject({ method: 'GET', url: '/', headers: { host: 'localhost' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-cache');
    const again = await open.app.inject({
      method: 'GET',
      url: '/',
      headers: { host: 'localhost', 'if-none-match': String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves scripts and styles with their types, and 404s for anything else under /console/', async () => {
    const js = await open.app.inject({ method: 'GET', url: '/console/views/chat.js', headers: { host: '127.0.0.1' } });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const css = await open.app.inject({ method: 'GET', url: '/console/console.css', headers: { host: '127.0.0.1' } });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const url of [
      '/console/nope.js',
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/..%2fpackage.json',
      '/console/',
    ]) {
      const res = await call(open.app, 'GET', url, undefined, { host: '127.0.0.1' });
      expect([url, res.status]).toEqual([url, 404]);
    }
  });

  it('opens the page and its files without a key on a key-protected server, while the API still needs one', async () => {
    expect((await call(keyed.app, 'GET', '/')).status).toBe(200);
    expect((await call(keyed.app, 'GET', '/console/app.js')).status).toBe(200);
    expect((await call(keyed.app, 'GET', '/console/missing.js')).status).toBe(404);
    expect((await call(keyed.app, 'GET', '/v1/agents/')).status).toBe(401);
    expect((await call(keyed.app, 'GET', '/v1/agents/', undefined, { authorization: `Bearer ${KEY}` })).status).toBe(200);
  });

  it('keeps the DNS-rebinding guard on the console of a server without a key', async () => {
    expect((await call(open.app, 'GET', '/', undefined, { host: 'evil.example' })).status).toBe(421);
  });

  it('has no inline scripts or styles and no hosted assets, and every module import names a served file', () => {
    const assets = loadConsoleAssets();
    const html = readFileSync(`${CONSOLE_DIR}index.html`, 'utf8');
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/console\//);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    for (const [name, asset] of assets) {
      const text = asset.body.toString('utf8');
      expect([name, /https?:\/\/(?!localhost)/.test(text)]).toEqual([name, false]);
      if (!name.endsWith('.js')) continue;
      for (const [, spec] of text.matchAll(/^import .* from '([^']+)';$/gm)) {
        const target = new URL(spec!, `http://x/${name}`).pathname.slice(1);
        expect([name, spec, assets.has(target)]).toEqual([name, spec, true]);
      }
    }
  });
});
