import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import { DomainExceptionFilter } from './common/errors/domain-exception.filter';
import { ScimExceptionFilter } from './user-sync/scim/scim-exception.filter';

// Express routes ignore case: /SCIM/v2/Users reaches the SCIM controller too.
const SCIM_PATH = /^\/scim\/v2(?:[/?#]|$)/i;

/**
 * The service's global filter: errors raised before a route's own filter can run (a body that is
 * not JSON or too large) answer in the shape of the route they were sent to: SCIM's on /scim/v2,
 * the contract's everywhere else.
 */
@Catch()
@Injectable()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly scim = new ScimExceptionFilter();

  constructor(private readonly contract: DomainExceptionFilter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<{ url?: string; originalUrl?: string }>();
    if (SCIM_PATH.test(request?.originalUrl ?? request?.url ?? '')) this.scim.catch(exception, host);
    else this.contract.catch(exception, host);
  }
}
