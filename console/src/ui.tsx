// Shared pieces: links, the loading / empty / error states, a query hook and the session.
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from './api';
import { BASE, linkClick } from './router';

export interface Me {
  name: string;
  email: string;
  role: string;
  workspace: string;
  currency: string;
}

export const SessionContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('no session');
  return me;
}

/** What a role may change (the API decides anyway; the console only hides what would fail). */
export function can(me: Me, action: 'deals' | 'segments' | 'campaigns' | 'offers' | 'complaints' | 'admin'): boolean {
  switch (action) {
    case 'deals':
    case 'segments':
    case 'complaints':
      return ['owner', 'admin', 'manager', 'agent'].includes(me.role);
    case 'campaigns':
    case 'offers':
      return ['owner', 'admin', 'manager'].includes(me.role);
    case 'admin':
      return ['owner', 'admin'].includes(me.role);
  }
}

/** A write's outcome shown above the page: a sentence, polite for success, an alert otherwise. */
export function Notice({ notice, testid }: { notice: { ok: boolean; text: string } | null; testid: string }) {
  return (
    <div aria-live="polite">
      {notice && (
        <p class={`notice ${notice.ok ? 'ok' : 'conflict'}`} role={notice.ok ? 'status' : 'alert'} data-testid={testid}>
          {notice.text}
        </p>
      )}
    </div>
  );
}

export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' }) {
  return (
    <a href={BASE + props.href} onClick={linkClick} class={props.class} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div class="state error" role="alert">
      <p>{message(error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function message(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return 'Something went wrong in the console. Reload the page and try again.';
}

export type Loaded<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: undefined; error: unknown }
  | { status: 'ok'; data: T; error?: undefined };

/** Runs `load` when `key` changes; the answer of an older key is dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    setState((s) => (s.status === 'ok' && tick > 0 ? s : { status: 'loading' }));
    load().then(
      (data) => run === latest.current && setState({ status: 'ok', data }),
      (error: unknown) => run === latest.current && setState({ status: 'error', error }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Rapport`;
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <h1 id="page-title">{title}</h1>
        {actions}
      </header>
      {children}
    </section>
  );
}
