// Economics: who makes the money and who loses it (profit by decile, the most and least
// profitable customers, RFM segments with the simple CLV beside the model's), acquisition by
// channel (CAC, CLV, CLV:CAC, payback) and the revenue and CLV histograms, in one GraphQL request.
import { gql } from '../api';
import { Bars, SignedBars } from '../charts';
import { count, date, money, moneyShort, num, percent, words } from '../format';
import { graphql } from '../gql';
import { Empty, ErrorState, Link, Loading, Page, useLoad } from '../ui';

const EconomicsQuery = graphql(`
  query Economics {
    profitabilityReport(limit: 10) {
      currency
      asOf
      customers
      profitableCustomers
      unprofitableCustomers
      breakEvenCustomers
      totals {
        revenue
        margin
        acquisitionCost
        costToServe
        profit
      }
      deciles {
        decile
        customers
        totals {
          profit
        }
        shareOfProfit
      }
      byRfmSegment {
        rfmSegment
        customers
        totals {
          profit
        }
        simpleClv
        modelClv
        customersWithPrediction
      }
      mostProfitable {
        ...AccountProfitRow
      }
      leastProfitable {
        ...AccountProfitRow
      }
    }
    acquisitionReport {
      currency
      startsAt
      endsBefore
      unallocatedSpend
      channels {
        acquisitionChannel
        customers
        marketingSpend
        cac
        averageClv
        averageClv36Months
        clvToCac
        paybackMonths
      }
    }
    valueDistribution {
      currency
      revenue {
        customers
        histogram {
          lower
          customers
        }
      }
      clv {
        customers
        histogram {
          lower
          customers
        }
      }
    }
  }

  fragment AccountProfitRow on AccountProfit {
    accountId
    name
    rfmSegment
    revenue
    margin
    acquisitionCost
    costToServe
    profit
  }
`);

interface ProfitRow {
  accountId: string;
  name: string;
  rfmSegment?: string | null;
  revenue: string | number;
  margin: string | number;
  acquisitionCost?: string | number | null;
  costToServe: string | number;
  profit: string | number;
}

