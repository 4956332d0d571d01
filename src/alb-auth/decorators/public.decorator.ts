import { applyDecorators, SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = Symbol('alb-usersync:public');

/** The route needs no ALB token. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true));
