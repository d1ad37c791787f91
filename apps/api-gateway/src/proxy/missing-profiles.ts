import { Injectable, Logger } from '@nestjs/common';
import { Upstreams } from '../upstream/upstreams';

/**
 * What an imported country operation's profile says until an editor completes it: the UNHCR
 * file names the country, not its region, subregion or offices.
 */
export const IMPORTED_PROFILE_REGION = 'Not set (imported)';

interface ImportedOperation {
  code: string;
  name: string;
}

export interface ProfilesOutcome {
  created: string[];
  existing: number;
  failed: Array<{ code: string; status: number }>;
}

/**
 * Profiles belong to the narratives service, so the population import cannot create them:
 * the gateway does, from the import's summary, for every operation that has none yet.
 */
@Injectable()
export class MissingProfiles {
  private readonly logger = new Logger('MissingProfiles');

  constructor(private readonly upstreams: Upstreams) {}

  async create(operations: ImportedOperation[], requestId: string): Promise<ProfilesOutcome> {
    const outcome: ProfilesOutcome = { created: [], existing: 0, failed: [] };
    const headers = { 'x-request-id': requestId };
    for (const { code, name } of operations) {
      const path = `/operations/${encodeURIComponent(code)}`;
      const existing = await this.upstreams.get('narratives', path, headers);
      if (existing.statusCode === 200) {
        outcome.existing += 1;
        continue;
      }
      const profile = { name: { en: name, fr: name }, region: IMPORTED_PROFILE_REGION, subregion: IMPORTED_PROFILE_REGION, offices: [] };
      const created = await this.upstreams.call('narratives', 'PUT', path, headers, profile);
      if (created.statusCode < 300) outcome.created.push(code);
      else {
        outcome.failed.push({ code, status: created.statusCode });
        this.logger.warn(
          `profile for imported operation ${code} refused: ${created.statusCode} ${created.body.toString('utf8').slice(0, 300)}`,
        );
      }
    }
    return outcome;
  }
}
