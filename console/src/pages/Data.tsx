// Data: the workspace's import jobs, export jobs and the pairs of accounts that may be one
// customer, in one GraphQL request. Exports of accounts, orders and feedback can be started
// here (`createExport`) and a finished file downloaded (REST, with the in-memory token in the
// header). Imports are started through the API or the CLI, and duplicates are merged with
// `mergeAccounts` (or `POST /v1/accounts/{id}/merge`).
import { useState } from 'preact/hooks';
import { download, gql, idempotencyKey } from '../api';
import { count, date, percent, words } from '../format';
import { graphql } from '../gql';
import type { DataQuery as DataData } from '../gql/graphql';
import { Empty, ErrorState, Link, Loading, Notice, Page, message, useLoad } from '../ui';

const DataQuery = graphql(`
  query Data {
    importJobs(first: 50) {
      nodes {
        id
        type
        format
        status
        dryRun
        rowsRead
        rowsCreated
        rowsUpdated
        rowsUnchanged
        rowsFailed
        error {
          code
          message
        }
        createdAt
        startedAt
        finishedAt
      }
      pageInfo {
        hasNextPage
      }
    }
    exportJobs(first: 50) {
      nodes {
        id
        type
        format
        status
        rowsWritten
        bytesWritten
        error {
          code
          message
        }
        downloadUrl
        createdAt
        expiresAt
      }
      pageInfo {
        hasNextPage
      }
    }
    accountDuplicates(first: 50) {
      nodes {
        accountId
        accountName
        duplicateId
        duplicateName
        score
        reasons {
          kind
          value
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const CreateExport = graphql(`
  mutation CreateExport($type: String!, $format: String!, $idempotencyKey: String) {
    createExport(type: $type, format: $format, idempotencyKey: $idempotencyKey) {
      id
      type
      format
      status
    }
  }
`);

const TONE: Record<string, string> = { succeeded: 'ok', failed: 'bad', cancelled: 'warn', expired: 'warn' };

/** The types exported without a filter (contacts, interactions and the ledger need an account:
 * they are exported through the API with `filters.account_id`). */
const EXPORT_TYPES = ['accounts', 'orders', 'feedback'];

function bytes(n: number): string {
  if (n < 1024) return `${count(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

function Exports({ jobs, reload }: { jobs: DataData['exportJobs']; reload: () => void }) {
  const [type, setType] = useState('accounts');
  const [format, setFormat] = useState('csv');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setNotice({ ok: true, text: await work() });
    } catch (err) {
      setNotice({ ok: false, text: message(err) });
    } finally {
      setBusy(false);
    }
  };
  const running = jobs.nodes.some((j) => j.status === 'queued' || j.status === 'running');
  return (
    <article class="card wide" aria-labelledby="d-exports">
      <h2 id="d-exports">Exports</h2>
      <Notice notice={notice} testid="export-notice" />
      {jobs.nodes.length === 0 ? (
        <Empty>No export yet.</Empty>
      ) : (
        <>
          <table class="list compact" aria-label="Export jobs">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">Rows</th>
                <th scope="col" class="num">Size</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="muted small">File</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.nodes.map((j) => (
                <tr key={j.id} data-testid={`export-${j.id}`} data-status={j.status}>
                  <td>
                    {words(j.type)} <span class="muted small">({j.format})</span>
                  </td>
                  <td>
                    <span class={`flag ${TONE[j.status] ?? ''}`}>{words(j.status)}</span>
                    {j.error && <div class="small">{j.error.message}</div>}
                  </td>
                  <td class="num">{count(j.rowsWritten)}</td>
                  <td class="num">{bytes(j.bytesWritten)}</td>
                  <td>{when(j.createdAt)}</td>
                  <td>{when(j.expiresAt)}</td>
                  <td>
                    {j.downloadUrl ? (
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy}
                        onClick={() => {
                          const url = j.downloadUrl ?? '';
                          void act(async () => {
                            const size = await download(url, `${j.type}-${j.id}.${j.format}`);
                            return `The ${words(j.type).toLowerCase()} export was downloaded (${bytes(size)}).`;
                          });
                        }}
                      >
                        Download {words(j.type).toLowerCase()} {j.format}
                      </button>
                    ) : (
                      <span class="muted small">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {jobs.pageInfo.hasNextPage && <p class="muted small">The 50 newest exports are shown.</p>}
        </>
      )}
      {running && (
        <p class="muted small">
          An export is still running.{' '}
          <button type="button" class="secondary" onClick={reload}>
            Refresh
          </button>
        </p>
      )}
      <h3 class="small">New export</h3>
      <form
        class="condition"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const r = await gql(CreateExport, { type, format, idempotencyKey: idempotencyKey() });
            reload();
            return `The ${words(r.createExport.type).toLowerCase()} export (${r.createExport.format}) is ${words(r.createExport.status).toLowerCase()}; it can be downloaded when it has succeeded.`;
          });
        }}
      >
        <label>
          What
          <select name="export-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            {EXPORT_TYPES.map((t) => (
              <option key={t} value={t}>
                {words(t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Format
          <select name="export-format" value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
            <option value="csv">CSV</option>
            <option value="ndjson">NDJSON</option>
          </select>
        </label>
        <button type="submit" disabled={busy}>
          Start export
        </button>
      </form>
      <p class="muted small">
        Contacts, interactions and the loyalty ledger are exported one account at a time through the API (<code>POST /v1/exports</code> with{' '}
        <code>filters.account_id</code>); filtered exports too.
      </p>
    </article>
  );
}

function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${date(iso)} ${d.toISOString().slice(11, 16)} UTC`;
}

export function DataPage() {
  const q = useLoad(() => gql(DataQuery), 'data');
  if (q.status === 'loading') return <Loading what="imports, exports and duplicates" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { importJobs: jobs, exportJobs: exports, accountDuplicates: dups } = q.data;
  return (
    <Page title="Data">
      <div class="grid">
        <article class="card wide" aria-labelledby="d-imports">
          <h2 id="d-imports">Imports</h2>
          {jobs.nodes.length === 0 ? (
            <Empty>No import yet: upload a CSV or NDJSON file with <code>POST /v1/imports</code> or <code>rapport import</code>.</Empty>
          ) : (
            <>
              <table class="list compact" aria-label="Import jobs">
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">Rows read</th>
                    <th scope="col" class="num">Created</th>
                    <th scope="col" class="num">Updated</th>
                    <th scope="col" class="num">Unchanged</th>
                    <th scope="col" class="num">Failed</th>
                    <th scope="col">Started</th>
                    <th scope="col">Finished</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.nodes.map((j) => (
                    <tr key={j.id} data-testid={`import-${j.id}`}>
                      <td>
                        {words(j.type)} <span class="muted small">({j.format}{j.dryRun ? ', dry run' : ''})</span>
                      </td>
                      <td>
                        <span class={`flag ${TONE[j.status] ?? ''}`}>{words(j.status)}</span>
                        {j.error && <div class="small">{j.error.message}</div>}
                      </td>
                      <td class="num">{count(j.rowsRead)}</td>
                      <td class="num">{count(j.rowsCreated)}</td>
                      <td class="num">{count(j.rowsUpdated)}</td>
                      <td class="num">{count(j.rowsUnchanged)}</td>
                      <td class="num">{count(j.rowsFailed)}</td>
                      <td>{when(j.startedAt)}</td>
                      <td>{when(j.finishedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {jobs.pageInfo.hasNextPage && <p class="muted small">The 50 newest imports are shown.</p>}
            </>
          )}
        </article>
        <Exports jobs={exports} reload={q.reload} />
        <article class="card wide" aria-labelledby="d-dups">
          <h2 id="d-dups">Possible duplicates</h2>
          {dups.nodes.length === 0 ? (
            <Empty>No two live accounts look like the same customer.</Empty>
          ) : (
            <>
              <p class="muted small">
                Pairs of live accounts that may be one customer, surest first. Open both to compare; merging is done with the API's <code>mergeAccounts</code>.
              </p>
              <table class="list compact" aria-label="Possible duplicates">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">May be the same as</th>
                    <th scope="col" class="num">Score</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {dups.nodes.map((d) => (
                    <tr key={`${d.accountId}-${d.duplicateId}`}>
                      <td>
                        <Link href={`/customers/${encodeURIComponent(d.accountId)}`}>{d.accountName}</Link>
                      </td>
                      <td>
                        <Link href={`/customers/${encodeURIComponent(d.duplicateId)}`}>{d.duplicateName}</Link>
                      </td>
                      <td class="num">{percent(d.score)}</td>
                      <td>{d.reasons.map((r) => `${words(r.kind)}: ${r.value}`).join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {dups.pageInfo.hasNextPage && <p class="muted small">The 50 surest pairs are shown.</p>}
            </>
          )}
        </article>
      </div>
    </Page>
  );
}
