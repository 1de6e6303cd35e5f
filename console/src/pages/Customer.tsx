// The customer 360: value metrics explained in words, RFM, risk band, timeline, orders,
// loyalty, open deals, offers and vouchers, feedback and complaints, recommendations, in one
// GraphQL request. Admins also get the privacy card: the person's data as a JSON file and
// erasure with a typed confirmation (both on click, so the page view stays one request).
import { useEffect, useState } from 'preact/hooks';
import { download, gql, idempotencyKey } from '../api';
import { Meter } from '../charts';
import { count, date, daysAgo, money, num, percent, words } from '../format';
import { graphql } from '../gql';
import type { Customer360Query } from '../gql/graphql';
import { Empty, ErrorState, Link, Loading, Notice, Page, can, message, useLoad, useMe } from '../ui';
import { benefit } from './Offers';

const Customer360 = graphql(`
  query Customer360($id: ID!) {
    account(id: $id) {
      id
      name
      kind
      emails
      phones
      tags
      lifecycleStage
      acquisitionChannel
      createdAt
      metrics {
        currency
        ordersCount
        revenue
        margin
        averageOrderValue
        firstOrderAt
        lastOrderAt
        repeatPurchases
        rfm {
          r
          f
          m
          segment
          label
        }
        pAlive
        churnProbability
        riskBand
        expectedOrders90d
        expectedOrderValue
        clv
        spendModel
        predictionsUnavailable
      }
      interactions(first: 12) {
        nodes {
          id
          type
          channel
          direction
          subject
          occurredAt
        }
      }
      orders(first: 12) {
        nodes {
          id
          externalId
          amount
          currency
          refundedAmount
          status
          occurredAt
          channel
        }
      }
      nextBestOffers {
        offer {
          id
          name
          kind
          percent
          amount
          currency
          points
          pointsMultiplier
          benefit
        }
        expectedIncrementalMargin
        explanation
      }
      recommendations(limit: 5) {
        data {
          sku
          name
          reason
          explanation
        }
      }
      satisfaction {
        nps
        npsCategory
        npsAt
        csat
        csatAt
        ces
        cesAt
        responses
        openComplaints
      }
      feedback(first: 5) {
        nodes {
          id
          nps
          csat
          ces
          touchpoint
          channel
          comment
          occurredAt
        }
      }
      complaints(first: 5) {
        nodes {
          id
          subject
          status
          severity
          openedAt
          firstResponseBreached
          resolutionBreached
        }
      }
    }
    accountOffers(accountId: $id, stateFilter: "all", first: 8) {
      nodes {
        voucher {
          id
          code
          state
          validUntil
          issuedAt
          redeemedAt
        }
        offer {
          name
        }
      }
    }
    loyaltyBalance(accountId: $id) {
      available
      pending
      expiringIn30Days
      lifetimeEarned
      tier {
        name
      }
      nextTier {
        name
        missing
      }
    }
    loyaltyProgram {
      currency
      qualification
    }
    loyaltyLedger(accountId: $id, first: 6) {
      nodes {
        id
        kind
        points
        reason
        occurredAt
      }
    }
    deals(first: 20, filter: { accountId: $id, status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        stageId
        expectedCloseOn
      }
    }
    pipelines(first: 20) {
      nodes {
        stages {
          id
          name
        }
      }
    }
  }
`);

type Account = NonNullable<Customer360Query['account']>;
type Metrics = Account['metrics'];

const BAND_TEXT: Record<string, string> = {
  healthy: 'Healthy: very likely still buying.',
  watch: 'Watch: buying less often than their own habit suggests.',
  at_risk: 'At risk: a long silence for someone who used to buy; worth a nudge now.',
  lost: 'Lost: most probably no longer a customer.',
};

const UNAVAILABLE: Record<string, string> = {
  no_orders: 'has not bought anything yet, so there is nothing to predict from',
  model_not_fitted: 'has no predictions yet because the value model has not been fitted (an admin can fit it)',
  spend_model_not_fitted: 'has purchase predictions but no money ones: the spend model was fitted when nobody had bought twice',
};

