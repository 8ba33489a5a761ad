/**
 * Helpers for the tests that check a fake on its own, over raw HTTP. The request defaults (Accept,
 * credentials, Content-Type) stay in each test file, because they are what each provider expects.
 */

import { request } from 'undici';
import { afterEach } from 'vitest';

/** A response read to the end; `json` is undefined when the body is empty or not JSON. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export async function rawRequest(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<RawResponse> {
  const res = await request(url, { method: init.method as 'GET', headers: init.headers, body: init.body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/**
 * Wraps a fake's start function so every fake a test starts is closed after that test, failed or not:
 * an open fake would hold its port and sockets into the next test. Registers the afterEach.
 */
export function closedAfterEach<F extends { close(): Promise<void> }, A extends unknown[]>(start: (...args: A) => Promise<F>): (...args: A) => Promise<F> {
  const open: F[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((f) => f.close()));
  });
  return async (...args) => {
    const fake = await start(...args);
    open.push(fake);
    return fake;
  };
}
