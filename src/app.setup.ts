import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { Server } from 'node:http';
import { Duplex } from 'node:stream';
import { errorBody } from './common/errors/domain-exception.filter';
import { ErrorCode } from './common/errors/error-code.enum';

/** Everything main.ts and the e2e tests both do to an app before it listens. */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const http = app.getHttpAdapter().getInstance();
  if (typeof http.disable === 'function') http.disable('x-powered-by');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('alb-usersync')
      .setDescription('Verifies AWS ALB OIDC tokens and provisions users just in time from their claims')
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-amzn-oidc-data' }, 'alb')
      .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'admin-token')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  answerClientErrors(app.getHttpServer());
  return app;
}

/**
 * Requests Node's HTTP parser refuses (headers over 16 KiB, malformed request lines) never reach
 * Nest: answer them in the contract's JSON too, instead of Node's empty 400/431.
 */
function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(
      errorBody(tooLarge ? 431 : 400, tooLarge ? ErrorCode.HEADERS_TOO_LARGE : ErrorCode.BAD_REQUEST, tooLarge ? 'Request headers too large' : 'Malformed HTTP request'),
    );
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
