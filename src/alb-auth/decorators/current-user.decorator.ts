import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AlbPrincipal } from '../alb-principal';

/** The principal the AlbAuthGuard put on the request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AlbPrincipal => context.switchToHttp().getRequest().user,
);
