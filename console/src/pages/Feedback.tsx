// Feedback: NPS and CSAT over the last 12 months as charts, NPS by touchpoint and channel
// with their intervals, complaint service levels, the complaints list with SLA breach flags,
// and a complaint's page: its history, and resolving it (outcome, optional points).
import { useState } from 'preact/hooks';
import { gql, idempotencyKey } from '../api';
import { IntervalChart, LineChart } from '../charts';
import { count, date, money, percent, words } from '../format';
import { graphql } from '../gql';
import type { ComplaintRowFragment, ScorePartsFragment } from '../gql/graphql';
import { navigate } from '../router';
import { Empty, ErrorState, Link, Loading, Notice, Page, can, message, useLoad, useMe } from '../ui';

const FeedbackQuery = graphql(`
  query Feedback {
    satisfactionReport(period: "month", detractorsLimit: 5) {
      currency
      startsAt
      endsBefore
      overall {
        ...ScoreParts
      }
      overTime {
        key
        scores {
          ...ScoreParts
        }
      }
      byTouchpoint {
        key
        scores {
          ...ScoreParts
        }
      }
      byChannel {
        key
        scores {
          ...ScoreParts
        }
      }
      complaints {
        opened
        resolved
        active
        firstResponseSlaMet
        resolutionSlaMet
        firstResponseMinutesMedian
        resolutionMinutesMedian
      }
      detractorsAtRisk {
        accountId
        name
        nps
        valueAtRisk
      }
    }
    complaints(first: 50) {
      nodes {
        ...ComplaintRow
      }
    }
  }
  fragment ComplaintRow on Complaint {
    id
    accountId
    subject
    category
    severity
    status
    openedAt
    resolutionDueAt
    firstResponseBreached
    resolutionBreached
  }
  fragment ScoreParts on Scores {
    npsResponses
    promoters
    passives
    detractors
    nps
    npsLow
    npsHigh
    csatResponses
    csatAverage
    csatSatisfiedShare
    cesResponses
    cesAverage
  }
`);

const ComplaintsQuery = graphql(`
  query Complaints($status: String) {
    complaints(first: 50, status: $status) {
      nodes {
        ...ComplaintRow
      }
    }
  }
`);

const ComplaintQuery = graphql(`
  query ComplaintDetail($id: ID!) {
    complaint(id: $id) {
      id
      accountId
      orderId
      feedbackId
      category
      severity
      channel
      subject
      description
      status
      openedAt
      firstResponseDueAt
      resolutionDueAt
      firstRespondedAt
      resolvedAt
      closedAt
      firstResponseBreached
      resolutionBreached
      outcome
    }
    complaintHistory(id: $id) {
      id
      kind
      fromStatus
      toStatus
      body
      actorType
      occurredAt
    }
  }
`);

const ResolveComplaint = graphql(`
  mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {
    resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {
      complaint {
        id
        status
      }
      compensations {
        kind
        points
        amount
        currency
        paidNow
      }
    }
  }
`);

const ACTIVE = new Set(['open', 'in_progress', 'waiting_for_customer', 'reopened']);

function nps(s: ScorePartsFragment): string {
  if (s.nps == null) return 'no NPS answers';
  const ci = s.npsLow != null && s.npsHigh != null ? ` (95 % interval ${Math.round(s.npsLow)} to ${Math.round(s.npsHigh)})` : '';
  return `NPS ${Math.round(s.nps)}${ci}, ${count(s.npsResponses)} answers`;
}

function minutes(m: number | null | undefined): string {
  if (m == null) return '—';
  if (m < 90) return `${Math.round(m)} min`;
  if (m < 60 * 48) return `${(m / 60).toFixed(1)} h`;
  return `${(m / 1440).toFixed(1)} days`;
}

function Flags({ c }: { c: { status: string; firstResponseBreached: boolean; resolutionBreached: boolean } }) {
  const active = ACTIVE.has(c.status);
  return (
    <>
      {c.firstResponseBreached && <span class="flag bad">First response late</span>}
      {c.resolutionBreached && <span class="flag bad">{active ? 'Resolution overdue' : 'Resolved late'}</span>}
      {!c.firstResponseBreached && !c.resolutionBreached && <span class="flag ok">Within SLA</span>}
    </>
  );
}

