// The pipeline board: a column per stage, drag a deal (or pick a stage) to move it. The move
// carries the deal's version (`ifVersion`, the If-Match of GraphQL): when someone else moved
// it first, the API refuses and the board says so in a sentence, then shows where it is now.
import { useState } from 'preact/hooks';
import { ApiFailure, gql, idempotencyKey } from '../api';
import { count, money, num } from '../format';
import { graphql } from '../gql';
import type { BoardQuery } from '../gql/graphql';
import { Empty, ErrorState, Loading, Page, can, message, useLoad, useMe } from '../ui';

const BoardQueryDoc = graphql(`
  query Board {
    pipelines(first: 20) {
      nodes {
        id
        name
        stages {
          id
          name
          kind
          probability
        }
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        pipelineId
        stageId
        version
        expectedCloseOn
      }
    }
  }
`);

const MoveDeal = graphql(`
  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {
      id
      stageId
      version
      status
    }
  }
`);

type Deal = BoardQuery['deals']['nodes'][number];

// One request: every pipeline with its stages and every open deal.
async function loadBoard() {
  const d = await gql(BoardQueryDoc);
  return { pipelines: d.pipelines.nodes, deals: d.deals.nodes };
}

export function PipelinePage() {
  const me = useMe();
  const writable = can(me, 'deals');
  const [chosen, setChosen] = useState<string | null>(null);
  const q = useLoad(loadBoard, 'board');
  const [moved, setMoved] = useState<Map<string, Deal>>(new Map());
  const [notice, setNotice] = useState<{ kind: 'ok' | 'conflict'; text: string } | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  if (q.status === 'loading') return <Loading what="the pipeline" />;
  if (q.status === 'error') return <ErrorState error={q.error} retry={q.reload} />;
  const { pipelines } = q.data;
  const pipeline = pipelines.find((p) => p.id === chosen) ?? pipelines[0];
  if (!pipeline) {
    return (
      <Page title="Pipeline">
        <Empty>No pipeline yet.</Empty>
      </Page>
    );
  }
  const deals = q.data.deals.filter((d) => d.pipelineId === pipeline.id).map((d) => moved.get(d.id) ?? d);
  const stageName = (id: string) => pipeline.stages.find((s) => s.id === id)?.name ?? 'another stage';

  const move = async (deal: Deal, stageId: string) => {
    if (deal.stageId === stageId || busy) return;
    const stage = pipeline.stages.find((s) => s.id === stageId);
    let lostReason: string | undefined;
    if (stage?.kind === 'lost') {
      lostReason = window.prompt(`Why was “${deal.title}” lost?`, 'price') ?? undefined;
      if (!lostReason) return;
    }
    setBusy(deal.id);
    setNotice(null);
    try {
      const r = await gql(MoveDeal, { id: deal.id, stageId, ifVersion: deal.version, lostReason: lostReason ?? null, key: idempotencyKey() });
      setMoved((m) => new Map(m).set(deal.id, { ...deal, stageId: r.moveDeal.stageId, version: r.moveDeal.version }));
      setNotice({ kind: 'ok', text: `“${deal.title}” moved to ${stageName(r.moveDeal.stageId)}.` });
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'precondition_failed') {
        // Someone else moved it first: reload and say where it is now.
        let where = '';
        try {
          const fresh = await loadBoard();
          const now = fresh.deals.find((d) => d.id === deal.id);
          where = now ? ` It is now in ${stageName(now.stageId)}.` : ' It is no longer open.';
        } catch {
          // The sentence below is enough.
        }
        setMoved(new Map());
        setNotice({
          kind: 'conflict',
          text: `“${deal.title}” was moved by someone else (perhaps in another tab) before your move, so yours was not applied.${where} The board now shows the latest state.`,
        });
        q.reload();
      } else {
        setNotice({ kind: 'conflict', text: message(e) });
      }
    } finally {
      setBusy(null);
    }
  };

  const byId = new Map(deals.map((d) => [d.id, d]));
  return (
    <Page
      title="Pipeline"
      actions={
        pipelines.length > 1 ? (
          <label>
            Pipeline
            <select value={pipeline.id} onChange={(e) => setChosen(e.currentTarget.value)}>
              {pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : undefined
      }
    >
      <div aria-live="polite">
        {notice && (
          <p class={`notice ${notice.kind}`} role={notice.kind === 'conflict' ? 'alert' : 'status'} data-testid="board-notice">
            {notice.text}
          </p>
        )}
      </div>
      {!writable && <p class="muted small">Your role can see the board but not move deals.</p>}
      <div class="board">
        {pipeline.stages.map((stage) => {
          const here = deals.filter((d) => d.stageId === stage.id);
          // Amounts are summed per currency: deals may be in several.
          const totals = new Map<string, number>();
          here.forEach((d) => totals.set(d.currency, (totals.get(d.currency) ?? 0) + num(d.amount)));
          return (
            <section
              key={stage.id}
              class={`column${over === stage.id ? ' over' : ''}`}
              aria-label={`Stage ${stage.name}`}
              data-stage={stage.name}
              data-kind={stage.kind}
              onDragOver={(e) => {
                if (!writable) return;
                e.preventDefault();
                setOver(stage.id);
              }}
              onDragLeave={() => setOver(null)}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                const deal = byId.get(e.dataTransfer?.getData('text/plain') ?? '');
                if (deal && writable) void move(deal, stage.id);
              }}
            >
              <h2>
                <span>{stage.name}</span>
                <span class="muted small">{stage.probability} %</span>
              </h2>
              <p class="muted small">
                {count(here.length)} deals
                {[...totals].map(([currency, sum]) => ` · ${money(sum, currency)}`).join('')}
              </p>
              {here.map((d) => (
                <article
                  key={d.id}
                  class="deal"
                  draggable={writable}
                  data-deal={d.title}
                  aria-busy={busy === d.id}
                  onDragStart={(e) => e.dataTransfer?.setData('text/plain', d.id)}
                >
                  <strong>{d.title}</strong>
                  <div class="small">{money(d.amount, d.currency)}</div>
                  {writable && (
                    <label class="move">
                      Move to
                      <select value={d.stageId} onChange={(e) => void move(d, e.currentTarget.value)} aria-label={`Move ${d.title} to stage`}>
                        {pipeline.stages.map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                </article>
              ))}
            </section>
          );
        })}
      </div>
    </Page>
  );
}
