// Campaigns: the list, a new draft on a segment, launch (managers and up), and a launched
// campaign's results: uplift against the control group with its 95 % interval, as a chart.
import { useState } from 'preact/hooks';
import { gql, idempotencyKey } from '../api';
import { IntervalChart } from '../charts';
import { count, date, money, percent, words } from '../format';
import { graphql } from '../gql';
import type { CampaignResultsQuery } from '../gql/graphql';
import { Empty, ErrorState, Link, Loading, Page, can, message, useLoad, useMe } from '../ui';
import { navigate } from '../router';

const CampaignsQuery = graphql(`
  query Campaigns {
    campaigns(first: 100) {
      nodes {
        id
        name
        channel
        status
        segmentId
        launchedAt
        endsAt
        controlShare
        audience {
          eligible
          treated
          control
        }
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`);

const ResultsQuery = graphql(`
  query CampaignResults($id: ID!) {
    campaignResults(id: $id) {
      status
      currency
      windowStart
      windowEnd
      windowOpen
      cost
      romi
      total {
        ...ArmComparisonParts
      }
      byRfmSegment {
        ...ArmComparisonParts
      }
    }
  }
  fragment ArmComparisonParts on ArmComparison {
    group
    incrementalRevenue
    incrementalMargin
    significance
    treatment {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    control {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    conversionUplift {
      difference
      relative
      ciLow
      ciHigh
      pValue
      significance
    }
  }
`);

const CreateCampaign = graphql(`
  mutation CreateCampaign($input: CampaignInput!, $key: String) {
    createCampaign(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`);

const LaunchCampaign = graphql(`
  mutation LaunchCampaign($id: ID!, $key: String) {
    launchCampaign(id: $id, idempotencyKey: $key) {
      id
      status
      audience {
        treated
        control
      }
    }
  }
`);

const CHANNELS = ['in_store', 'call', 'direct_mail', 'email', 'sms', 'push'];

type Results = CampaignResultsQuery['campaignResults'];

