import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code.enum';

/**
 * The admin API's ValidationPipe (AdminBody and AdminQuery apply it to their custom parameters,
 * hence validateCustomDecorators): unknown fields refused, every problem listed with its path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    validateCustomDecorators: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new DomainError(ErrorCode.VALIDATION_FAILED, flattenValidationErrors(errors).join('; ') || 'Invalid request'),
  });
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const problems: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const text of Object.values(error.constraints ?? {})) {
      problems.push(text.startsWith(error.property) ? `${path}${text.slice(error.property.length)}` : `${path}: ${text}`);
    }
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, path));
  }
  return problems;
}
