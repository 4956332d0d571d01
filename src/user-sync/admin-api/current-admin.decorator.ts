import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who makes an admin change, as AuthenticationService left it on the request: an ALB principal, or the API token's actor. */
export const CurrentAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => context.switchToHttp().getRequest().user);
