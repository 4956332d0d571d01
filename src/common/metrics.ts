import { Counter, Histogram } from 'prom-client';

/**
 * The service's Prometheus metrics, on prom-client's default registry (a host app that uses
 * prom-client sees them too). Labels carry routes, outcomes and codes, never identities.
 */
export const metrics = {
  httpRequests: new Counter({
    name: 'alb_usersync_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
  }),
  httpDuration: new Histogram({
    name: 'alb_usersync_http_request_duration_seconds',
    help: 'Time to answer, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  logins: new Counter({
    name: 'alb_usersync_logins_total',
    help: 'Logins resolved to a principal or refused, by decision (create, update, rename, unchanged, refuse, cached) and code',
    labelNames: ['decision', 'code'] as const,
  }),
  tokenVerifications: new Counter({
    name: 'alb_usersync_token_verifications_total',
    help: 'ALB tokens checked, by outcome: verified, cached (seen before), or the refusal code',
    labelNames: ['outcome'] as const,
  }),
  accessTokenVerifications: new Counter({
    name: 'alb_usersync_access_token_verifications_total',
    help: 'Access tokens (x-amzn-oidc-accesstoken) checked fresh, by outcome: verified or the refusal code',
    labelNames: ['outcome'] as const,
  }),
  verifyThreadJobs: new Counter({
    name: 'alb_usersync_verify_thread_jobs_total',
    help: 'Fresh tokens given to a verify thread, by result (answered, lost: then verified on the event loop)',
    labelNames: ['result'] as const,
  }),
  keyFetches: new Counter({
    name: 'alb_usersync_key_fetches_total',
    help: 'Public-key fetches, by result (ok, failed), and unknown kids refused or delayed by the budget (budget_wait)',
    labelNames: ['result'] as const,
  }),
};

