// Overview: a few KPIs with 12-month sparklines (revenue, margin, active, new, churn), in
// one GraphQL request.
import { gql } from '../api';
import { Sparkline } from '../charts';
import { count, money, moneyShort, num, percent } from '../format';
import { graphql } from '../gql';
import { Empty, ErrorState, Link, Loading, Page, useLoad } from '../ui';

const OverviewQuery = graphql(`
  query Overview($from: String!) {
    valueDistribution {
      currency
      revenue {
        customers
        total
        concentration {
          topPercent
          share
        }
      }
      clv {
        customers
        total
      }
    }
    churnReport(period: "month", from: $from) {
      currency
      repeat {
        repeatPurchaseRate
      }
      periods {
        period
        activeCustomers
        newCustomers
        churnRate
        revenue
        margin
      }
      expected {
        expectedChurnRate
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      pageInfo {
        hasNextPage
      }
      nodes {
        amount
        currency
      }
    }
    satisfactionReport(period: "month", detractorsLimit: 1) {
      overall {
        nps
        npsResponses
      }
      overTime {
        key
        scores {
          nps
        }
      }
    }
    atRiskAccounts(first: 5) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
      }
    }
  }
`);

function yearAgo(): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  d.setUTCDate(1);
  return d.toISOString().slice(0, 10);
}

export function OverviewPage() {
  const q = useLoad(() => gql(OverviewQuery, { from: yearAgo() }), 'overview');
  if (q.status === 'loading') return <Loading what="the overview" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { valueDistribution: v, churnReport: c, atRiskAccounts: risk, deals, satisfactionReport: sat } = q.data;
  const npsMonths = sat.overTime.filter((g) => g.scores.nps != null).map((g) => g.scores.nps ?? 0);
  const pipeline = new Map<string, number>();
  deals.nodes.forEach((d) => pipeline.set(d.currency, (pipeline.get(d.currency) ?? 0) + num(d.amount)));
  const periods = c.periods;
  const last = periods[periods.length - 1];
  const top10 = v.revenue.concentration.find((x) => x.topPercent === 10);
  return (
    <Page title="Overview">
      {v.revenue.customers === 0 ? (
        <Empty>No orders yet: the figures appear with the first purchases.</Empty>
      ) : (
        <div class="grid">
          <article class="card kpi-card" aria-labelledby="k-customers">
            <h2 id="k-customers">Buying customers</h2>
            <dl class="kpis">
              <div>
                <dt>All time</dt>
                <dd>{count(v.revenue.customers)}</dd>
              </div>
              <div>
                <dt>Active last month</dt>
                <dd>
                  {last ? count(last.activeCustomers) : '—'}
                  <Sparkline values={periods.map((p) => p.activeCustomers)} label="Active customers per month, last 12 months" />
                </dd>
              </div>
            </dl>
          </article>
          <article class="card kpi-card" aria-labelledby="k-revenue">
            <h2 id="k-revenue">Revenue and value</h2>
            <dl class="kpis">
              <div>
                <dt>Net revenue</dt>
                <dd>{money(v.revenue.total, v.currency)}</dd>
              </div>
              <div>
                <dt>Revenue this month so far</dt>
                <dd data-testid="revenue-month">
                  {last ? money(last.revenue, c.currency) : '—'}
                  <Sparkline values={periods.map((p) => num(p.revenue))} label={`Revenue per month, last 12 months: ${periods.map((p) => `${p.period} ${moneyShort(p.revenue, c.currency)}`).join(', ')}`} />
                </dd>
              </div>
              <div>
                <dt>Margin this month so far</dt>
                <dd>
                  {last ? money(last.margin, c.currency) : '—'}
                  <Sparkline values={periods.map((p) => num(p.margin))} label={`Margin per month, last 12 months: ${periods.map((p) => `${p.period} ${moneyShort(p.margin, c.currency)}`).join(', ')}`} />
                </dd>
              </div>
              <div>
                <dt>CLV, next 12 months</dt>
                <dd>{money(v.clv.total, v.currency)}</dd>
              </div>
            </dl>
            {top10 && <p class="muted small">The top 10 % of customers bring {percent(top10.share)} of revenue.</p>}
          </article>
          <article class="card kpi-card" aria-labelledby="k-retention">
            <h2 id="k-retention">Retention</h2>
            <dl class="kpis">
              <div>
                <dt>Repeat purchase rate</dt>
                <dd>{percent(c.repeat.repeatPurchaseRate)}</dd>
              </div>
              <div>
                <dt>Churn last month</dt>
                <dd>
                  {last ? percent(last.churnRate, 1) : '—'}
                  <Sparkline values={periods.map((p) => p.churnRate)} label="Monthly churn rate, last 12 months" />
                </dd>
              </div>
              <div>
                <dt>New last month</dt>
                <dd>
                  {last ? count(last.newCustomers) : '—'}
                  <Sparkline values={periods.map((p) => p.newCustomers)} label="New customers per month, last 12 months" />
                </dd>
              </div>
            </dl>
            {c.expected && <p class="muted small">The model expects {percent(c.expected.expectedChurnRate)} of today's buyers to be lost.</p>}
          </article>
          <article class="card kpi-card" aria-labelledby="k-nps">
            <h2 id="k-nps">Satisfaction</h2>
            <dl class="kpis">
              <div>
                <dt>NPS, last 12 months</dt>
                <dd>
                  {sat.overall.nps == null ? '—' : Math.round(sat.overall.nps)}
                  <Sparkline values={npsMonths} label={`NPS per month: ${npsMonths.map((n) => Math.round(n)).join(', ')}`} />
                </dd>
              </div>
            </dl>
            <p class="small">
              {count(sat.overall.npsResponses)} answers · <Link href="/feedback">Feedback and complaints</Link>
            </p>
          </article>
          <article class="card kpi-card" aria-labelledby="k-pipeline">
            <h2 id="k-pipeline">Open pipeline</h2>
            <dl class="kpis">
              <div>
                <dt>Open deals</dt>
                <dd>
                  {count(deals.nodes.length)}
                  {deals.pageInfo.hasNextPage ? '+' : ''}
                </dd>
              </div>
              {[...pipeline].map(([currency, sum]) => (
                <div key={currency}>
                  <dt>Value in {currency}</dt>
                  <dd>{money(sum, currency)}</dd>
                </div>
              ))}
            </dl>
            <p class="small">
              <Link href="/pipeline">Open the board</Link>
            </p>
          </article>
          <article class="card" aria-labelledby="k-risk">
            <h2 id="k-risk">Most value at risk</h2>
            {risk.nodes.length === 0 ? (
              <p class="muted">Nobody at risk (or no fitted model yet).</p>
            ) : (
              <ul class="plain">
                {risk.nodes.map((r) => (
                  <li key={r.accountId}>
                    <Link href={`/customers/${encodeURIComponent(r.accountId)}`}>{r.name}</Link> · {money(r.valueAtRisk, v.currency)} at risk ·{' '}
                    {percent(r.churnProbability)} churn
                  </li>
                ))}
              </ul>
            )}
            <p class="small">
              <Link href="/value">See the whole value picture</Link>
            </p>
          </article>
        </div>
      )}
    </Page>
  );
}