const STATUSES = ['open', 'in_progress', 'waiting_for_customer', 'reopened', 'resolved', 'closed'];

export function FeedbackPage({ complaint }: { complaint: string | null }) {
  if (complaint) return <ComplaintPage id={complaint} />;
  return <FeedbackOverview />;
}

function FeedbackOverview() {
  const q = useLoad(() => gql(FeedbackQuery), 'feedback');
  if (q.status === 'loading') return <Loading what="feedback" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { satisfactionReport: r, complaints } = q.data;
  const o = r.overall;
  const overTime = r.overTime.map((g) => ({
    label: g.key,
    value: g.scores.nps ?? null,
    low: g.scores.npsLow ?? null,
    high: g.scores.npsHigh ?? null,
    text: nps(g.scores),
  }));
  const csat = r.overTime.map((g) => ({
    label: g.key,
    value: g.scores.csatAverage ?? null,
    text: g.scores.csatAverage == null ? 'no CSAT answers' : `CSAT ${g.scores.csatAverage.toFixed(2)} of 5, ${count(g.scores.csatResponses)} answers`,
  }));
  const groups = (list: typeof r.byTouchpoint) =>
    list
      .filter((g) => g.scores.nps != null)
      .map((g) => ({ label: words(g.key), estimate: g.scores.nps ?? 0, low: g.scores.npsLow ?? null, high: g.scores.npsHigh ?? null, text: nps(g.scores) }));
  const c = r.complaints;
  return (
    <Page title="Feedback">
      {o.npsResponses + o.csatResponses + o.cesResponses === 0 ? (
        <Empty>No survey answers in the last 12 months.</Empty>
      ) : (
        <div class="grid">
          <article class="card wide" aria-labelledby="scores-h">
            <h2 id="scores-h">Scores, last 12 months</h2>
            <dl class="kpis">
              <div>
                <dt>NPS</dt>
                <dd data-testid="nps">{o.nps == null ? '—' : Math.round(o.nps)}</dd>
              </div>
              <div>
                <dt>Promoters / passives / detractors</dt>
                <dd>
                  {count(o.promoters)} / {count(o.passives)} / {count(o.detractors)}
                </dd>
              </div>
              <div>
                <dt>CSAT (1-5)</dt>
                <dd>{o.csatAverage == null ? '—' : o.csatAverage.toFixed(2)}</dd>
              </div>
              <div>
                <dt>Satisfied (4-5)</dt>
                <dd>{percent(o.csatSatisfiedShare)}</dd>
              </div>
              <div>
                <dt>Effort (CES 1-7)</dt>
                <dd>{o.cesAverage == null ? '—' : o.cesAverage.toFixed(2)}</dd>
              </div>
            </dl>
            <p class="muted small">
              NPS is the share of promoters (9-10) minus the share of detractors (0-6), from −100 to 100; {nps(o)}. The band around the line is its 95 % interval: wide when few answered.
            </p>
            <h3 class="small">NPS per month</h3>
            <LineChart points={overTime} label="NPS per month with its 95 % interval" min={-100} max={100} zero={0} />
            <h3 class="small">CSAT per month</h3>
            <LineChart points={csat} label="Average CSAT per month, 1 to 5" min={1} max={5} />
          </article>
          <article class="card wide" aria-labelledby="tp-h">
            <div class="halves">
              <div>
                <h2 id="tp-h">NPS by touchpoint</h2>
                {groups(r.byTouchpoint).length === 0 ? <Empty>No NPS answers.</Empty> : <IntervalChart rows={groups(r.byTouchpoint)} label="NPS by touchpoint with 95 % intervals" />}
              </div>
              <div>
                <h2 id="ch-h">NPS by survey channel</h2>
                {groups(r.byChannel).length === 0 ? <Empty>No NPS answers.</Empty> : <IntervalChart rows={groups(r.byChannel)} label="NPS by survey channel with 95 % intervals" />}
              </div>
            </div>
            <p class="muted small">Each dot is a group’s NPS, the bar its 95 % interval; green when the whole interval is above zero.</p>
          </article>
          <article class="card" aria-labelledby="sla-h">
            <h2 id="sla-h">Complaints, last 12 months</h2>
            <dl class="kpis">
              <div>
                <dt>Opened</dt>
                <dd>{count(c.opened)}</dd>
              </div>
              <div>
                <dt>Still being worked on</dt>
                <dd>{count(c.active)}</dd>
              </div>
              <div>
                <dt>First response in time</dt>
                <dd>{percent(c.firstResponseSlaMet)}</dd>
              </div>
              <div>
                <dt>Resolved in time</dt>
                <dd>{percent(c.resolutionSlaMet)}</dd>
              </div>
            </dl>
            <p class="muted small">
              Median first response {minutes(c.firstResponseMinutesMedian)}, median resolution {minutes(c.resolutionMinutesMedian)}.
            </p>
          </article>
          <article class="card" aria-labelledby="det-h">
            <h2 id="det-h">Detractors with the most value at risk</h2>
            {r.detractorsAtRisk.length === 0 ? (
              <Empty>No detractor.</Empty>
            ) : (
              <ul class="plain">
                {r.detractorsAtRisk.map((d) => (
                  <li key={d.accountId}>
                    <Link href={`/customers/${encodeURIComponent(d.accountId)}`}>{d.name}</Link> · NPS {d.nps ?? '—'} · {money(d.valueAtRisk, r.currency)} at risk
                  </li>
                ))}
              </ul>
            )}
          </article>
        </div>
      )}
      <Complaints first={complaints.nodes} />
    </Page>
  );
}

