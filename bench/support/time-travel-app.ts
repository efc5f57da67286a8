import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../../config/app.config.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/configure-app.js';
import { createInfrastructure, type Infrastructure } from '../../src/core/infrastructure.js';
import { INFRASTRUCTURE_OPTIONS } from '../../src/read-models.js';

export interface Claims {
  sub: string;
  name: string;
  organisation: string;
  roles: string[];
  teams: string[];
}

/** A JSON answer; `status` is checked by the caller, since every call expects one. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface BenchApp {
  readonly app: INestApplication;
  readonly infra: Infrastructure;
  token(claims: Claims): Promise<string>;
  call(
    method: string,
    path: string,
    token: string,
    body?: object,
    headers?: object,
  ): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * The real app in this process (development mode, as the end-to-end tests start it), listening
 * on a free port and called over real HTTP. In-process so the suite can move the domain clock
 * directly (no timer run per step, unlike POST /dev/clock) and time the parts of a read.
 */
export async function startBenchApp(databaseUrl: string): Promise<BenchApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'egep-bench-b4-'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    APP_MODE: 'development',
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    // The history is written with a clock moved by hand; a timer loop would add escalations.
    TIMER_INTERVAL_MS: '0',
  });
  const infra = await createInfrastructure(config, INFRASTRUCTURE_OPTIONS);
  const app = configureApp(
    await NestFactory.create(AppModule.forRoot(infra), {
      bodyParser: false,
      bufferLogs: true,
      logger: false,
    }),
    infra,
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;

  // node:http with keep-alive rather than fetch: fetch (undici, web streams) costs the client
  // about as much CPU as the server spends on a small request, and client and server share
  // this process.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  function call(
    method: string,
    path: string,
    token: string,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const payload = body ? JSON.stringify(body) : undefined;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  return {
    app,
    infra,
    call,
    async token(claims) {
      const answer = await call('POST', '/api/v1/dev/tokens', '', claims);
      if (answer.status !== 201) throw new Error(`dev token: ${answer.status}`);
      return answer.body.token as string;
    },
    async close() {
      agent.destroy();
      await app.close();
      await infra.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
