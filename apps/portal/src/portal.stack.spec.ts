import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cleanUpStack, startStack, testKafka, testNamespace, WORKSPACE_ROOT } from '@focus/testing';
import { describePortalPage } from './testing/portal-page-checks';

const run = promisify(execFile);
const EDITOR_KEY = 'local-dev-editor';

// The portal as people meet it: served by the real gateway, the seed operation loaded the way
// a newcomer loads it (`npm run seed`), the page in Debian's chromium. The live contribution
// goes through the API, its re-earmark through the contributions service, and both reach the
// page over the gateway's SSE stream.
describePortalPage('the portal in a browser, served by the real system', async () => {
  const ns = testNamespace('portal-stack');
  const stack = await startStack({ namespace: ns });
  const api = `${stack.gatewayUrl}/api/v1`;
  await run('npm', ['run', '-s', 'seed', '--', '--url', api, '--key', EDITOR_KEY], { cwd: WORKSPACE_ROOT });
  // The seed's view is there once the aggregator has applied it.
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${api}/operations/KAZ-RO?year=2018`)).status !== 200) {
    if (Date.now() > deadline) throw new Error('the seed operation never appeared in the view');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl: stack.gatewayUrl,
    screenshotDir: join(WORKSPACE_ROOT, 'tmp/portal-screenshots/stack'),
    writeContribution: async (input) => {
      const response = await fetch(`${api}/contributions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': EDITOR_KEY, 'idempotency-key': `portal-${Date.now()}` },
        body: JSON.stringify(input),
      });
      if (response.status !== 201) throw new Error(`POST /contributions answered ${response.status}: ${await response.text()}`);
      return { id: ((await response.json()) as { state: { id: string } }).state.id };
    },
    // The public API records contributions; a re-earmark is the contributions service's own PUT.
    moveContribution: async (id, input) => {
      const response = await fetch(`${stack.urls.contributions}/contributions/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (response.status !== 200) throw new Error(`PUT /contributions/${id} answered ${response.status}: ${await response.text()}`);
    },
    reviseFigure: async ({ year, type, ...body }) => {
      const headers = { 'content-type': 'application/json', 'x-api-key': EDITOR_KEY };
      const response = await fetch(`${api}/operations/KAZ-RO/population/${year}/${type}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify(body),
      });
      if (response.status !== 200) throw new Error(`PUT population/${year}/${type} answered ${response.status}: ${await response.text()}`);
    },
    close: async () => {
      await stack.stop();
      await cleanUpStack(ns, process.env['MONGO_URL'], testKafka(ns));
    },
  };
});