function ProfitTable({ rows, label, currency }: { rows: ProfitRow[]; label: string; currency: string }) {
  return (
    <table class="list compact" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Customer</th>
          <th scope="col">Segment</th>
          <th scope="col" class="num">Margin</th>
          <th scope="col" class="num">Acquisition</th>
          <th scope="col" class="num">Cost to serve</th>
          <th scope="col" class="num">Profit</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.accountId}>
            <td>
              <Link href={`/customers/${encodeURIComponent(r.accountId)}`}>{r.name}</Link>
            </td>
            <td>{r.rfmSegment ? words(r.rfmSegment) : 'Not scored'}</td>
            <td class="num">{money(r.margin, currency)}</td>
            <td class="num">{money(r.acquisitionCost, currency)}</td>
            <td class="num">{money(r.costToServe, currency)}</td>
            <td class="num">{money(r.profit, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** CLV over CAC, with the usual reading: 3 or more is healthy, under 1 loses money. */
function Ratio({ value }: { value: number | null | undefined }) {
  if (value == null) return <>—</>;
  const tone = value >= 3 ? 'ok' : value >= 1 ? 'warn' : 'bad';
  const what = value >= 3 ? 'healthy' : value >= 1 ? 'thin' : 'loses money';
  return (
    <span class={`flag ${tone}`} title={what}>
      {value.toFixed(1)} : 1 · {what}
    </span>
  );
}

export function EconomicsPage() {
  const q = useLoad(() => gql(EconomicsQuery), 'economics');
  if (q.status === 'loading') return <Loading what="economics" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { profitabilityReport: p, acquisitionReport: a, valueDistribution: v } = q.data;
  const cur = p.currency;
  if (p.customers === 0) {
    return (
      <Page title="Economics">
        <Empty>No customer has bought yet: profit, acquisition and value figures appear with the first orders.</Empty>
      </Page>
    );
  }
  const channels = a.channels.filter((c) => c.customers > 0);
  const spent = a.channels.some((c) => num(c.marketingSpend) > 0 || c.cac != null) || num(a.unallocatedSpend) > 0;
  const lastDay = new Date(new Date(a.endsBefore).getTime() - 86_400_000).toISOString();
  return (
    <Page title="Economics">
      <div class="grid">
        <article class="card wide kpi-card" aria-labelledby="e-totals">
          <h2 id="e-totals">Profit, all customers to date</h2>
          <dl class="kpis">
            <div>
              <dt>Customers</dt>
              <dd data-testid="economics-customers">{count(p.customers)}</dd>
            </div>
            <div>
              <dt>Revenue</dt>
              <dd>{money(p.totals.revenue, cur)}</dd>
            </div>
            <div>
              <dt>Margin</dt>
              <dd>{money(p.totals.margin, cur)}</dd>
            </div>
            <div>
              <dt>Acquisition cost</dt>
              <dd>{money(p.totals.acquisitionCost, cur)}</dd>
            </div>
            <div>
              <dt>Cost to serve</dt>
              <dd>{money(p.totals.costToServe, cur)}</dd>
            </div>
            <div>
              <dt>Profit</dt>
              <dd data-testid="economics-profit">{money(p.totals.profit, cur)}</dd>
            </div>
          </dl>
          <p class="muted small">
            {count(p.profitableCustomers)} customers are profitable, {count(p.unprofitableCustomers)} lose money and {count(p.breakEvenCustomers)} break even
            (profit = margin − acquisition cost − cost to serve), as of {date(p.asOf)}.
          </p>
        </article>
        <article class="card wide" aria-labelledby="e-deciles">
          <h2 id="e-deciles">Who makes the money, who loses it</h2>
          <p class="muted small">Customers ranked by profit in ten equal groups: D1 is the most profitable tenth, D10 the least.</p>
          <SignedBars
            label="Profit by decile of customers"
            bars={p.deciles.map((d) => ({
              label: `D${d.decile}`,
              value: num(d.totals.profit),
              text: moneyShort(d.totals.profit, cur),
            }))}
          />
          <table class="list compact" aria-label="Profit by decile">
            <thead>
              <tr>
                <th scope="col">Decile</th>
                <th scope="col" class="num">Customers</th>
                <th scope="col" class="num">Profit</th>
                <th scope="col" class="num">Share of profit</th>
              </tr>
            </thead>
            <tbody>
              {p.deciles.map((d) => (
                <tr key={d.decile}>
                  <td>D{d.decile}</td>
                  <td class="num">{count(d.customers)}</td>
                  <td class="num">{money(d.totals.profit, cur)}</td>
                  <td class="num">{percent(d.shareOfProfit, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
        <article class="card wide" aria-labelledby="e-most">
          <h2 id="e-most">Most profitable customers</h2>
          <ProfitTable rows={p.mostProfitable} label="Most profitable customers" currency={cur} />
        </article>
        <article class="card wide" aria-labelledby="e-least">
          <h2 id="e-least">Least profitable customers</h2>
          <ProfitTable rows={p.leastProfitable} label="Least profitable customers" currency={cur} />
        </article>
        <article class="card wide" aria-labelledby="e-rfm">
          <h2 id="e-rfm">CLV by RFM segment: simple formula beside the model</h2>
          <p class="muted small">
            Simple CLV = margin per order × orders per year × retention rate, per customer, next 12 months; the model's is the average stored 12-month
            prediction.
          </p>
          <table class="list compact" aria-label="CLV by RFM segment">
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col" class="num">Customers</th>
                <th scope="col" class="num">Profit</th>
                <th scope="col" class="num">Simple CLV</th>
                <th scope="col" class="num">Model CLV</th>
              </tr>
            </thead>
            <tbody>
              {p.byRfmSegment.map((s) => (
                <tr key={s.rfmSegment ?? 'unscored'}>
                  <td>{s.rfmSegment ? words(s.rfmSegment) : 'Not scored'}</td>
                  <td class="num">{count(s.customers)}</td>
                  <td class="num">{money(s.totals.profit, cur)}</td>
                  <td class="num">{money(s.simpleClv, cur)}</td>
                  <td class="num">{s.customersWithPrediction > 0 ? money(s.modelClv, cur) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
        <article class="card wide" aria-labelledby="e-acq">
          <h2 id="e-acq">Acquisition by channel</h2>
          <p class="muted small">
            Customers whose first purchase falls between {date(a.startsAt)} and {date(lastDay)}. CLV:CAC of 3 : 1 or more is healthy; under 1 : 1 the
            channel costs more than its customers bring.
          </p>
          {channels.length === 0 ? (
            <Empty>No customer made a first purchase in this range.</Empty>
          ) : (
            <>
              {!spent && <Empty>No marketing spend or acquisition cost is recorded for this range, so there is no CAC to compare with.</Empty>}
              <table class="list" aria-label="Acquisition by channel">
                <thead>
                  <tr>
                    <th scope="col">Channel</th>
                    <th scope="col" class="num">Customers</th>
                    <th scope="col" class="num">CAC</th>
                    <th scope="col" class="num">Average CLV (12 months)</th>
                    <th scope="col" class="num">Average CLV (36 months)</th>
                    <th scope="col" class="num">CLV:CAC</th>
                    <th scope="col" class="num">Payback</th>
                  </tr>
                </thead>
                <tbody>
                  {channels.map((c) => (
                    <tr key={c.acquisitionChannel ?? 'none'}>
                      <td>{c.acquisitionChannel ? words(c.acquisitionChannel) : 'No channel'}</td>
                      <td class="num">{count(c.customers)}</td>
                      <td class="num">{money(c.cac, a.currency)}</td>
                      <td class="num">{money(c.averageClv, a.currency)}</td>
                      <td class="num">{money(c.averageClv36Months, a.currency)}</td>
                      <td class="num">
                        <Ratio value={c.clvToCac} />
                      </td>
                      <td class="num">{c.paybackMonths == null ? '—' : `${c.paybackMonths} ${c.paybackMonths === 1 ? 'month' : 'months'}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {num(a.unallocatedSpend) > 0 && (
                <p class="muted small">{money(a.unallocatedSpend, a.currency)} of marketing spend fell in months in which its channel acquired nobody.</p>
              )}
            </>
          )}
        </article>
        <article class="card wide" aria-labelledby="e-rev">
          <h2 id="e-rev">Revenue per customer</h2>
          {v.revenue.customers === 0 ? (
            <Empty>No revenue yet.</Empty>
          ) : (
            <Bars
              label="Customers by revenue to date"
              bars={v.revenue.histogram.map((b) => ({ label: `≥ ${moneyShort(b.lower, v.currency)}`, value: b.customers, text: `${b.customers}` }))}
            />
          )}
        </article>
        <article class="card wide" aria-labelledby="e-clv">
          <h2 id="e-clv">CLV per customer</h2>
          {v.clv.customers === 0 ? (
            <Empty>No CLV predictions yet: fit the value model.</Empty>
          ) : (
            <Bars
              label="Customers by 12-month CLV"
              bars={v.clv.histogram.map((b) => ({ label: `≥ ${moneyShort(b.lower, v.currency)}`, value: b.customers, text: `${b.customers}` }))}
            />
          )}
        </article>
      </div>
    </Page>
  );
}