/** p_alive, churn and CLV in plain words. */
function explain(name: string, m: Metrics): string[] {
  if (m.predictionsUnavailable && m.pAlive == null) {
    return [`${name} ${UNAVAILABLE[m.predictionsUnavailable] ?? 'has no predictions yet'}.`];
  }
  const out: string[] = [];
  if (m.pAlive != null) {
    out.push(
      `There is a ${percent(m.pAlive)} chance that ${name} is still an active customer ` +
        `(so a ${percent(m.churnProbability ?? 1 - m.pAlive)} churn probability), judged from how often they bought ` +
        `(${m.repeatPurchases} repeat purchase days) and how long it has been since the last order (${daysAgo(m.lastOrderAt)}).`,
    );
  }
  if (m.expectedOrders90d != null) {
    out.push(`In the next 90 days we expect about ${m.expectedOrders90d.toFixed(1)} orders from them.`);
  }
  if (m.clv != null) {
    out.push(
      `Their customer lifetime value is ${money(m.clv, m.currency)}: the margin we expect them to bring over the next ` +
        `12 months, discounted to today${m.expectedOrderValue != null ? `, at about ${money(m.expectedOrderValue, m.currency)} an order` : ''}.`,
    );
  } else if (m.predictionsUnavailable) {
    out.push(`No CLV: ${name} ${UNAVAILABLE[m.predictionsUnavailable] ?? 'has no money predictions'}.`);
  }
  return out;
}

function tone(band: string | null | undefined): 'good' | 'warn' | 'bad' {
  return band === 'healthy' ? 'good' : band === 'watch' ? 'warn' : 'bad';
}

const EraseAccount = graphql(`
  mutation EraseAccount($id: ID!, $confirm: String!, $idempotencyKey: String) {
    eraseAccount(id: $id, confirm: $confirm, idempotencyKey: $idempotencyKey) {
      accountId
      erasedAt
      alreadyErased
      changed
    }
  }
`);

/** Personal data (a JSON file from `GET /v1/accounts/{id}/personal-data`) and erasure, whose
 * confirmation is the account's id typed again, as the API asks. */
function Privacy({ id, name }: { id: string; name: string }) {
  const [confirm, setConfirm] = useState('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [erased, setErased] = useState(false);
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
  return (
    <article class="card wide" aria-labelledby="privacy-h">
      <h2 id="privacy-h">Privacy</h2>
      <Notice notice={notice} testid="privacy-notice" />
      {!erased && (
        <p>
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                const size = await download(`/v1/accounts/${encodeURIComponent(id)}/personal-data`, `personal-data-${id}.json`);
                return `Everything held about ${name} was downloaded as JSON (${count(size)} bytes).`;
              })
            }
          >
            Download personal data
          </button>{' '}
          {!asking && (
            <button type="button" class="danger" disabled={busy} onClick={() => setAsking(true)}>
              Erase…
            </button>
          )}
        </p>
      )}
      {asking && !erased && (
        <form
          class="condition"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const r = (await gql(EraseAccount, { id, confirm: confirm.trim(), idempotencyKey: idempotencyKey() })).eraseAccount;
              setErased(true);
              setAsking(false);
              if (r.alreadyErased) return `${name} had already been erased; nothing changed.`;
              const changed = Object.values((r.changed ?? {}) as Record<string, unknown>).reduce<number>((t, n) => t + (typeof n === 'number' ? n : 0), 0);
              return `${name} was erased on ${date(r.erasedAt)}: ${count(changed)} stored rows were cleared or rewritten. The account is no longer shown; its orders still count in the totals.`;
            });
          }}
        >
          <p class="small">
            Erasing clears the person’s name, contact details, texts and custom fields everywhere, irreversibly. To confirm, type the account’s id{' '}
            <code>{id}</code>.
          </p>
          <label>
            Account id
            <input name="erase-confirm" autocomplete="off" spellcheck={false} size={40} value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
          </label>
          <button type="submit" class="danger" disabled={busy || confirm.trim() !== id}>
            Erase {name}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => setAsking(false)}>
            Cancel
          </button>
        </form>
      )}
      {erased && (
        <p>
          <Link href="/customers">Back to customers</Link>
        </p>
      )}
    </article>
  );
}

