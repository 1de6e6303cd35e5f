// Settings (admins): the team and their roles, API keys with their scopes, and webhook
// subscriptions with their delivery log. Read-only in this first slice.
import { useState } from 'preact/hooks';
import { gql } from '../api';
import { date, words } from '../format';
import { graphql } from '../gql';
import { Empty, ErrorState, Loading, Page, useLoad, useMe } from '../ui';

const SettingsQuery = graphql(`
  query Settings {
    users(first: 100) {
      nodes {
        id
        name
        email
        role
        disabled
        lastLoginAt
      }
    }
    apiKeys(first: 100) {
      nodes {
        id
        name
        prefix
        scopes
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
    webhooks(first: 50) {
      nodes {
        id
        url
        description
        eventTypes
        enabled
        disabledReason
      }
    }
  }
`);

const DeliveriesQuery = graphql(`
  query WebhookDeliveries($id: ID!) {
    webhookDeliveries(webhookId: $id, first: 20) {
      nodes {
        id
        eventType
        attempt
        trigger
        outcome
        statusCode
        latencyMs
        error
        createdAt
      }
    }
  }
`);

function Deliveries({ id }: { id: string }) {
  const q = useLoad(() => gql(DeliveriesQuery, { id }), id);
  if (q.status === 'loading') return <Loading what="deliveries" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const rows = q.data.webhookDeliveries.nodes;
  if (rows.length === 0) return <Empty>Nothing delivered yet.</Empty>;
  return (
    <table class="list compact" aria-label="Delivery log">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">Attempt</th>
          <th scope="col">Outcome</th>
          <th scope="col" class="num">Status</th>
          <th scope="col" class="num">Latency</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id}>
            <td>{date(d.createdAt)}</td>
            <td>{d.eventType}</td>
            <td>
              {d.attempt} ({d.trigger})
            </td>
            <td>
              {words(d.outcome)}
              {d.error ? <div class="small muted">{d.error}</div> : null}
            </td>
            <td class="num">{d.statusCode ?? '—'}</td>
            <td class="num">{d.latencyMs} ms</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SettingsPage() {
  const me = useMe();
  const admin = me.role === 'owner' || me.role === 'admin';
  const q = useLoad(() => (admin ? gql(SettingsQuery) : Promise.resolve(null)), 'settings');
  const [open, setOpen] = useState<string | null>(null);
  if (!admin) {
    return (
      <Page title="Settings">
        <Empty>Only owners and admins manage users, API keys and webhooks.</Empty>
      </Page>
    );
  }
  if (q.status === 'loading') return <Loading what="settings" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.data) return null;
  const { users, apiKeys, webhooks } = q.data;
  return (
    <Page title="Settings">
      <div class="grid">
        <article class="card wide" aria-labelledby="users-h">
          <h2 id="users-h">Users</h2>
          <table class="list" aria-labelledby="users-h">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
              </tr>
            </thead>
            <tbody>
              {users.nodes.map((u) => (
                <tr key={u.id}>
                  <td>
                    {u.name}
                    {u.disabled ? ' (disabled)' : ''}
                  </td>
                  <td>{u.email}</td>
                  <td>{words(u.role)}</td>
                  <td>{u.lastLoginAt ? date(u.lastLoginAt) : 'never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
        <article class="card wide" aria-labelledby="keys-h">
          <h2 id="keys-h">API keys</h2>
          {apiKeys.nodes.length === 0 ? (
            <Empty>No API key.</Empty>
          ) : (
            <table class="list" aria-labelledby="keys-h">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {apiKeys.nodes.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td>
                      <code>{`rk_${k.prefix}_…`}</code>
                    </td>
                    <td class="small">{k.scopes.join(', ')}</td>
                    <td>{k.lastUsedAt ? date(k.lastUsedAt) : 'never'}</td>
                    <td>{k.revokedAt ? `revoked ${date(k.revokedAt)}` : k.expiresAt ? `expires ${date(k.expiresAt)}` : 'active'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
        <article class="card wide" aria-labelledby="hooks-h">
          <h2 id="hooks-h">Webhooks</h2>
          {webhooks.nodes.length === 0 ? (
            <Empty>No webhook subscription.</Empty>
          ) : (
            <ul class="plain">
              {webhooks.nodes.map((w) => (
                <li key={w.id}>
                  <div class="row">
                    <strong>{w.url}</strong>
                    <span class="small muted">
                      {w.eventTypes.join(', ')} · {w.enabled ? 'enabled' : `disabled${w.disabledReason ? `: ${w.disabledReason}` : ''}`}
                    </span>
                    <button type="button" class="secondary" aria-expanded={open === w.id} onClick={() => setOpen(open === w.id ? null : w.id)}>
                      {open === w.id ? 'Hide deliveries' : 'Show deliveries'}
                    </button>
                  </div>
                  {open === w.id && <Deliveries id={w.id} />}
                </li>
              ))}
            </ul>
          )}
        </article>
      </div>
    </Page>
  );
}
