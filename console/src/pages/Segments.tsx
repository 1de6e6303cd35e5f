// Segments: the saved ones, and a rule builder whose count is previewed live
// (`previewSegment`) as conditions change; saving needs a role that writes accounts.
import { useEffect, useState } from 'preact/hooks';
import { gql, idempotencyKey } from '../api';
import { count } from '../format';
import { graphql } from '../gql';
import { Empty, ErrorState, Link, Loading, Page, can, message, useLoad, useMe } from '../ui';

const SegmentsQuery = graphql(`
  query Segments {
    segments(first: 100) {
      nodes {
        id
        name
        description
        rule
        tracked
        createdAt
      }
    }
  }
`);

const PreviewQuery = graphql(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule, sampleSize: 5) {
      count
      sample {
        id
        name
      }
    }
  }
`);

const CreateSegment = graphql(`
  mutation CreateSegment($input: SegmentInput!, $key: String) {
    createSegment(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`);

type Kind = 'number' | 'money' | 'share' | 'choice' | 'text';
interface Field {
  name: string;
  label: string;
  kind: Kind;
  choices?: string[];
}

const FIELDS: Field[] = [
  { name: 'orders_count', label: 'Orders', kind: 'number' },
  { name: 'revenue', label: 'Revenue', kind: 'money' },
  { name: 'clv', label: 'CLV (12 months)', kind: 'money' },
  { name: 'churn_probability', label: 'Churn probability (%)', kind: 'share' },
  { name: 'days_since_last_order', label: 'Days since last order', kind: 'number' },
  {
    name: 'rfm_segment',
    label: 'RFM segment',
    kind: 'choice',
    choices: ['champions', 'loyal', 'potential_loyalist', 'new', 'promising', 'need_attention', 'about_to_sleep', 'at_risk', 'cant_lose_them', 'hibernating', 'lost'],
  },
  { name: 'risk_band', label: 'Risk band', kind: 'choice', choices: ['healthy', 'watch', 'at_risk', 'lost'] },
  { name: 'lifecycle_stage', label: 'Lifecycle stage', kind: 'choice', choices: ['lead', 'prospect', 'customer', 'churned'] },
  { name: 'kind', label: 'Kind', kind: 'choice', choices: ['person', 'organization'] },
  { name: 'loyalty_points', label: 'Loyalty points', kind: 'number' },
  { name: 'acquisition_channel', label: 'Acquisition channel', kind: 'text' },
  { name: 'tags', label: 'Tags', kind: 'text' },
];

const OPS: Record<Kind, [string, string][]> = {
  number: [['>=', 'at least'], ['<=', 'at most'], ['=', 'exactly'], ['>', 'more than'], ['<', 'less than']],
  money: [['>=', 'at least'], ['<=', 'at most'], ['>', 'more than'], ['<', 'less than']],
  share: [['>=', 'at least'], ['<=', 'at most']],
  choice: [['=', 'is'], ['!=', 'is not']],
  text: [['=', 'is'], ['contains', 'contains']],
};

interface Condition {
  field: string;
  op: string;
  value: string;
}

function fieldOf(name: string): Field {
  return FIELDS.find((f) => f.name === name) ?? (FIELDS[0] as Field);
}

/** The builder's state as the API's rule tree, or a sentence saying what is missing. */
function toRule(match: 'all' | 'any', conditions: Condition[]): { rule: unknown } | { problem: string } {
  const out: unknown[] = [];
  for (const c of conditions) {
    const f = fieldOf(c.field);
    const raw = c.value.trim();
    if (!raw) return { problem: `Give a value for “${f.label}”.` };
    let value: unknown = raw;
    if (f.kind === 'number' || f.kind === 'money' || f.kind === 'share') {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { problem: `“${f.label}” needs a number.` };
      value = f.kind === 'money' ? Math.round(n * 100) : f.kind === 'share' ? n / 100 : n;
    }
    out.push({ field: f.name, op: c.op, value });
  }
  if (out.length === 0) return { problem: 'Add a condition.' };
  return { rule: { [match]: out } };
}

function RuleBuilder({ onSaved }: { onSaved: () => void }) {
  const me = useMe();
  const [match, setMatch] = useState<'all' | 'any'>('all');
  const [conditions, setConditions] = useState<Condition[]>([{ field: 'orders_count', op: '>=', value: '3' }]);
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<{ status: 'idle' | 'loading' | 'ok' | 'error'; count?: number; sample?: { id: string; name: string }[]; text?: string }>({
    status: 'idle',
  });
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const built = toRule(match, conditions);
  const ruleKey = JSON.stringify(built);

  // Live preview: a moment after the last change.
  useEffect(() => {
    if (!('rule' in built)) {
      setPreview({ status: 'error', text: built.problem });
      return;
    }
    let stale = false;
    setPreview((p) => ({ ...p, status: 'loading' }));
    const t = setTimeout(() => {
      gql(PreviewQuery, { rule: built.rule }).then(
        (d) => !stale && setPreview({ status: 'ok', count: d.previewSegment.count, sample: d.previewSegment.sample }),
        (e: unknown) => !stale && setPreview({ status: 'error', text: message(e) }),
      );
    }, 350);
    return () => {
      stale = true;
      clearTimeout(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ruleKey]);

  const set = (i: number, patch: Partial<Condition>) =>
    setConditions((cs) =>
      cs.map((c, j) => {
        if (j !== i) return c;
        const next = { ...c, ...patch };
        if (patch.field) {
          const f = fieldOf(patch.field);
          next.op = OPS[f.kind][0]?.[0] ?? '=';
          next.value = f.choices?.[0] ?? '';
        }
        return next;
      }),
    );

  const save = async (e: Event) => {
    e.preventDefault();
    if (!('rule' in built)) return;
    setSaveError(null);
    try {
      const r = await gql(CreateSegment, { input: { name: name.trim(), rule: built.rule, tracked: false }, key: idempotencyKey() });
      setSaved(r.createSegment.name);
      setName('');
      onSaved();
    } catch (err) {
      setSaveError(err);
    }
  };

  return (
    <article class="card" aria-labelledby="builder-h">
      <h2 id="builder-h">Build a segment</h2>
      <div class="rule">
        <label>
          Customers matching
          <select value={match} onChange={(e) => setMatch(e.currentTarget.value === 'any' ? 'any' : 'all')}>
            <option value="all">all of these conditions</option>
            <option value="any">any of these conditions</option>
          </select>
        </label>
        {conditions.map((c, i) => {
          const f = fieldOf(c.field);
          return (
            <fieldset class="condition" key={i} aria-label={`Condition ${i + 1}`}>
              <label>
                Field
                <select value={c.field} onChange={(e) => set(i, { field: e.currentTarget.value })}>
                  {FIELDS.map((x) => (
                    <option key={x.name} value={x.name}>
                      {x.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Comparison
                <select value={c.op} onChange={(e) => set(i, { op: e.currentTarget.value })}>
                  {OPS[f.kind].map(([op, text]) => (
                    <option key={op} value={op}>
                      {text}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Value{f.kind === 'money' ? ' (whole units)' : ''}
                {f.choices ? (
                  <select value={c.value} onChange={(e) => set(i, { value: e.currentTarget.value })}>
                    {f.choices.map((x) => (
                      <option key={x} value={x}>
                        {x.replace(/_/g, ' ')}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input value={c.value} inputMode={f.kind === 'text' ? 'text' : 'decimal'} onInput={(e) => set(i, { value: e.currentTarget.value })} />
                )}
              </label>
              {conditions.length > 1 && (
                <button type="button" class="secondary" onClick={() => setConditions((cs) => cs.filter((_, j) => j !== i))}>
                  Remove
                </button>
              )}
            </fieldset>
          );
        })}
        <div class="row">
          <button type="button" class="secondary" onClick={() => setConditions((cs) => [...cs, { field: 'risk_band', op: '=', value: 'at_risk' }])}>
            Add a condition
          </button>
        </div>
      </div>
      <div aria-live="polite" class="preview">
        {preview.status === 'loading' && <p class="muted">Counting…</p>}
        {preview.status === 'ok' && (
          <>
            <p class="count" data-testid="preview-count">
              {count(preview.count ?? 0)} customers match now
            </p>
            {(preview.sample ?? []).length > 0 && (
              <p class="small muted">
                For example:{' '}
                {(preview.sample ?? []).map((a, i) => (
                  <span key={a.id}>
                    {i > 0 ? ', ' : ''}
                    <Link href={`/customers/${encodeURIComponent(a.id)}`}>{a.name}</Link>
                  </span>
                ))}
              </p>
            )}
          </>
        )}
        {preview.status === 'error' && (
          <p class="state error" role="alert">
            {preview.text}
          </p>
        )}
      </div>
      {can(me, 'segments') && (
        <form class="row" onSubmit={(e) => void save(e)}>
          <label>
            Segment name
            <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={!('rule' in built) || !name.trim()}>
            Save segment
          </button>
        </form>
      )}
      {saved && (
        <p class="notice ok" role="status">
          Saved “{saved}”.
        </p>
      )}
      {saveError != null && <ErrorState error={saveError} />}
    </article>
  );
}

export function SegmentsPage() {
  const q = useLoad(() => gql(SegmentsQuery), 'segments');
  return (
    <Page title="Segments">
      <div class="columns">
        <article class="card" aria-labelledby="saved-h">
          <h2 id="saved-h">Saved segments</h2>
          {q.status === 'loading' && <Loading what="segments" />}
          {q.status === 'error' && <ErrorState error={q.error} retry={q.reload} />}
          {q.status === 'ok' && q.data.segments.nodes.length === 0 && <Empty>No segment yet: build one.</Empty>}
          {q.status === 'ok' && (
            <ul class="plain">
              {q.data.segments.nodes.map((s) => (
                <li key={s.id}>
                  <strong>{s.name}</strong>
                  {s.description ? <div class="small muted">{s.description}</div> : null}
                </li>
              ))}
            </ul>
          )}
        </article>
        <RuleBuilder onSaved={q.reload} />
      </div>
    </Page>
  );
}
