// Value: the RFM grid as a heatmap (customers and revenue), the CLV histogram and the
// customers with the most value at risk, in one GraphQL request.
import { gql } from '../api';
import { Bars, RfmGrid } from '../charts';
import { date, money, moneyShort, percent, words } from '../format';
import { graphql } from '../gql';
import { Empty, ErrorState, Link, Loading, Page, useLoad } from '../ui';

const ValueQuery = graphql(`
  query Value {
    rfmSegments {
      currency
      breakpointsFittedAt
      scoredAccounts
      unscoredAccounts
      segments {
        segment
        label
        accounts
        revenue
        shareOfAccounts
        shareOfRevenue
      }
    }
    valueDistribution {
      currency
      clv {
        customers
        histogram {
          lower
          upper
          customers
        }
      }
    }
    atRiskAccounts(first: 20) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
        riskBand
        clv
        revenue
        segment
      }
    }
  }
`);

export function ValuePage() {
  const q = useLoad(() => gql(ValueQuery), 'value');
  if (q.status === 'loading') return <Loading what="value" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { rfmSegments: rfm, valueDistribution: v, atRiskAccounts: risk } = q.data;
  return (
    <Page title="Value">
      <div class="grid">
        <article class="card wide" aria-labelledby="rfm-grid-h">
          <h2 id="rfm-grid-h">RFM grid</h2>
          {rfm.scoredAccounts === 0 ? (
            <Empty>No customer is scored yet: fit the value model once there are orders.</Empty>
          ) : (
            <>
              <p class="muted small">
                Recency (rows) against the average of frequency and monetary value (columns); darker cells hold more of the revenue.{' '}
                {rfm.scoredAccounts} customers scored{rfm.breakpointsFittedAt ? ` on ${date(rfm.breakpointsFittedAt)}` : ''}.
              </p>
              <RfmGrid cells={rfm.segments} />
              <table class="list" aria-label="RFM segments">
                <thead>
                  <tr>
                    <th scope="col">Segment</th>
                    <th scope="col" class="num">Customers</th>
                    <th scope="col" class="num">Share</th>
                    <th scope="col" class="num">Revenue</th>
                    <th scope="col" class="num">Share of revenue</th>
                  </tr>
                </thead>
                <tbody>
                  {rfm.segments.map((s) => (
                    <tr key={s.segment}>
                      <td>{s.label}</td>
                      <td class="num">{s.accounts}</td>
                      <td class="num">{percent(s.shareOfAccounts)}</td>
                      <td class="num">{money(s.revenue, rfm.currency)}</td>
                      <td class="num">{percent(s.shareOfRevenue)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </article>
        <article class="card wide" aria-labelledby="clv-h">
          <h2 id="clv-h">CLV distribution</h2>
          {v.clv.customers === 0 ? (
            <Empty>No CLV predictions yet.</Empty>
          ) : (
            <Bars
              label="Customers by 12-month CLV"
              bars={v.clv.histogram.map((b) => ({
                label: `≥ ${moneyShort(b.lower, v.currency)}`,
                value: b.customers,
                text: `${b.customers}`,
              }))}
            />
          )}
        </article>
        <article class="card wide" aria-labelledby="risk-h">
          <h2 id="risk-h">At risk, by value at risk</h2>
          {risk.nodes.length === 0 ? (
            <Empty>Nobody is at risk (or the model is not fitted yet).</Empty>
          ) : (
            <table class="list" aria-labelledby="risk-h">
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Segment</th>
                  <th scope="col">Risk</th>
                  <th scope="col" class="num">Churn</th>
                  <th scope="col" class="num">CLV</th>
                  <th scope="col" class="num">Value at risk</th>
                </tr>
              </thead>
              <tbody>
                {risk.nodes.map((r) => (
                  <tr key={r.accountId}>
                    <td>
                      <Link href={`/customers/${encodeURIComponent(r.accountId)}`}>{r.name}</Link>
                    </td>
                    <td>{words(r.segment)}</td>
                    <td>
                      <span class={`band ${r.riskBand}`}>{words(r.riskBand)}</span>
                    </td>
                    <td class="num">{percent(r.churnProbability)}</td>
                    <td class="num">{money(r.clv, rfm.currency)}</td>
                    <td class="num">{money(r.valueAtRisk, rfm.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      </div>
    </Page>
  );
}
