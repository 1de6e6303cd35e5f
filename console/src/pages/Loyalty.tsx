// Loyalty: the programme (earn rate, tiers, expiry) and the rewards catalog, in one request.
import { gql } from '../api';
import { count, date, money } from '../format';
import { graphql } from '../gql';
import { Empty, ErrorState, Loading, Page, useLoad } from '../ui';

const LoyaltyQuery = graphql(`
  query Loyalty {
    loyaltyProgram {
      currency
      active
      earnRate {
        numerator
        denominator
      }
      qualification
      qualificationWindowDays
      expiryMonths
      pendingDays
      tiers {
        name
        threshold
        multiplierPermille
        benefits
      }
    }
    loyaltyRewards(first: 100) {
      nodes {
        id
        name
        description
        pointsCost
        stock
        availableUntil
      }
    }
  }
`);

export function LoyaltyPage() {
  const q = useLoad(() => gql(LoyaltyQuery), 'loyalty');
  if (q.status === 'loading') return <Loading what="the loyalty programme" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { loyaltyProgram: p, loyaltyRewards: rewards } = q.data;
  if (!p) {
    return (
      <Page title="Loyalty">
        <Empty>There is no loyalty programme in this workspace yet.</Empty>
      </Page>
    );
  }
  const threshold = (t: string) => (p.qualification === 'spend' ? money(t, p.currency) : `${count(t)} points`);
  return (
    <Page title="Loyalty">
      <div class="grid">
        <article class="card" aria-labelledby="prog-h">
          <h2 id="prog-h">Programme</h2>
          <p>
            {p.active ? 'Active' : 'Paused (nothing is earned; balances can still be spent)'}: {p.earnRate.numerator} point
            {p.earnRate.numerator === 1 ? '' : 's'} for every {money(p.earnRate.denominator, p.currency)} spent.
          </p>
          <p>
            Points can be spent {p.pendingDays} days after the order (the return window)
            {p.expiryMonths ? ` and expire ${p.expiryMonths} months after they were earned` : ' and never expire'}.
          </p>
          <p>
            Tiers follow {p.qualification === 'spend' ? 'spend' : 'points earned'} over the last {p.qualificationWindowDays} days.
          </p>
        </article>
        <article class="card" aria-labelledby="tiers-h">
          <h2 id="tiers-h">Tiers</h2>
          {p.tiers.length === 0 ? (
            <Empty>No tiers.</Empty>
          ) : (
            <ul class="plain">
              {p.tiers.map((t) => (
                <li key={t.name}>
                  <strong>{t.name}</strong> from {threshold(t.threshold)} · earns ×{(t.multiplierPermille / 1000).toFixed(2)}
                  {t.benefits ? <div class="small muted">{t.benefits}</div> : null}
                </li>
              ))}
            </ul>
          )}
        </article>
        <article class="card wide" aria-labelledby="rewards-h">
          <h2 id="rewards-h">Rewards</h2>
          {rewards.nodes.length === 0 ? (
            <Empty>The catalog is empty.</Empty>
          ) : (
            <table class="list" aria-labelledby="rewards-h">
              <thead>
                <tr>
                  <th scope="col">Reward</th>
                  <th scope="col" class="num">Points</th>
                  <th scope="col" class="num">Stock</th>
                  <th scope="col">Available until</th>
                </tr>
              </thead>
              <tbody>
                {rewards.nodes.map((r) => (
                  <tr key={r.id}>
                    <td>
                      {r.name}
                      {r.description ? <div class="small muted">{r.description}</div> : null}
                    </td>
                    <td class="num">{count(r.pointsCost)}</td>
                    <td class="num">{r.stock == null ? 'unlimited' : count(r.stock)}</td>
                    <td>{r.availableUntil ? date(r.availableUntil) : 'no end'}</td>
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
