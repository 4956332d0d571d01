import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { requestContext } from '../../common/http/request-context';
import { ScimClientsStore } from '../store/scim-clients.store';
import { ScimError } from './scim-error';

/**
 * `Authorization: Bearer <token>` of a SCIM client, the scheme in any case (RFC 6750, RFC 9110 §11.1),
 * looked up by its SHA-256 (tokens carry 256 random bits); a client whose directory was deleted is gone.
 */
@Injectable()
export class ScimGuard implements CanActivate {
  constructor(private readonly clients: ScimClientsStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const match = /^Bearer +([A-Za-z0-9_-]{20,200})$/i.exec(String(request.headers.authorization ?? ''));
    const client = match ? await this.clients.byTokenHash(createHash('sha256').update(match[1]).digest('hex')) : null;
    if (!client) throw new ScimError(401, 'A SCIM client bearer token is required');
    request.scimClient = client;
    const logged = requestContext(request);
    if (logged) logged.userId = `scim:${client.id}`;
    return true;
  }
}