/** The complaints, newest first; a status filter asks for that status only (one request). */
function Complaints({ first }: { first: ComplaintRowFragment[] }) {
  const [status, setStatus] = useState('');
  const q = useLoad(() => (status ? gql(ComplaintsQuery, { status }).then((d) => d.complaints.nodes) : Promise.resolve(first)), `complaints:${status}`);
  const rows = q.data ?? [];
  return (
      <article class="card wide complaints" aria-labelledby="complaints-h">
        <div class="row">
          <h2 id="complaints-h">Complaints</h2>
          <label class="inline">
            Status
            <select name="complaint-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              <option value="">All</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {words(s)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {q.status === 'loading' ? (
          <Loading what="complaints" />
        ) : q.status === 'error' ? (
          <ErrorState error={q.error} retry={q.reload} />
        ) : rows.length === 0 ? (
          <Empty>No complaint{status ? ` with this status` : ''}.</Empty>
        ) : (
          <table class="list" aria-label="Complaints">
            <thead>
              <tr>
                <th scope="col">Opened</th>
                <th scope="col">Subject</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Service level</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => (
                <tr key={k.id} data-status={k.status}>
                  <td>{date(k.openedAt)}</td>
                  <td>
                    <Link href={`/feedback/complaints/${encodeURIComponent(k.id)}`}>{k.subject}</Link>
                    <div class="small muted">{words(k.category)}</div>
                  </td>
                  <td>{words(k.severity)}</td>
                  <td>
                    {words(k.status)}
                    {ACTIVE.has(k.status) ? <div class="small muted">due {date(k.resolutionDueAt)}</div> : null}
                  </td>
                  <td>
                    <Flags c={k} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </article>
  );
}

function ComplaintPage({ id }: { id: string }) {
  const me = useMe();
  const q = useLoad(() => gql(ComplaintQuery, { id }), id);
  const [outcome, setOutcome] = useState('');
  const [points, setPoints] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  if (q.status === 'loading') return <Loading what="the complaint" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { complaint: k, complaintHistory: history } = q.data;
  const resolvable = can(me, 'complaints') && ACTIVE.has(k.status);
  const resolve = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    try {
      const p = points.trim() ? String(Math.round(Number(points))) : null;
      const r = (await gql(ResolveComplaint, { id: k.id, input: { outcome: outcome.trim(), points: p }, key: idempotencyKey() })).resolveComplaint;
      const paid = r.compensations
        .filter((x) => x.paidNow)
        .map((x) => (x.kind === 'points' ? `${count(x.points ?? 0)} points credited` : x.kind === 'refund' ? `${money(x.amount, x.currency ?? undefined)} refunded` : 'a voucher issued'));
      setNotice({ ok: true, text: `Complaint resolved${paid.length ? `: ${paid.join(', ')}` : ''}.` });
      setOutcome('');
      setPoints('');
      q.reload();
    } catch (err) {
      setNotice({ ok: false, text: message(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={k.subject} actions={<button type="button" class="secondary" onClick={() => navigate('/feedback')}>All feedback</button>}>
      <Notice notice={notice} testid="complaint-notice" />
      <p class="muted">
        {words(k.category)} · {words(k.severity)} severity{k.channel ? ` · through ${k.channel}` : ''} · opened {date(k.openedAt)} ·{' '}
        <Link href={`/customers/${encodeURIComponent(k.accountId)}`}>the customer’s page</Link>
      </p>
      <div class="grid">
        <article class="card" aria-labelledby="state-h">
          <h2 id="state-h">Status</h2>
          <p class="big" data-testid="complaint-status">
            {words(k.status)}
          </p>
          <p>
            <Flags c={k} />
          </p>
          <dl class="kpis">
            <div>
              <dt>First response due</dt>
              <dd class="small">{k.firstRespondedAt ? `answered ${date(k.firstRespondedAt)}` : date(k.firstResponseDueAt)}</dd>
            </div>
            <div>
              <dt>Resolution due</dt>
              <dd class="small">{k.resolvedAt ? `resolved ${date(k.resolvedAt)}` : date(k.resolutionDueAt)}</dd>
            </div>
          </dl>
          {k.description && <p>{k.description}</p>}
          {k.outcome && (
            <p>
              <strong>Outcome:</strong> {k.outcome}
            </p>
          )}
          {k.feedbackId && <p class="small muted">Opened from a detractor’s survey answer.</p>}
        </article>
        {resolvable && (
          <article class="card" aria-labelledby="resolve-h">
            <h2 id="resolve-h">Resolve</h2>
            <form class="rule" onSubmit={(e) => void resolve(e)}>
              <label>
                What was done (outcome)
                <textarea name="outcome" required maxLength={5000} value={outcome} onInput={(e) => setOutcome(e.currentTarget.value)} />
              </label>
              <label>
                Loyalty points as compensation (optional)
                <input type="number" name="points" min={1} step={1} value={points} onInput={(e) => setPoints(e.currentTarget.value)} />
              </label>
              <button type="submit" disabled={busy || !outcome.trim()}>
                Resolve complaint
              </button>
            </form>
          </article>
        )}
        <article class="card wide" aria-labelledby="history-h">
          <h2 id="history-h">History</h2>
          {history.length === 0 ? (
            <Empty>Nothing happened yet.</Empty>
          ) : (
            <ol class="timeline" aria-label="Complaint history">
              {history.map((h) => (
                <li key={h.id}>
                  <time dateTime={h.occurredAt}>{date(h.occurredAt)}</time>{' '}
                  <strong>
                    {h.kind === 'status'
                      ? `${h.fromStatus ? `${words(h.fromStatus)} → ` : ''}${words(h.toStatus)}`
                      : h.kind === 'assigned'
                        ? 'Assigned'
                        : h.kind === 'compensation'
                          ? 'Compensation'
                          : 'Note'}
                  </strong>{' '}
                  {h.body ?? ''} <span class="small muted">by {h.actorType === 'api_key' ? 'an API key' : h.actorType === 'system' ? 'the system' : 'a user'}</span>
                </li>
              ))}
            </ol>
          )}
        </article>
      </div>
    </Page>
  );
}
