// Settings (admins): the team and their roles (add a user, disable or enable one), API keys
// with their scopes (create: the secret is shown once; revoke), and webhook subscriptions
// (create: the signing secret is shown once; delete) with their delivery log.
import { useState } from 'preact/hooks';
import { gql } from '../api';
import { date, words } from '../format';
import { graphql } from '../gql';
import type { SettingsQuery as SettingsData } from '../gql/graphql';
import { Empty, ErrorState, Loading, Notice, Page, message, useLoad, useMe } from '../ui';

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
        version
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

const CreateUser = graphql(`
  mutation CreateUser($input: NewUser!) {
    createUser(input: $input) {
      id
      name
      role
    }
  }
`);

const SetUserDisabled = graphql(`
  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
    updateUser(id: $id, input: { disabled: $disabled }) {
      id
      disabled
    }
  }
`);

const CreateApiKey = graphql(`
  mutation CreateApiKey($input: NewApiKey!) {
    createApiKey(input: $input) {
      id
      name
      scopes
      secret
    }
  }
`);

const RevokeApiKey = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

const CreateWebhook = graphql(`
  mutation CreateWebhook($input: NewWebhook!) {
    createWebhook(input: $input) {
      id
      url
      secret
    }
  }
`);

const DeleteWebhook = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`);

const DeliveriesQuery = graphql(`
  query WebhookDeliveries($id: ID!) {
    webhookDeliveries(webhookId: $id, first: 20) {
      nodes {
        id
        eventType
        eventCount
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
            <td>
              {d.eventType}
              {d.eventCount > 1 ? <span class="muted"> and {d.eventCount - 1} more (one batch)</span> : null}
            </td>
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

const ROLES = ['viewer', 'agent', 'manager', 'admin', 'owner'];
const SCOPES = [
  'accounts:read',
  'accounts:write',
  'orders:read',
  'orders:write',
  'deals:read',
  'deals:write',
  'loyalty:read',
  'loyalty:write',
  'analytics:read',
  'campaigns:read',
  'campaigns:write',
  'offers:read',
  'offers:write',
  'events:read',
  'admin',
];

type Done = (text: string, ok: boolean, secret?: { label: string; value: string }) => void;

function useWrite(done: Done) {
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<string | [string, { label: string; value: string }]>) => {
    setBusy(true);
    try {
      const r = await work();
      if (typeof r === 'string') done(r, true);
      else done(r[0], true, r[1]);
    } catch (err) {
      done(message(err), false);
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

function Users({ users, me, owner, done }: { users: SettingsData['users']['nodes']; me: string; owner: boolean; done: Done }) {
  const { busy, run } = useWrite(done);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('agent');
  return (
    <article class="card wide" aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      <table class="list" aria-labelledby="users-h">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">
              <span class="muted small">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                {u.name}
                {u.disabled ? ' (disabled)' : ''}
              </td>
              <td>{u.email}</td>
              <td>{words(u.role)}</td>
              <td>{u.lastLoginAt ? date(u.lastLoginAt) : 'never'}</td>
              <td>
                {u.email !== me && (
                  <button
                    type="button"
                    class="secondary"
                    disabled={busy}
                    onClick={() =>
                      void run(async () => {
                        await gql(SetUserDisabled, { id: u.id, disabled: !u.disabled });
                        return u.disabled ? `${u.name} can sign in again.` : `${u.name} is disabled: their sessions have ended.`;
                      })
                    }
                  >
                    {u.disabled ? `Enable ${u.name}` : `Disable ${u.name}`}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 class="small">Add a user</h3>
      <form
        class="condition"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await gql(CreateUser, { input: { email: email.trim(), name: name.trim(), password, role } });
            setEmail('');
            setName('');
            setPassword('');
            return `${r.createUser.name} was added as ${words(r.createUser.role).toLowerCase()}; give them their password yourself.`;
          });
        }}
      >
        <label>
          Name
          <input name="user-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          E-mail
          <input name="user-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password (10 or more characters)
          <input name="user-password" type="password" autocomplete="new-password" required minLength={10} maxLength={256} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label>
          Role
          <select name="user-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.filter((r) => owner || r !== 'owner').map((r) => (
              <option key={r} value={r}>
                {words(r)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || !email.trim() || !name.trim() || password.length < 10}>
          Add user
        </button>
      </form>
    </article>
  );
}

function ApiKeys({ keys, done }: { keys: SettingsData['apiKeys']['nodes']; done: Done }) {
  const { busy, run } = useWrite(done);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['accounts:read']);
  const toggle = (s: string) => setScopes(scopes.includes(s) ? scopes.filter((x) => x !== s) : [...scopes, s]);
  return (
    <article class="card wide" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      {keys.length === 0 ? (
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
              <th scope="col">
                <span class="muted small">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-key={k.name}>
                <td>{k.name}</td>
                <td>
                  <code>{`rk_${k.prefix}_…`}</code>
                </td>
                <td class="small">{k.scopes.join(', ')}</td>
                <td>{k.lastUsedAt ? date(k.lastUsedAt) : 'never'}</td>
                <td>{k.revokedAt ? `revoked ${date(k.revokedAt)}` : k.expiresAt ? `expires ${date(k.expiresAt)}` : 'active'}</td>
                <td>
                  {!k.revokedAt && (
                    <button
                      type="button"
                      class="secondary"
                      disabled={busy}
                      onClick={() =>
                        void run(async () => {
                          await gql(RevokeApiKey, { id: k.id });
                          return `The key “${k.name}” is revoked: requests carrying it are refused from now on.`;
                        })
                      }
                    >
                      Revoke “{k.name}”
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 class="small">Create a key</h3>
      <form
        class="rule"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await gql(CreateApiKey, { input: { name: name.trim(), scopes } });
            setName('');
            return [
              `The key “${r.createApiKey.name}” was created with ${r.createApiKey.scopes.join(', ')}. Copy its secret now: it is not shown again.`,
              { label: 'API key secret', value: r.createApiKey.secret },
            ];
          });
        }}
      >
        <label>
          Key name
          <input name="key-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <fieldset class="scopes">
          <legend>Scopes (no wider than your own)</legend>
          {SCOPES.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy || !name.trim() || scopes.length === 0}>
          Create key
        </button>
      </form>
    </article>
  );
}

function Webhooks({ hooks, done }: { hooks: SettingsData['webhooks']['nodes']; done: Done }) {
  const { busy, run } = useWrite(done);
  const [open, setOpen] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('order.*');
  const [description, setDescription] = useState('');
  return (
    <article class="card wide" aria-labelledby="hooks-h">
      <h2 id="hooks-h">Webhooks</h2>
      {hooks.length === 0 ? (
        <Empty>No webhook subscription.</Empty>
      ) : (
        <ul class="plain">
          {hooks.map((w) => (
            <li key={w.id}>
              <div class="row">
                <strong>{w.url}</strong>
                <span class="small muted">
                  {w.eventTypes.join(', ')} · {w.enabled ? 'enabled' : `disabled${w.disabledReason ? `: ${w.disabledReason}` : ''}`}
                  {w.description ? ` · ${w.description}` : ''}
                </span>
                <button type="button" class="secondary" aria-expanded={open === w.id} onClick={() => setOpen(open === w.id ? null : w.id)}>
                  {open === w.id ? 'Hide deliveries' : 'Show deliveries'}
                </button>
                {confirm === w.id ? (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      void run(async () => {
                        await gql(DeleteWebhook, { id: w.id });
                        setConfirm(null);
                        return `The subscription to ${w.url} and its delivery log are deleted.`;
                      })
                    }
                  >
                    Confirm: delete it and its log
                  </button>
                ) : (
                  <button type="button" class="secondary" onClick={() => setConfirm(w.id)}>
                    Delete
                  </button>
                )}
              </div>
              {open === w.id && <Deliveries id={w.id} />}
            </li>
          ))}
        </ul>
      )}
      <h3 class="small">Subscribe a URL</h3>
      <form
        class="condition"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const eventTypes = events
              .split(/[\s,]+/)
              .map((x) => x.trim())
              .filter(Boolean);
            const r = await gql(CreateWebhook, { input: { url: url.trim(), eventTypes, description: description.trim() || null } });
            setUrl('');
            setDescription('');
            return [
              `Deliveries to ${r.createWebhook.url} start with the next matching event. Copy the signing secret now: it is not shown again.`,
              { label: 'Signing secret', value: r.createWebhook.secret },
            ];
          });
        }}
      >
        <label>
          URL (https)
          <input name="hook-url" type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        </label>
        <label>
          Event types (order.*, deal.won, * …)
          <input name="hook-events" required value={events} onInput={(e) => setEvents(e.currentTarget.value)} />
        </label>
        <label>
          Description
          <input name="hook-description" maxLength={500} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy || !url.trim() || !events.trim()}>
          Subscribe
        </button>
      </form>
    </article>
  );
}

export function SettingsPage() {
  const me = useMe();
  const admin = me.role === 'owner' || me.role === 'admin';
  const q = useLoad(() => (admin ? gql(SettingsQuery) : Promise.resolve(null)), 'settings');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
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
  const done: Done = (text, ok, shown) => {
    setNotice({ ok, text });
    setSecret(shown ?? null);
    if (ok) q.reload();
  };
  return (
    <Page title="Settings">
      <Notice notice={notice} testid="settings-notice" />
      {secret && (
        <div class="notice ok" data-testid="secret">
          <strong>{secret.label}</strong> (shown once):
          <code class="secret">{secret.value}</code>
          <button type="button" class="secondary" onClick={() => setSecret(null)}>
            I have kept it
          </button>
        </div>
      )}
      <div class="grid">
        <Users users={users.nodes} me={me.email} owner={me.role === 'owner'} done={done} />
        <ApiKeys keys={apiKeys.nodes} done={done} />
        <Webhooks hooks={webhooks.nodes} done={done} />
      </div>
    </Page>
  );
}
