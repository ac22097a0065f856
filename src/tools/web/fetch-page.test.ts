import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../net/guarded-fetch.js';
import { createOutboundPolicy, OutboundRefusedError } from '../../net/outbound-policy.js';
import { startFakeWeb, type FakeWeb } from '../../../test/support/fake-web.js';
import { fetchPage, PageFetchError } from './fetch-page.js';

let web: FakeWeb;
beforeAll(async () => {
  web = await startFakeWeb();
});
afterAll(async () => web?.close());

const allowed = createGuardedFetch(createOutboundPolicy(['127.0.0.1']));
const limits = { maxBytes: 64 * 1024, timeoutMs: 1_500 };

describe('fetchPage', () => {
  it('refuses private and loopback addresses under the default policy', async () => {
    const strict = createGuardedFetch(createOutboundPolicy([]));
    await expect(fetchPage(strict, `${web.url}/article`, limits)).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(fetchPage(strict, 'http://10.0.0.1/', limits)).rejects.toThrow(/private/);
    await expect(fetchPage(strict, 'http://169.254.169.254/latest/meta-data', limits)).rejects.toThrow(/link-local/);
  });

  it('stops reading at the byte limit and says the page was cut', async () => {
    const page = await fetchPage(allowed, `${web.url}/huge`, limits);
    expect(page.truncated).toBe(true);
    expect(page.text.length).toBe(64 * 1024);
  });

  it('gives up on a page that does not finish in time', async () => {
    const started = Date.now();
    await expect(fetchPage(allowed, `${web.url}/slow`, limits)).rejects.toBeInstanceOf(PageFetchError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('returns plain text as it is and refuses binary content', async () => {
    expect((await fetchPage(allowed, `${web.url}/plain`, limits)).text).toBe('just some plain text');
    await expect(fetchPage(allowed, `${web.url}/image`, limits)).rejects.toThrow(/image\/png/);
  });
});
