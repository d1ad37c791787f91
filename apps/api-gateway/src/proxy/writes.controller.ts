import { Controller, Delete, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InjectConfig, ProblemException, PROBLEM_TYPES } from '@focus/service-kit';
import { RequiresAccess } from '../auth/access.guard';
import { GatewayConfig } from '../config';
import {
  ApiContribution,
  ApiContributionList,
  ApiDelete,
  ApiImport,
  ApiImportStatus,
  ApiOriginQuery,
  ApiPut,
  ApiRecordContribution,
  ApiReplaceContribution,
} from '../openapi/api-docs';
import { MissingProfiles } from './missing-profiles';
import { Upstreams } from '../upstream/upstreams';
import { ContributionsList } from '../data/contributions-list';
import { ApiContributionCsv } from '../data/data-docs';

// The real UNHCR file by origin is 248,000 figures (62,000 before origins): on a loaded two-core
// machine its import took more than 10 minutes to answer (tools/bench/README.md).
const IMPORT_TIMEOUT_MS = 30 * 60_000;

/**
 * The write API, each route passed to the service that owns its entity: the body, If-Match,
 * Idempotency-Key and the request id go through; the status, ETag and problem+json come
 * back unchanged, a Location under /api/v1. Validation is the owner's: it holds the rules.
 */