export function CustomerPage({ id }: { id: string }) {
  const me = useMe();
  const q = useLoad(() => {
    performance.clearMarks('customer-360:start');
    performance.mark('customer-360:start');
    return gql(Customer360, { id });
  }, id);
  // How long the page took from asking to showing its data (read by the browser tests and
  // BENCHMARKS.md): measured after the frame that paints it.
  useEffect(() => {
    if (q.status !== 'ok') return;
    requestAnimationFrame(() => {
      performance.clearMeasures('customer-360');
      performance.measure('customer-360', 'customer-360:start');
    });
  }, [q.status, id]);
  if (q.status === 'loading') return <Loading what="the customer" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { account: a, loyaltyBalance: loyalty, loyaltyProgram: program, loyaltyLedger: ledger, deals, pipelines, accountOffers: vouchers } = q.data;
  if (!a) {
    return (
      <Page title="Customer not found">
        <Empty>
          There is no such customer in this workspace. <Link href="/customers">Back to customers</Link>.
        </Empty>
      </Page>
    );
  }
  const m = a.metrics;
  const stageName = new Map(pipelines.nodes.flatMap((p) => p.stages.map((s) => [s.id, s.name] as const)));
  const timeline = [
    ...a.interactions.nodes.map((i) => ({
      at: i.occurredAt,
      key: `i${i.id}`,
      what: `${words(i.type)}${i.channel ? ` · ${i.channel}` : ''}${i.direction ? ` · ${i.direction}` : ''}`,
      text: i.subject ?? '',
    })),
    ...a.orders.nodes.map((o) => ({
      at: o.occurredAt,
      key: `o${o.id}`,
      what: `Order${o.channel ? ` · ${o.channel}` : ''}`,
      text: `${money(o.amount, o.currency)}${o.status !== 'completed' ? ` (${words(o.status).toLowerCase()})` : ''}`,
    })),
  ].sort((x, y) => (x.at < y.at ? 1 : -1));
  return (
    <Page title={a.name}>
      <p class="muted">
        {words(a.kind)} · {words(a.lifecycleStage)} · customer since {date(a.createdAt)}
        {a.acquisitionChannel ? ` · came through ${a.acquisitionChannel}` : ''}
        {a.emails.length > 0 ? ` · ${a.emails.join(', ')}` : ''}
      </p>
      <div class="grid">
        <article class="card wide" aria-labelledby="value-h">
          <h2 id="value-h">Value</h2>
          <dl class="kpis">
            <div>
              <dt>CLV (12 months)</dt>
              <dd data-testid="clv">{money(m.clv, m.currency)}</dd>
            </div>
            <div>
              <dt>Revenue to date</dt>
              <dd>{money(m.revenue, m.currency)}</dd>
            </div>
            <div>
              <dt>Orders</dt>
              <dd>{count(m.ordersCount)}</dd>
            </div>
            <div>
              <dt>Average order</dt>
              <dd>{money(m.averageOrderValue, m.currency)}</dd>
            </div>
            <div>
              <dt>Last order</dt>
              <dd>{daysAgo(m.lastOrderAt)}</dd>
            </div>
          </dl>
          {m.pAlive != null && (
            <div class="meters">
              <span>Still active</span> <Meter value={m.pAlive} label="Probability still active" tone={tone(m.riskBand)} /> <strong>{percent(m.pAlive)}</strong>
            </div>
          )}
          <div class="explain" data-testid="explain">
            {explain(a.name, m).map((s) => (
              <p key={s}>{s}</p>
            ))}
          </div>
        </article>
        <article class="card" aria-labelledby="rfm-h">
          <h2 id="rfm-h">RFM and risk</h2>
          {m.rfm ? (
            <>
              <p class="big">{m.rfm.label}</p>
              <p>
                Recency {m.rfm.r}/5 · Frequency {m.rfm.f}/5 · Monetary {m.rfm.m}/5
              </p>
            </>
          ) : (
            <p class="muted">Not scored yet (no orders, or the breakpoints are not fitted).</p>
          )}
          {m.riskBand && (
            <p>
              <span class={`band ${m.riskBand}`}>{words(m.riskBand)}</span> {BAND_TEXT[m.riskBand] ?? ''}
            </p>
          )}
        </article>
        <article class="card" aria-labelledby="loyalty-h">
          <h2 id="loyalty-h">Loyalty</h2>
          {loyalty ? (
            <>
              <p class="big">{count(loyalty.available)} points</p>
              <p>
                {loyalty.tier ? `${loyalty.tier.name} tier` : 'No tier yet'}
                {loyalty.nextTier
                  ? ` · ${program?.qualification === 'spend' ? `${money(loyalty.nextTier.missing, program.currency)} more spend` : `${count(loyalty.nextTier.missing)} more points`} to ${loyalty.nextTier.name}`
                  : ''}
              </p>
              <p class="muted small">
                {count(loyalty.pending)} pending · {count(loyalty.expiringIn30Days)} expiring within 30 days · {count(loyalty.lifetimeEarned)} earned in all
              </p>
              {ledger.nodes.length > 0 && (
                <table class="list compact" aria-label="Latest loyalty ledger entries">
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Entry</th>
                      <th scope="col" class="num">Points</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ledger.nodes.map((e) => (
                      <tr key={e.id}>
                        <td>{date(e.occurredAt)}</td>
                        <td>
                          {words(e.kind)}
                          {e.reason ? ` · ${e.reason}` : ''}
                        </td>
                        <td class="num">{num(e.points) > 0 ? `+${count(e.points)}` : count(e.points)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          ) : (
            <p class="muted">Not a loyalty member (or no programme).</p>
          )}
        </article>
        <article class="card" aria-labelledby="deals-h">
          <h2 id="deals-h">Open deals</h2>
          {deals.nodes.length === 0 ? (
            <p class="muted">No open deal.</p>
          ) : (
            <ul class="plain">
              {deals.nodes.map((d) => (
                <li key={d.id}>
                  <strong>{d.title}</strong> · {money(d.amount, d.currency)} · {stageName.get(d.stageId) ?? 'stage'}
                  {d.expectedCloseOn ? ` · closes ${date(d.expectedCloseOn)}` : ''}
                </li>
              ))}
            </ul>
          )}
        </article>
        <article class="card" aria-labelledby="offers-h">
          <h2 id="offers-h">Offers and vouchers</h2>
          {a.nextBestOffers.length === 0 ? (
            <p class="muted">No active offer this customer may get now.</p>
          ) : (
            <>
              <h3 class="small">Next best offers</h3>
              <ol class="plain" data-testid="next-best-offers">
                {a.nextBestOffers.slice(0, 3).map((n) => (
                  <li key={n.offer.id}>
                    <strong>{n.offer.name}</strong> ({benefit(n.offer)}) · {money(Math.round(n.expectedIncrementalMargin))} expected extra margin
                    <div class="small muted">{n.explanation}</div>
                  </li>
                ))}
              </ol>
            </>
          )}
          {vouchers.nodes.length > 0 && (
            <>
              <h3 class="small">Vouchers</h3>
              <ul class="plain" aria-label="Vouchers">
                {vouchers.nodes.map((v) => (
                  <li key={v.voucher.id}>
                    <code>{v.voucher.code}</code> · {v.offer.name} · {words(v.voucher.state)}
                    {v.voucher.redeemedAt ? ` ${date(v.voucher.redeemedAt)}` : v.voucher.validUntil ? ` · valid until ${date(v.voucher.validUntil)}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </article>
        <article class="card" aria-labelledby="feedback-h">
          <h2 id="feedback-h">Feedback</h2>
          {!a.satisfaction ? (
            <p class="muted">No survey answer or complaint yet.</p>
          ) : (
            <>
              <dl class="kpis">
                <div>
                  <dt>Latest NPS</dt>
                  <dd>
                    {a.satisfaction.nps ?? '—'}
                    {a.satisfaction.npsCategory ? <span class={`band ${a.satisfaction.npsCategory === 'promoter' ? 'healthy' : a.satisfaction.npsCategory === 'passive' ? 'watch' : 'at_risk'}`}>{words(a.satisfaction.npsCategory)}</span> : null}
                  </dd>
                </div>
                <div>
                  <dt>CSAT</dt>
                  <dd>{a.satisfaction.csat != null ? `${a.satisfaction.csat}/5` : '—'}</dd>
                </div>
                <div>
                  <dt>Effort</dt>
                  <dd>{a.satisfaction.ces != null ? `${a.satisfaction.ces}/7` : '—'}</dd>
                </div>
              </dl>
              <p class="muted small">
                {count(a.satisfaction.responses)} answers · {count(a.satisfaction.openComplaints)} complaints being worked on
              </p>
            </>
          )}
          {a.feedback.nodes.length > 0 && (
            <ul class="plain" aria-label="Survey answers">
              {a.feedback.nodes.map((f) => (
                <li key={f.id}>
                  <span class="muted">{date(f.occurredAt)}</span> {words(f.touchpoint)}
                  {f.nps != null ? ` · NPS ${f.nps}` : ''}
                  {f.csat != null ? ` · CSAT ${f.csat}` : ''}
                  {f.ces != null ? ` · CES ${f.ces}` : ''}
                  {f.comment ? <div class="small">“{f.comment}”</div> : null}
                </li>
              ))}
            </ul>
          )}
          {a.complaints.nodes.length > 0 && (
            <>
              <h3 class="small">Complaints</h3>
              <ul class="plain" aria-label="Complaints">
                {a.complaints.nodes.map((c) => (
                  <li key={c.id}>
                    <Link href={`/feedback/complaints/${encodeURIComponent(c.id)}`}>{c.subject}</Link> · {words(c.status)} · {date(c.openedAt)}
                    {c.firstResponseBreached || c.resolutionBreached ? <span class="flag bad">SLA breached</span> : null}
                  </li>
                ))}
              </ul>
            </>
          )}
        </article>
        {a.recommendations.data.length > 0 && (
          <article class="card" aria-labelledby="reco-h">
            <h2 id="reco-h">Recommended products</h2>
            <ul class="plain">
              {a.recommendations.data.map((r) => (
                <li key={r.sku}>
                  <strong>{r.name ?? r.sku}</strong> · {r.reason === 'due_again' ? 'due again' : 'bought together'}
                  <div class="small muted">{r.explanation}</div>
                </li>
              ))}
            </ul>
          </article>
        )}
        <article class="card wide" aria-labelledby="timeline-h">
          <h2 id="timeline-h">Timeline</h2>
          {timeline.length === 0 ? (
            <p class="muted">Nothing has happened with this customer yet.</p>
          ) : (
            <ol class="timeline">
              {timeline.map((t) => (
                <li key={t.key}>
                  <time dateTime={t.at}>{date(t.at)}</time> <strong>{t.what}</strong> {t.text}
                </li>
              ))}
            </ol>
          )}
        </article>
        <article class="card wide" aria-labelledby="orders-h">
          <h2 id="orders-h">Recent orders</h2>
          {a.orders.nodes.length === 0 ? (
            <p class="muted">No orders.</p>
          ) : (
            <table class="list" aria-labelledby="orders-h">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Reference</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Amount</th>
                </tr>
              </thead>
              <tbody>
                {a.orders.nodes.map((o) => (
                  <tr key={o.id}>
                    <td>{date(o.occurredAt)}</td>
                    <td>{o.externalId ?? '—'}</td>
                    <td>{o.channel ?? '—'}</td>
                    <td>{words(o.status)}</td>
                    <td class="num">{money(o.amount, o.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
        {can(me, 'admin') && <Privacy id={a.id} name={a.name} />}
      </div>
    </Page>
  );
}
