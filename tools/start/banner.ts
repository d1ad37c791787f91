/** The editor key of the local stack (the gateway's GATEWAY_API_KEYS in development). */
export const EDITOR_KEY = 'local-dev-editor';

/**
 * Where to look once Focus runs: the same lines for `npm start` and `npm run docker -- up`.
 * `gatewayUrl` is the gateway's base URL on this machine.
 */
export function runningBanner(gatewayUrl: string, code: string, stopHint: string): string {
  const base = gatewayUrl.replace('127.0.0.1', 'localhost');
  return [
    `  the seed operation's view   ${base}/api/v1/operations/${code}?year=2018`,
    `  the portal                  ${base}/?op=${code}&year=2018`,
    `  API docs                    ${base}/api/docs   (OpenAPI: ${base}/api/openapi.json)`,
    `  editor key (writes)         x-api-key: ${EDITOR_KEY}`,
    `  ${stopHint}`,
  ].join('\n');
}
