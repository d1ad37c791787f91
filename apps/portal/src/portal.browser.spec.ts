import { ensureBuild, PORTAL_BUILD_DIR } from '@focus/testing';
import { startFixtureApi } from './testing/fixture-api';
import { describePortalPage } from './testing/portal-page-checks';

// The built portal (dist/portal) in Debian's chromium, against the fixture API: the seed
// operation's views as apps/operation-view builds them, and an SSE stream the test writes to.
// The same checks run against the real gateway with another start function (see portal-page-checks.ts).
// The portal is built the way startStack builds it, under the same lock: other projects' stacks,
// running side by side, serve dist/portal while this spec runs.
describePortalPage('the portal in a browser, against the fixture API', async () => {
  await ensureBuild();
  const api = await startFixtureApi(PORTAL_BUILD_DIR);
  return {
    baseUrl: api.baseUrl,
    writeContribution: (input) => api.writeContribution(input),
    moveContribution: (id, input) => api.moveContribution(id, input),
    reviseFigure: (input) => api.reviseFigure(input),
    close: () => api.close(),
  };
});