@Controller('api/v1')
export class WritesController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly missingProfiles: MissingProfiles,
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly contributionsList: ContributionsList,
  ) {}

  @ApiTags('profiles')
  @Put('operations/:code')
  @RequiresAccess('write')
  @ApiOperation({ operationId: 'putProfile', summary: "Creates or replaces an operation's profile (name, region, offices)." })
  @ApiPut('PutProfileDto', ['code'], 'OperationProfileState')
  putProfile(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('narratives', request, reply);
  }

  @ApiTags('profiles')
  @Delete('operations/:code')
  @RequiresAccess('write')
  @ApiOperation({ operationId: 'deleteProfile', summary: "Deletes an operation's profile." })
  @ApiDelete(['code'])
  deleteProfile(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('narratives', request, reply);
  }

  @ApiTags('population')
  @Put('operations/:code/population/:year/:type')
  @RequiresAccess('write')
  @ApiOperation({
    operationId: 'putPopulationFigure',
    summary: 'Sets the number of people of one type (or the reported total) for a year.',
  })
  @ApiPut('PutFigureDto', ['code', 'year', 'populationType'], 'PopulationFigureState')
  @ApiOriginQuery()
  putFigure(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('population', request, reply);
  }

  @ApiTags('population')
  @Delete('operations/:code/population/:year/:type')
  @RequiresAccess('write')
  @ApiOperation({ operationId: 'deletePopulationFigure', summary: 'Deletes a population figure (or the reported total).' })
  @ApiDelete(['code', 'year', 'populationType'])
  @ApiOriginQuery()
  deleteFigure(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('population', request, reply);
  }

  @ApiTags('budget')
  @Put('operations/:code/budget/:year/pillars/:pillar')
  @RequiresAccess('write')
  @ApiOperation({
    operationId: 'putBudgetLine',
    summary: 'Sets the budget and expenditure (US dollars, at most two decimals) of a pillar for a year.',
  })
  @ApiPut('PutBudgetLineDto', ['code', 'year', 'pillar'], 'BudgetLineState')
  putBudget(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('budget', request, reply);
  }

  @ApiTags('budget')
  @Delete('operations/:code/budget/:year/pillars/:pillar')
  @RequiresAccess('write')
  @ApiOperation({ operationId: 'deleteBudgetLine', summary: 'Deletes a budget line.' })
  @ApiDelete(['code', 'year', 'pillar'])
  deleteBudget(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('budget', request, reply);
  }

  @ApiTags('narratives')
  @Put('operations/:code/key-figures/:year/:kind')
  @RequiresAccess('write')
  @ApiOperation({
    operationId: 'putKeyFigures',
    summary: 'Sets the key figures of a year: results (kind=result) or planning figures (kind=plan).',
  })
  @ApiPut('PutKeyFiguresDto', ['code', 'year', 'kind'], 'KeyFigureSetState')
  putKeyFigures(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('narratives', request, reply);
  }

  @ApiTags('narratives')
  @Delete('operations/:code/key-figures/:year/:kind')
  @RequiresAccess('write')
  @ApiOperation({ operationId: 'deleteKeyFigures', summary: 'Deletes the key figures of a year and kind.' })
  @ApiDelete(['code', 'year', 'kind'])
  deleteKeyFigures(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('narratives', request, reply);
  }

  @ApiTags('narratives')
  @Put('operations/:code/narratives/:year/:lang/:section')
  @RequiresAccess('write')
  @ApiOperation({ operationId: 'putNarrativeSection', summary: 'Sets one narrative section of a year in one language (plain text).' })
  @ApiPut('PutSectionDto', ['code', 'year', 'lang', 'section'], 'NarrativeSectionState')
  putSection(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('narratives', request, reply);
  }

  @ApiTags('narratives')
  @Delete('operations/:code/narratives/:year/:lang/:section')
  @RequiresAccess('write')
  @ApiOperation({ operationId: 'deleteNarrativeSection', summary: 'Deletes one narrative section.' })
  @ApiDelete(['code', 'year', 'lang', 'section'])
  deleteSection(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('narratives', request, reply);
  }

  @ApiTags('contributions')
  @Post('contributions')
  @RequiresAccess('write')
  @ApiOperation({
    operationId: 'recordContribution',
    summary: 'Records a contribution.',
    description:
      'A retry with the same Idempotency-Key and the same body records nothing: 200 with Idempotent-Replayed: true and the contribution as recorded.',
  })
  @ApiRecordContribution()
  recordContribution(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('contributions', request, reply);
  }

  @ApiTags('contributions')
  @Get('contributions')
  @RequiresAccess('read')
  @ApiOperation({ operationId: 'listContributions', summary: 'Contributions, newest first, a page at a time (nextCursor).' })
  @ApiContributionList()
  @ApiContributionCsv()
  listContributions(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.contributionsList.send(request, reply);
  }

  // (GET contributions/stream, a static route, is matched before this one.)
  @ApiTags('contributions')
  @Get('contributions/:id')
  @RequiresAccess('read')
  @ApiOperation({
    operationId: 'getContribution',
    summary: 'One contribution, with its version as ETag: where the Location of its POST points.',
  })
  @ApiContribution()
  getContribution(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('contributions', request, reply);
  }

  @ApiTags('contributions')
  @Put('contributions/:id')
  @RequiresAccess('write')
  @ApiOperation({
    operationId: 'replaceContribution',
    summary: 'Corrects a recorded contribution: its whole body again, as for POST.',
    description:
      'Publishes contributions.contribution.updated, .cancelled (status cancelled) or .moved (another operationCode) with the full new state.',
  })
  @ApiReplaceContribution()
  replaceContribution(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('contributions', request, reply);
  }

  @ApiTags('imports')
  @Post('imports/population')
  @HttpCode(201)
  @RequiresAccess('write')
  @ApiOperation({
    operationId: 'importPopulation',
    summary: "Imports UNHCR population statistics (text/csv in the columns of UNHCR's population API); answers with a summary.",
    description: 'The file is streamed through to the population service, never held whole by the gateway.',
  })
  @ApiImport()
  importPopulation(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const max = this.config.IMPORT_MAX_BYTES;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      throw new ProblemException({
        type: PROBLEM_TYPES.tooLarge,
        title: 'Payload too large',
        status: 413,
        detail: `An import may have at most ${max} bytes.`,
      });
    }
    // The summary comes once the whole file is imported, which for the full UNHCR file takes
    // a while; with Prefer: respond-async, a 202 as soon as it is read (its operations known).
    return this.upstreams.forward('population', request, reply, {
      maxBodyBytes: max,
      timeoutMs: Math.max(this.config.UPSTREAM_TIMEOUT_MS, IMPORT_TIMEOUT_MS),
      completeAnswer: async (body) => {
        const summary = JSON.parse(body.toString('utf8')) as { operations?: Array<{ code: string; name: string }> };
        const profiles = await this.missingProfiles.create(summary.operations ?? [], String(request.id));
        return Buffer.from(JSON.stringify({ ...summary, profiles }));
      },
    });
  }

  @ApiTags('imports')
  @Get('imports/population/:id')
  @RequiresAccess('write')
  @ApiOperation({ operationId: 'importStatus', summary: 'An import answered 202 (Prefer: respond-async), as it stands.' })
  @ApiImportStatus()
  importStatus(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.upstreams.forward('population', request, reply);
  }
}
