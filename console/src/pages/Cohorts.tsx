// Cohorts: retention by month of first purchase as a heatmap, in one GraphQL request.
import { gql } from '../api';
import { Heatmap } from '../charts';
import { money, percent } from '../format';
import { graphql } from '../gql';
import { Empty, ErrorState, Loading, Page, useLoad } from '../ui';

const CohortsQuery = graphql(`
  query Cohorts($from: String!) {
    cohortReport(period: "month", from: $from) {
      currency
      cohorts {
        cohort
        customers
        periods {
          periodNumber
          period
          activeCustomers
          retention
          cumulativeRevenuePerCustomer
        }
      }
    }
  }
`);

function monthsAgo(n: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
}

export function CohortsPage() {
  const q = useLoad(() => gql(CohortsQuery, { from: monthsAgo(12) }), 'cohorts');
  if (q.status === 'loading') return <Loading what="cohorts" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const r = q.data.cohortReport;
  const cohorts = r.cohorts.filter((c) => c.customers > 0);
  const width = Math.max(0, ...cohorts.map((c) => c.periods.length));
  return (
    <Page title="Cohorts">
      {cohorts.length === 0 ? (
        <Empty>No first purchases in the last twelve months.</Empty>
      ) : (
        <article class="card" aria-labelledby="cohort-h">
          <h2 id="cohort-h">Retention by month of first purchase</h2>
          <p class="muted small">
            Each row is the customers who first bought in that month; each cell, the share of them who bought again that many months later (month 0
            is their first).
          </p>
          <Heatmap
            label={`Monthly retention of ${cohorts.length} cohorts`}
            columns={Array.from({ length: width }, (_, i) => `M${i}`)}
            rows={cohorts.map((c) => ({
              label: c.cohort,
              note: `(${c.customers})`,
              cells: c.periods.map((p) => ({
                value: p.retention,
                text: percent(p.retention),
                title: `${c.cohort}, month ${p.periodNumber} (${p.period}): ${p.activeCustomers} of ${c.customers} bought (${percent(p.retention, 1)}); ${money(p.cumulativeRevenuePerCustomer, r.currency)} revenue per customer so far`,
              })),
            }))}
          />
        </article>
      )}
    </Page>
  );
}
