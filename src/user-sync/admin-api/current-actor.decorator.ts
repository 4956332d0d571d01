import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who makes an admin change, for the audit log: the admin's username or `api-token`. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest().user?.username ?? 'unknown',
);
