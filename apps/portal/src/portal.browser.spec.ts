import { buildPortal } from '../build';
import { startFixtureApi } from './testing/fixture-api';
import { describePortalPage } from './testing/portal-page-checks';

// The built portal (dist/portal) in Debian's chromium, against the fixture API: the seed
// operation's views as apps/operation-view builds them, and an SSE stream the test writes to.
// The same checks run against the real gateway with another start function (see portal-page-checks.ts).
describePortalPage('the portal in a browser, against the fixture API', async () => {
  const api = await startFixtureApi(await buildPortal());
  return { baseUrl: api.baseUrl, writeContribution: (input) => api.writeContribution(input), close: () => api.close() };
});
