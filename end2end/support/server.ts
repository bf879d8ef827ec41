import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningServer {
  url: string;
  /** The link in the latest e-mail to `to` (the development mailer writes e-mails to the log). */
  lastLink(to: string): Promise<string>;
  stop(): Promise<void>;
}

const root = path.resolve(__dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/**
 * Starts the release server on a free port with a fresh, empty database: a private PostgreSQL cluster in a new
 * temporary ATRIUM_HOME, created, migrated and seeded by the server itself exactly as `make run` does.
 */
export async function startServer(): Promise<RunningServer> {
  const bin = process.env.ATRIUM_SERVER_BIN ?? path.join(root, 'target/release/server');
  const home = mkdtempSync(path.join(os.tmpdir(), 'atrium-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logDir = path.join(root, 'end2end/test-results');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `server-${port}.log`));
  const child = spawn(bin, [], {
    cwd: root,
    env: {
      ...process.env,
      ATRIUM_ADDR: `127.0.0.1:${port}`,
      ATRIUM_HOME: home,
      DATABASE_URL: '',
      LOG_FORMAT: 'json',
      RUST_LOG: process.env.RUST_LOG ?? 'info,sqlx=warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode} before it was ready; see ${log.path}`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after 120 s; see ${log.path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const logPath = path.join(logDir, `server-${port}.log`);
  return {
    url,
    async lastLink(to: string) {
      // The e-mail is sent by a background job, usually within a second of the request.
      for (let attempt = 0; attempt < 150; attempt++) {
        const links = readFileSync(logPath, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line))
          // The JSON log flattens an event's fields into the line.
          .filter((entry) => entry.to === to)
          .map((entry) => String(entry.body).match(/https?:\/\/\S+/)?.[0])
          .filter((link): link is string => Boolean(link));
        if (links.length > 0) return links[links.length - 1];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no e-mail to ${to} in ${logPath}`);
    },
    async stop() {
      // SIGTERM: the server drains requests and stops its PostgreSQL cluster before exiting.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited(child);
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
