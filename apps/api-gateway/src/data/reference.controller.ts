import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { COUNTRIES, PILLARS, POPULATION_TYPES } from '@focus/contracts';
import { ContentEtag } from '@focus/service-kit';
import { RequiresAccess } from '../auth/access.guard';
import { PreparedAnswer } from '../cached-answers/prepared-answer';
import { ApiReference } from './data-docs';

/** A day: the lists are part of the release, and the ETag revalidates them after. */
const REFERENCE_CACHE_CONTROL = 'public, max-age=86400';

function fixed(body: unknown): PreparedAnswer {
  const bytes = Buffer.from(JSON.stringify(body));
  return new PreparedAnswer(ContentEtag.of(bytes), bytes, 'application/json; charset=utf-8', REFERENCE_CACHE_CONTROL);
}

// The code lists of libs/contracts: they change only with a release of the gateway.
const POPULATION_TYPE_LIST = fixed(POPULATION_TYPES.map(({ code, label }) => ({ code, name: label })));
const PILLAR_LIST = fixed(PILLARS.map(({ pillar, label }) => ({ pillar, name: label })));
const COUNTRY_LIST = fixed(COUNTRIES);

/** The codes the data API's filters and rows use, with their names in English and French. */
@ApiTags('data')
@Controller('api/v1/reference')
export class ReferenceController {
  @Get('population-types')
  @RequiresAccess('read')
  @ApiReference('population-types')
  populationTypes(@Headers('if-none-match') inm: string | undefined, @Res() reply: FastifyReply) {
    POPULATION_TYPE_LIST.send(reply, inm);
  }

  @Get('pillars')
  @RequiresAccess('read')
  @ApiReference('pillars')
  pillars(@Headers('if-none-match') inm: string | undefined, @Res() reply: FastifyReply) {
    PILLAR_LIST.send(reply, inm);
  }

  @Get('countries')
  @RequiresAccess('read')
  @ApiReference('countries')
  countries(@Headers('if-none-match') inm: string | undefined, @Res() reply: FastifyReply) {
    COUNTRY_LIST.send(reply, inm);
  }
}