function Uplift({ id }: { id: string }) {
  const q = useLoad(() => gql(ResultsQuery, { id }), id);
  if (q.status === 'loading') return <Loading what="results" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const r: Results = q.data.campaignResults;
  const t = r.total;
  const rows = [t, ...r.byRfmSegment.filter((g) => g.treatment.members > 0)].map((g) => ({
    label: g.group === 'all' ? 'All members' : words(g.group),
    estimate: g.conversionUplift.difference * 100,
    low: g.conversionUplift.ciLow == null ? null : g.conversionUplift.ciLow * 100,
    high: g.conversionUplift.ciHigh == null ? null : g.conversionUplift.ciHigh * 100,
    text:
      `${(g.conversionUplift.difference * 100).toFixed(1)} points` +
      (g.conversionUplift.ciLow != null && g.conversionUplift.ciHigh != null
        ? ` (95 % interval ${(g.conversionUplift.ciLow * 100).toFixed(1)} to ${(g.conversionUplift.ciHigh * 100).toFixed(1)})`
        : ' (too few members for an interval)'),
  }));
  const u = t.conversionUplift;
  return (
    <div data-testid="results">
      <p>
        {r.windowOpen ? 'The attribution window is still open (figures will move): ' : 'Final results: '}
        {percent(t.treatment.conversionRate, 1)} of treated members bought against {percent(t.control.conversionRate, 1)} in the control group, an uplift
        of <strong>{(u.difference * 100).toFixed(1)} percentage points</strong>
        {u.ciLow != null && u.ciHigh != null ? ` (95 % interval ${(u.ciLow * 100).toFixed(1)} to ${(u.ciHigh * 100).toFixed(1)})` : ''}, which is{' '}
        {u.significance === 'significant' ? 'statistically significant' : u.significance === 'not_significant' ? 'not statistically significant' : 'not yet measurable (too little data)'}.
      </p>
      <table class="list compact" aria-label="Arms">
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col" class="num">Members</th>
            <th scope="col" class="num">Buyers</th>
            <th scope="col" class="num">Conversion</th>
            <th scope="col" class="num">Revenue per member</th>
          </tr>
        </thead>
        <tbody>
          {(
            [
              ['Treated', t.treatment],
              ['Control', t.control],
            ] as const
          ).map(([arm, a]) => (
            <tr key={arm}>
              <td>{arm}</td>
              <td class="num">{count(a.members)}</td>
              <td class="num">{count(a.buyers)}</td>
              <td class="num">{percent(a.conversionRate, 1)}</td>
              <td class="num">{money(Math.round(a.revenuePerMember), r.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <IntervalChart rows={rows} label="Conversion uplift in percentage points with 95 % intervals" />
      <dl class="kpis">
        <div>
          <dt>Incremental revenue</dt>
          <dd>{money(t.incrementalRevenue, r.currency)}</dd>
        </div>
        <div>
          <dt>Incremental margin</dt>
          <dd>{money(t.incrementalMargin, r.currency)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{money(r.cost, r.currency)}</dd>
        </div>
        <div>
          <dt>ROMI</dt>
          <dd>{r.romi == null ? 'free campaign' : percent(r.romi)}</dd>
        </div>
      </dl>
      <p class="muted small">
        Window {date(r.windowStart)} to {date(r.windowEnd)} · {count(t.treatment.members)} treated, {count(t.control.members)} in control.
      </p>
    </div>
  );
}

export function CampaignsPage({ selected }: { selected: string | null }) {
  const me = useMe();
  const writable = can(me, 'campaigns');
  const q = useLoad(() => gql(CampaignsQuery), 'campaigns');
  const [name, setName] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [channel, setChannel] = useState('in_store');
  const [control, setControl] = useState('10');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  if (q.status === 'loading') return <Loading what="campaigns" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { campaigns, segments } = q.data;
  const segmentName = new Map(segments.nodes.map((s) => [s.id, s.name]));
  const current = campaigns.nodes.find((c) => c.id === selected) ?? null;

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    try {
      const share = Number(control) / 100;
      const r = await gql(CreateCampaign, {
        input: { name: name.trim(), segmentId: segmentId || (segments.nodes[0]?.id ?? ''), channel, controlShare: share, costFixed: 0, costPerContact: 0 },
        key: idempotencyKey(),
      });
      setNotice({ ok: true, text: `Draft “${r.createCampaign.name}” created. Launch it when ready.` });
      setName('');
      q.reload();
    } catch (err) {
      setNotice({ ok: false, text: message(err) });
    } finally {
      setBusy(false);
    }
  };

  const launch = async (id: string, title: string) => {
    setBusy(true);
    setNotice(null);
    try {
      const r = await gql(LaunchCampaign, { id, key: idempotencyKey() });
      const a = r.launchCampaign.audience;
      setNotice({ ok: true, text: `“${title}” launched: ${a ? `${count(a.treated)} customers treated, ${count(a.control)} held out as control` : 'audience drawn'}.` });
      q.reload();
    } catch (err) {
      setNotice({ ok: false, text: message(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Campaigns">
      <div aria-live="polite">
        {notice && (
          <p class={`notice ${notice.ok ? 'ok' : 'conflict'}`} role={notice.ok ? 'status' : 'alert'} data-testid="campaign-notice">
            {notice.text}
          </p>
        )}
      </div>
      <div class="grid">
        <article class="card wide" aria-labelledby="list-h">
          <h2 id="list-h">All campaigns</h2>
          {campaigns.nodes.length === 0 ? (
            <Empty>No campaign yet.</Empty>
          ) : (
            <table class="list" aria-labelledby="list-h">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Segment</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Treated / control</th>
                  <th scope="col">
                    <span class="muted small">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {campaigns.nodes.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.status === 'draft' ? c.name : <Link href={`/campaigns/${encodeURIComponent(c.id)}`}>{c.name}</Link>}
                    </td>
                    <td>{segmentName.get(c.segmentId) ?? '—'}</td>
                    <td>{words(c.channel)}</td>
                    <td>
                      {words(c.status)}
                      {c.launchedAt ? ` ${date(c.launchedAt)}` : ''}
                    </td>
                    <td class="num">{c.audience ? `${count(c.audience.treated)} / ${count(c.audience.control)}` : '—'}</td>
                    <td>
                      {c.status === 'draft' && writable && (
                        <button type="button" disabled={busy} onClick={() => void launch(c.id, c.name)}>
                          Launch “{c.name}”
                        </button>
                      )}
                      {c.status !== 'draft' && (
                        <button type="button" class="secondary" onClick={() => navigate(`/campaigns/${encodeURIComponent(c.id)}`)}>
                          Results
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
        {current && current.status !== 'draft' && (
          <article class="card wide" aria-labelledby="results-h">
            <h2 id="results-h">Results: {current.name}</h2>
            <Uplift id={current.id} />
          </article>
        )}
        {writable && (
          <article class="card" aria-labelledby="new-h">
            <h2 id="new-h">New campaign</h2>
            {segments.nodes.length === 0 ? (
              <Empty>
                A campaign targets a segment: <Link href="/segments">build one first</Link>.
              </Empty>
            ) : (
              <form onSubmit={(e) => void create(e)} class="rule">
                <label>
                  Name
                  <input name="campaign-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
                </label>
                <label>
                  Segment
                  <select name="campaign-segment" value={segmentId || segments.nodes[0]?.id} onChange={(e) => setSegmentId(e.currentTarget.value)}>
                    {segments.nodes.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Channel
                  <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
                    {CHANNELS.map((c) => (
                      <option key={c} value={c}>
                        {words(c)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Control group (% held out)
                  <input type="number" min={1} max={90} value={control} onInput={(e) => setControl(e.currentTarget.value)} />
                </label>
                <button type="submit" disabled={busy || !name.trim()}>
                  Create draft
                </button>
              </form>
            )}
          </article>
        )}
      </div>
    </Page>
  );
}
