// The alternatives the bench measures us against, each in its own process, as a team would write
// them: `bare` answers a fixed JSON body with node:http and nothing else (the floor of any Node
// service on this machine); `peer` is the hand-written alternative to this service: node:http and
// aws-jwt-verify's AlbJwtVerifier on every request, answering the verified claims.
// argv[2]: bare | peer; argv[3]: JSON { signer, issuer, client, keyEndpoint }. Prints "PORT <n>".
'use strict';
const { createServer } = require('node:http');
const { AlbJwtVerifier } = require('aws-jwt-verify');
const { AlbJwksCache } = require('aws-jwt-verify/alb-cache');

const mode = process.argv[2];
const settings = JSON.parse(process.argv[3] ?? '{}');
const verifier =
  mode === 'peer'
    ? AlbJwtVerifier.create(
        { albArn: settings.signer, issuer: settings.issuer, clientId: settings.client, jwksUri: settings.keyEndpoint },
        // aws-jwt-verify fetches keys over https only; the bench's key server is plain http on loopback.
        { jwksCache: new AlbJwksCache({ fetcher: { fetch: async (uri) => (await fetch(uri)).arrayBuffer() } }) },
      )
    : null;

const LIVE = JSON.stringify({ status: 'ok' });

const server = createServer((request, response) => {
  if (!verifier) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(LIVE);
    return;
  }
  verifier.verify(request.headers['x-amzn-oidc-data']).then(
    (payload) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sub: payload.sub, email: payload.email, name: payload.name, groups: payload.groups }));
    },
    () => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"code":"TOKEN_INVALID"}');
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
