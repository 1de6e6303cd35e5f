// Customers: search as you type, a segment picker, infinite scroll over keyset cursors.
// One GraphQL request per page of results (the first also brings the segment list).
import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api';
import { money, words } from '../format';
import { graphql } from '../gql';
import type { CustomersQuery } from '../gql/graphql';
import { Empty, ErrorState, Link, Loading, Page } from '../ui';

const CustomersQueryDoc = graphql(`
  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
    accounts(first: $first, after: $after, filter: $filter, sort: "name") {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        kind
        lifecycleStage
        emails
        metrics {
          ordersCount
          revenue
          clv
          riskBand
          rfm {
            label
          }
        }
      }
    }
    segments(first: 100) @include(if: $withSegments) {
      nodes {
        id
        name
      }
    }
  }
`);

type Row = CustomersQuery['accounts']['nodes'][number];
const PAGE = 50;

export function CustomersPage() {
  const [q, setQ] = useState('');
  const [term, setTerm] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [stage, setStage] = useState('');
  const [kind, setKind] = useState('');
  const [segments, setSegments] = useState<{ id: string; name: string }[] | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [status, setStatus] = useState<'loading' | 'ok' | 'error'>('loading');
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);
  const busy = useRef(false);
  // Where the current list ends; a cursor of an older search is never used with a newer one.
  const pageEnd = useRef<{ generation: number; cursor: string | null }>({ generation: 0, cursor: null });

  // Search as you type, a quarter of a second after the last key.
  useEffect(() => {
    const t = setTimeout(() => setTerm(q.trim()), 250);
    return () => clearTimeout(t);
  }, [q]);

  const load = async (after: string | null) => {
    const gen = generation.current;
    busy.current = true;
    try {
      const filter = {
        ...(term ? { q: term } : {}),
        ...(segmentId ? { segmentId } : {}),
        ...(stage ? { lifecycleStage: stage } : {}),
        ...(kind ? { kind } : {}),
      };
      const d = await gql(CustomersQueryDoc, { first: PAGE, after, filter, withSegments: segments === null });
      if (gen !== generation.current) return;
      if (d.segments) setSegments(d.segments.nodes);
      setRows((old) => {
        if (!after) return d.accounts.nodes;
        const seen = new Set(old.map((a) => a.id));
        return [...old, ...d.accounts.nodes.filter((a) => !seen.has(a.id))];
      });
      pageEnd.current = { generation: gen, cursor: d.accounts.pageInfo.endCursor ?? null };
      setCursor(d.accounts.pageInfo.endCursor ?? null);
      setMore(d.accounts.pageInfo.hasNextPage);
      setStatus('ok');
    } catch (e) {
      if (gen !== generation.current) return;
      setError(e);
      setStatus('error');
    } finally {
      if (gen === generation.current) busy.current = false;
    }
  };

  useEffect(() => {
    generation.current++;
    busy.current = false;
    pageEnd.current = { generation: generation.current, cursor: null };
    setMore(false);
    setCursor(null);
    setStatus('loading');
    setRows([]);
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [term, segmentId, stage, kind]);

  // Infinite scroll: the next page when the end of the list comes into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !more) return;
    const io = new IntersectionObserver((entries) => {
      const end = pageEnd.current;
      if (entries.some((e) => e.isIntersecting) && !busy.current && end.cursor && end.generation === generation.current) void load(end.cursor);
    });
    io.observe(el);
    return () => io.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [more, cursor, rows.length]);

  return (
    <Page title="Customers">
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" name="q" placeholder="Name, e-mail or phone" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          Segment
          <select name="segment" value={segmentId} onChange={(e) => setSegmentId(e.currentTarget.value)}>
            <option value="">All customers</option>
            {(segments ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stage
          <select name="stage" value={stage} onChange={(e) => setStage(e.currentTarget.value)}>
            <option value="">Any stage</option>
            {['lead', 'prospect', 'customer', 'churned'].map((s) => (
              <option key={s} value={s}>
                {words(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            <option value="">People and organizations</option>
            <option value="person">People</option>
            <option value="organization">Organizations</option>
          </select>
        </label>
      </form>
      {status === 'loading' && <Loading what="customers" />}
      {status === 'error' && <ErrorState error={error} retry={() => void load(null)} />}
      {status === 'ok' && rows.length === 0 && <Empty>No customer matches {term ? `“${term}”` : 'this filter'}.</Empty>}
      {rows.length > 0 && (
        <table class="list" aria-label="Customers">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Stage</th>
              <th scope="col">RFM segment</th>
              <th scope="col" class="num">Orders</th>
              <th scope="col" class="num">Revenue</th>
              <th scope="col" class="num">CLV (12 months)</th>
              <th scope="col">Risk</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={`/customers/${encodeURIComponent(a.id)}`}>{a.name}</Link>
                  <div class="muted small">{a.emails[0] ?? words(a.kind)}</div>
                </td>
                <td>{words(a.lifecycleStage)}</td>
                <td>{a.metrics.rfm?.label ?? '—'}</td>
                <td class="num">{a.metrics.ordersCount}</td>
                <td class="num">{money(a.metrics.revenue)}</td>
                <td class="num">{money(a.metrics.clv)}</td>
                <td>{a.metrics.riskBand ? <span class={`band ${a.metrics.riskBand}`}>{words(a.metrics.riskBand)}</span> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div ref={sentinel} class="sentinel" aria-hidden="true" />
      {more && status === 'ok' && <p class="muted small">Scroll for more…</p>}
    </Page>
  );
}
