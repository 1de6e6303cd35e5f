// Offers: every incentive with its status, campaign, vouchers issued and redeemed and the
// redemption rate; managers and up create one, pause or activate it, and issue it to a
// segment's members. One GraphQL request for the page; each write is one mutation.
import { useState } from 'preact/hooks';
import { gql, idempotencyKey } from '../api';
import { Meter } from '../charts';
import { count, date, money, percent } from '../format';
import { graphql } from '../gql';
import type { OffersQuery } from '../gql/graphql';
import { Empty, ErrorState, Link, Loading, Notice, Page, can, message, useLoad, useMe } from '../ui';

const OffersQueryDoc = graphql(`
  query Offers {
    offers(first: 200) {
      nodes {
        id
        name
        description
        kind
        percent
        amount
        currency
        points
        pointsMultiplier
        benefit
        status
        issued
        redemptions
        spent
        budget
        campaignId
        validUntil
        voucherValidDays
        version
      }
    }
    campaigns(first: 100) {
      nodes {
        id
        name
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

const CreateOffer = graphql(`
  mutation CreateOffer($input: OfferInput!, $key: String) {
    createOffer(input: $input, idempotencyKey: $key) {
      id
      name
      status
    }
  }
`);

const SetOfferStatus = graphql(`
  mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {
    updateOffer(id: $id, patch: $patch, ifVersion: $version) {
      id
      status
    }
  }
`);

const IssueOffer = graphql(`
  mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {
    issueOffer(id: $id, input: $input, idempotencyKey: $key) {
      issued
      alreadyHolding
      ineligible
    }
  }
`);

type OfferRow = OffersQuery['offers']['nodes'][number];

/** What the customer gets, in words. */
export function benefit(o: Pick<OfferRow, 'kind' | 'percent' | 'amount' | 'currency' | 'points' | 'pointsMultiplier' | 'benefit'>): string {
  switch (o.kind) {
    case 'percent_discount':
      return `${o.percent ?? '?'} % off`;
    case 'fixed_discount':
      return `${money(o.amount, o.currency ?? undefined)} off`;
    case 'bonus_points':
      return o.pointsMultiplier != null ? `${o.pointsMultiplier}× points` : `${count(o.points ?? 0)} bonus points`;
    case 'free_reward':
      return 'a free reward';
    case 'free_shipping':
      return 'free shipping';
    default:
      return o.benefit ?? 'a custom benefit';
  }
}

const KINDS: [string, string][] = [
  ['percent_discount', 'Percent off'],
  ['fixed_discount', 'Amount off'],
  ['bonus_points', 'Bonus points'],
  ['free_shipping', 'Free shipping'],
  ['custom', 'Custom benefit'],
];

function NewOffer({ campaigns, currency, done }: { campaigns: { id: string; name: string }[]; currency: string; done: (text: string, ok: boolean) => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState('percent_discount');
  const [value, setValue] = useState('10');
  const [custom, setCustom] = useState('');
  const [campaignId, setCampaignId] = useState('');
  const [validDays, setValidDays] = useState('30');
  const [status, setStatus] = useState('paused');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const n = Number(value);
      const input = {
        name: name.trim(),
        kind,
        status,
        campaignId: campaignId || null,
        voucherValidDays: validDays ? Number(validDays) : null,
        percent: kind === 'percent_discount' ? Math.round(n) : null,
        amount: kind === 'fixed_discount' ? String(Math.round(n * 100)) : null,
        currency: kind === 'fixed_discount' ? currency : null,
        points: kind === 'bonus_points' ? String(Math.round(n)) : null,
        benefit: kind === 'custom' ? custom.trim() : null,
      };
      const r = await gql(CreateOffer, { input, key: idempotencyKey() });
      done(`Offer “${r.createOffer.name}” created (${r.createOffer.status === 'active' ? 'active' : 'paused: activate it when ready'}).`, true);
      setName('');
    } catch (err) {
      done(message(err), false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} class="rule">
      <label>
        Offer name
        <input name="offer-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Benefit
        <select name="offer-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          {KINDS.map(([k, l]) => (
            <option key={k} value={k}>
              {l}
            </option>
          ))}
        </select>
      </label>
      {kind === 'percent_discount' && (
        <label>
          Percent off (1 to 99)
          <input type="number" name="offer-percent" min={1} max={99} required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
      )}
      {kind === 'fixed_discount' && (
        <label>
          Amount off ({currency})
          <input type="number" name="offer-amount" min={0.01} step={0.01} required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
      )}
      {kind === 'bonus_points' && (
        <label>
          Bonus points
          <input type="number" name="offer-points" min={1} step={1} required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
      )}
      {kind === 'custom' && (
        <label>
          The benefit in words
          <input name="offer-benefit" required maxLength={500} value={custom} onInput={(e) => setCustom(e.currentTarget.value)} />
        </label>
      )}
      <label>
        Campaign (redemptions are attributed to it)
        <select name="offer-campaign" value={campaignId} onChange={(e) => setCampaignId(e.currentTarget.value)}>
          <option value="">None</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Vouchers valid for (days; empty: until the offer ends)
        <input type="number" name="offer-valid-days" min={1} max={3650} value={validDays} onInput={(e) => setValidDays(e.currentTarget.value)} />
      </label>
      <label>
        Start
        <select name="offer-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="paused">Paused (activate later)</option>
          <option value="active">Active now</option>
        </select>
      </label>
      <button type="submit" disabled={busy || !name.trim()}>
        Create offer
      </button>
    </form>
  );
}

function IssueForm({ offers, segments, done }: { offers: OfferRow[]; segments: { id: string; name: string }[]; done: (text: string, ok: boolean) => void }) {
  const active = offers.filter((o) => o.status === 'active');
  const [offerId, setOfferId] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [busy, setBusy] = useState(false);
  if (active.length === 0) return <Empty>Activate an offer to issue it.</Empty>;
  if (segments.length === 0)
    return (
      <Empty>
        Offers are issued to a segment’s members: <Link href="/segments">build one first</Link>.
      </Empty>
    );
  const offer = active.find((o) => o.id === offerId) ?? active[0];
  const segment = segments.find((s) => s.id === segmentId) ?? segments[0];
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!offer || !segment) return;
    setBusy(true);
    try {
      const r = (await gql(IssueOffer, { id: offer.id, input: { segmentId: segment.id }, key: idempotencyKey() })).issueOffer;
      done(
        `“${offer.name}” issued to ${count(r.issued)} members of “${segment.name}”` +
          (r.alreadyHolding > 0 ? `; ${count(r.alreadyHolding)} already held an open voucher` : '') +
          (r.ineligible > 0 ? `; ${count(r.ineligible)} did not meet its conditions` : '') +
          '.',
        true,
      );
    } catch (err) {
      done(message(err), false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} class="rule">
      <label>
        Offer
        <select name="issue-offer" value={offer?.id} onChange={(e) => setOfferId(e.currentTarget.value)}>
          {active.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Segment
        <select name="issue-segment" value={segment?.id} onChange={(e) => setSegmentId(e.currentTarget.value)}>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <p class="small muted">Each member gets a personal voucher code; those who already hold one of this offer, or do not meet its conditions, are left out.</p>
      <button type="submit" disabled={busy}>
        Issue vouchers
      </button>
    </form>
  );
}

export function OffersPage() {
  const me = useMe();
  const writable = can(me, 'offers');
  const q = useLoad(() => gql(OffersQueryDoc), 'offers');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (q.status === 'loading') return <Loading what="offers" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { offers, campaigns, segments } = q.data;
  const campaignName = new Map(campaigns.nodes.map((c) => [c.id, c.name]));
  const done = (text: string, ok: boolean) => {
    setNotice({ ok, text });
    if (ok) q.reload();
  };
  const setStatus = async (o: OfferRow, status: 'active' | 'paused') => {
    setBusy(true);
    setNotice(null);
    try {
      await gql(SetOfferStatus, { id: o.id, patch: { status }, version: o.version });
      done(`“${o.name}” is ${status === 'active' ? 'active: it can be issued and redeemed' : 'paused: no issue, no redemption'}.`, true);
    } catch (err) {
      done(message(err), false);
      q.reload();
    } finally {
      setBusy(false);
    }
  };
  const rows = [...offers.nodes].reverse();
  return (
    <Page title="Offers">
      <Notice notice={notice} testid="offer-notice" />
      <div class="grid">
        <article class="card wide" aria-labelledby="offers-h">
          <h2 id="offers-h">All offers</h2>
          {rows.length === 0 ? (
            <Empty>No offer yet{writable ? ': create one below.' : '.'}</Empty>
          ) : (
            <table class="list" aria-labelledby="offers-h">
              <thead>
                <tr>
                  <th scope="col">Offer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Campaign</th>
                  <th scope="col" class="num">Issued</th>
                  <th scope="col" class="num">Redeemed</th>
                  <th scope="col">Redemption rate</th>
                  <th scope="col" class="num">Cost</th>
                  {writable && (
                    <th scope="col">
                      <span class="muted small">Action</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {rows.map((o) => {
                  const rate = o.issued > 0 ? o.redemptions / o.issued : null;
                  return (
                    <tr key={o.id} data-offer={o.name}>
                      <td>
                        <strong>{o.name}</strong>
                        <div class="small muted">
                          {benefit(o)}
                          {o.voucherValidDays ? ` · vouchers valid ${o.voucherValidDays} days` : ''}
                          {o.validUntil ? ` · ends ${date(o.validUntil)}` : ''}
                        </div>
                      </td>
                      <td>
                        <span class={`flag ${o.status === 'active' ? 'ok' : 'warn'}`}>{o.status === 'active' ? 'Active' : 'Paused'}</span>
                      </td>
                      <td>{o.campaignId ? <Link href={`/campaigns/${encodeURIComponent(o.campaignId)}`}>{campaignName.get(o.campaignId) ?? 'its campaign'}</Link> : '—'}</td>
                      <td class="num">{count(o.issued)}</td>
                      <td class="num">{count(o.redemptions)}</td>
                      <td>
                        {rate == null ? (
                          <span class="muted">none issued</span>
                        ) : (
                          <span class="spark-row">
                            <Meter value={rate} label={`${o.name} redemption rate`} tone={rate >= 0.2 ? 'good' : rate >= 0.05 ? 'warn' : 'bad'} /> {percent(rate, 1)}
                          </span>
                        )}
                      </td>
                      <td class="num">
                        {money(o.spent)}
                        {o.budget != null ? <div class="small muted">of {money(o.budget)}</div> : null}
                      </td>
                      {writable && (
                        <td>
                          {o.status === 'active' ? (
                            <button type="button" class="secondary" disabled={busy} onClick={() => void setStatus(o, 'paused')}>
                              Pause “{o.name}”
                            </button>
                          ) : (
                            <button type="button" disabled={busy} onClick={() => void setStatus(o, 'active')}>
                              Activate “{o.name}”
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <p class="small muted">
            Redemption rate: vouchers redeemed by an order over vouchers issued. Cost: discounts given plus the offer’s cost per redemption.
          </p>
        </article>
        {writable && (
          <article class="card" aria-labelledby="new-offer-h">
            <h2 id="new-offer-h">New offer</h2>
            <NewOffer campaigns={campaigns.nodes} currency={me.currency} done={done} />
          </article>
        )}
        {writable && (
          <article class="card" aria-labelledby="issue-h">
            <h2 id="issue-h">Issue to a segment</h2>
            <IssueForm offers={offers.nodes} segments={segments.nodes} done={done} />
          </article>
        )}
      </div>
    </Page>
  );
}
