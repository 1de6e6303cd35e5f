// The console's only doors to the server: sign-in (`POST /v1/auth/token`, `/refresh`,
// `/logout`) and data (`POST /graphql`). Tokens live in this module's memory only: never in
// localStorage, sessionStorage or a cookie, so a script injected into the page later cannot
// read a stored token, and a reload (or a new tab) asks to sign in again.
import type { TypedDocumentString } from './gql/graphql';
import { sentence } from './problems';

interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

interface Session {
  access: string;
  refresh: string;
  /** Epoch milliseconds after which the access token is treated as expired. */
  expiresAt: number;
}

let session: Session | null = null;
let refreshing: Promise<void> | null = null;
const listeners = new Set<(signedIn: boolean) => void>();

/** An error the user can read: the API's stable code and a sentence for it. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function onSessionChange(fn: (signedIn: boolean) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function signedIn(): boolean {
  return session !== null;
}

function keep(pair: TokenPair): void {
  // Renew a minute early so a request in flight never carries an expiring token.
  session = {
    access: pair.access_token,
    refresh: pair.refresh_token,
    expiresAt: Date.now() + Math.max(0, pair.expires_in - 60) * 1000,
  };
}

function drop(): void {
  const was = session !== null;
  session = null;
  if (was) listeners.forEach((fn) => fn(false));
}

async function problem(res: Response): Promise<ApiFailure> {
  let code = `http_${res.status}`;
  let detail = '';
  let field: string | undefined;
  try {
    const body = (await res.json()) as {
      code?: string;
      detail?: string;
      errors?: { field?: string; message?: string }[];
    };
    code = body.code ?? code;
    detail = body.detail ?? '';
    field = body.errors?.[0]?.field;
  } catch {
    // Not JSON: the status tells enough.
  }
  return new ApiFailure(code, sentence(code, detail, field), field);
}

async function post(path: string, body: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw new ApiFailure('network', sentence('network', '', undefined));
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  const res = await post('/v1/auth/token', { email, password });
  if (!res.ok) throw await problem(res);
  keep((await res.json()) as TokenPair);
  listeners.forEach((fn) => fn(true));
}

/** Rotates the refresh token; concurrent callers share one rotation (a reused refresh token
 * would end the whole session). */
async function refresh(): Promise<void> {
  if (!session) throw new ApiFailure('unauthenticated', sentence('unauthenticated', '', undefined));
  if (!refreshing) {
    const token = session.refresh;
    refreshing = (async () => {
      const res = await post('/v1/auth/refresh', { refresh_token: token });
      if (!res.ok) {
        const failure = await problem(res);
        drop();
        throw failure;
      }
      keep((await res.json()) as TokenPair);
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

export async function signOut(): Promise<void> {
  const current = session;
  drop();
  if (current) await post('/v1/auth/logout', { refresh_token: current.refresh }).catch(() => undefined);
}

interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string };
}

const AUTH_CODES = new Set(['unauthenticated', 'token_expired', 'session_ended']);

/** Runs one typed operation; the first error becomes an `ApiFailure` with a sentence. */
export async function gql<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    if (!session) throw new ApiFailure('unauthenticated', sentence('unauthenticated', '', undefined));
    if (Date.now() >= session.expiresAt) await refresh();
    const access = session?.access ?? '';
    let res: Response;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${access}`,
        },
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
        credentials: 'omit',
      });
    } catch {
      throw new ApiFailure('network', sentence('network', '', undefined));
    }
    if (!res.ok) throw await problem(res);
    const body = (await res.json()) as { data?: R | null; errors?: GraphqlError[] };
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code ?? 'internal_error';
      if (AUTH_CODES.has(code) && attempt === 0 && code !== 'session_ended') {
        await refresh();
        continue;
      }
      if (AUTH_CODES.has(code)) drop();
      throw new ApiFailure(code, sentence(code, first.message, first.extensions?.field));
    }
    if (body.data == null) throw new ApiFailure('internal_error', sentence('internal_error', '', undefined));
    return body.data;
  }
}

/** Downloads `path` (a REST `GET`) with the in-memory access token in the `Authorization`
 * header, never in the URL, and saves the answer as `filename` through a Blob's object URL. */
export async function download(path: string, filename: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    if (!session) throw new ApiFailure('unauthenticated', sentence('unauthenticated', '', undefined));
    if (Date.now() >= session.expiresAt) await refresh();
    let res: Response;
    try {
      res = await fetch(path, { headers: { authorization: `Bearer ${session?.access ?? ''}` }, credentials: 'omit' });
    } catch {
      throw new ApiFailure('network', sentence('network', '', undefined));
    }
    if (res.status === 401 && attempt === 0) {
      await refresh();
      continue;
    }
    if (!res.ok) throw await problem(res);
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return blob.size;
  }
}

/** A fresh key for a write that may be retried (`idempotencyKey`). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
