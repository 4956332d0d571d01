import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

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
  return app;
}
