import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { reservedKeyPaths } from '@focus/contracts';
import { FieldError, validationProblem } from './problem';

/**
 * Bodies and queries are validated strictly: unknown fields are errors (never silently
 * dropped, since a typo would otherwise "succeed"), and nothing is coerced: "588" is not a
 * number. Failures are 422 problem+json that name each field.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Path parameters go to their own pipes as the strings they arrived as: converted here
    // first, year "0x7E2" and pillar "01" passed as 2018 and 1.
    if (metadata.type === 'param') return value;
    const isDto = typeof metadata.metatype === 'function' && this.toValidate(metadata);
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      if (!isPlainObject(value)) throw validationProblem([{ field: '', message: `the ${metadata.type} must be a JSON object` }]);
      const reserved = reservedKeyPaths(value);
      if (reserved.length > 0) throw validationProblem(reserved.map((field) => ({ field, message: 'is not an allowed property' })));
    }
    return super.transform(value, metadata);
  }
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    // class-validator starts its messages with the property name; the field says it already.
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
