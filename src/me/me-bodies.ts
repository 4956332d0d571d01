import { Injectable } from '@nestjs/common';
import { AlbPrincipal } from '../alb-auth/alb-principal';
import { UserSyncPrincipal } from '../user-sync/login/principal';

export const ME_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * GET /api/me's answer. Each login outcome's is serialized once: a remembered outcome hands every
 * request the same `user` object, so its body is built and serialized on its first request only.
 */
@Injectable()
export class MeBodies {
  private readonly bodies = new WeakMap<object, string>();

  of(principal: AlbPrincipal): string {
    if (principal.user) {
      const { user, directory } = principal as UserSyncPrincipal;
      let body = this.bodies.get(user);
      if (body === undefined) {
        body = JSON.stringify({ ...user, groups: principal.groups, directory });
        this.bodies.set(user, body);
      }
      return body;
    }
    const claims = principal.token.claims;
    return JSON.stringify({
      username: principal.username,
      displayName: typeof claims.name === 'string' ? claims.name : null,
      email: typeof claims.email === 'string' ? claims.email : null,
      active: true,
      groups: principal.groups,
      attributes: {},
      directory: null,
    });
  }
}
