import type { Response } from 'superagent';

/**
 * A superagent parser that keeps any body as text: event streams and problem details alike,
 * whatever their content type claims (a fuzzed request may get a body that is not JSON).
 */
export function textBody(res: Response, done: (err: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => done(null, text));
}
