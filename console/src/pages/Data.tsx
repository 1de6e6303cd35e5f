// Data: the workspace's import jobs and the pairs of accounts that may be one customer, in one
// GraphQL request. Read-only: imports are started through the API or the CLI, and duplicates
// are merged with `mergeAccounts` (or `POST /v1/accounts/{id}/merge`).
import { gql } from '../api';
import { count, date, percent, words } from '../format';
import { graphql } from '../gql';
import { Empty, ErrorState, Link, Loading, Page, useLoad } from '../ui';

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

const TONE: Record<string, string> = { succeeded: 'ok', failed: 'bad', cancelled: 'warn' };

function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${date(iso)} ${d.toISOString().slice(11, 16)} UTC`;
}

export function DataPage() {
  const q = useLoad(() => gql(DataQuery), 'data');
  if (q.status === 'loading') return <Loading what="imports and duplicates" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { importJobs: jobs, accountDuplicates: dups } = q.data;
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
