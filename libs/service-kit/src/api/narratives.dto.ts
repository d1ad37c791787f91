import { OmitType, PickType } from '@nestjs/swagger';
import { KeyFigureSetState, NarrativeSectionState, OperationProfileState } from '@focus/contracts';

/*
 * The HTTP bodies are the contracts' payload classes minus what the path already says, so a
 * body is validated by exactly the rules its event's data is (field names, lengths, nested
 * classes, list sizes): a write the API accepts always makes a valid event.
 */

/** `PUT /operations/{code}`: {name:{en,fr}, region, subregion, offices[]}. */
export class PutProfileDto extends OmitType(OperationProfileState, ['code'] as const) {}

/** `PUT /operations/{code}/key-figures/{year}/{kind}`: {items:[{value, unit, text:{en, fr?}}]}. */
export class PutKeyFiguresDto extends PickType(KeyFigureSetState, ['items'] as const) {}

/**
 * `PUT /operations/{code}/narratives/{year}/{lang}/{section}`: {body}, plain text of at most
 * NARRATIVE_BODY_MAX_LENGTH characters, stored exactly as given (never parsed as HTML).
 */
export class PutSectionDto extends PickType(NarrativeSectionState, ['body'] as const) {}
