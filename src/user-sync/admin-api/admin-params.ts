import { createParamDecorator, ExecutionContext, Type } from '@nestjs/common';
import { ApiBody, ApiQuery } from '../../common/openapi';
import { createValidationPipe } from '../../common/validation/app-validation.pipe';

const validation = createValidationPipe();
const requestBody = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => context.switchToHttp().getRequest().body ?? {});
const requestQuery = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => context.switchToHttp().getRequest().query ?? {});

/** The DTO class TypeScript recorded for this parameter (design:paramtypes). */
function parameterType(target: object, key: string | symbol, index: number): Type<unknown> {
  const types = Reflect.getMetadata('design:paramtypes', target, key) as Array<Type<unknown>> | undefined;
  const type = types?.[index];
  if (!type) throw new Error(`${String(key)}: an admin body or query needs its DTO class as the parameter's type`);
  return type;
}

/**
 * An admin request body, validated by the admin API's own pipe (unknown fields refused, every
 * problem as `field: problem`). A custom parameter: a host's global ValidationPipe leaves it alone
 * (it validates custom parameters only with validateCustomDecorators), so the contract's messages
 * hold whatever pipes the host registers.
 */
export function AdminBody(): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) return;
    requestBody(undefined, validation)(target, key, index);
    ApiBody({ type: parameterType(target, key, index) })(target, key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor);
  };
}

/** The admin request's query, validated like AdminBody. */
export function AdminQuery(): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) return;
    requestQuery(undefined, validation)(target, key, index);
    ApiQuery({ name: '', type: parameterType(target, key, index), required: false })(target, key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor);
  };
}
