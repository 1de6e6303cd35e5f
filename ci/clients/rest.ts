// A partner's REST client, typed only by what openapi-typescript generates from
// openapi/openapi.json: if the document lies about a body, this stops compiling.
import type { components, paths } from "./generated/openapi";

type Schemas = components["schemas"];
type JsonBody<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

const base = "http://127.0.0.1:8080";

async function send<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    const problem: Schemas["Problem"] = await res.json();
    throw new Error(`${problem.code}: ${problem.detail}`);
  }
  return res.json();
}

export async function createAccount(token: string): Promise<Schemas["Account"]> {
  const input: JsonBody<paths["/v1/accounts"]["post"]> = {
    kind: "organization",
    name: "Acme",
    emails: ["buy@acme.example.com"],
    lifecycle_stage: "customer",
    attributes: { plan: "gold", seats: 40, renewals: ["2027-01"] },
  };
  const account: Schemas["Account"] = await send("POST", "/v1/accounts", token, input);
  const plan: unknown = account.attributes["plan"];
  console.log(account.id, account.kind satisfies "person" | "organization", plan);
  return account;
}

export async function renameAccount(token: string, id: string): Promise<Schemas["Account"]> {
  // A merge patch: every member optional, `null` clears.
  const patch: Schemas["AccountInputPatch"] = { name: "Acme Ltd", owner_id: null };
  return send("PATCH", `/v1/accounts/${id}`, token, patch);
}

export async function upsertAccounts(token: string): Promise<number> {
  const batch: Schemas["AccountBatch"] = {
    accounts: [{ kind: "person", name: "Ada", external_id: "crm-1" }],
  };
  const result: Schemas["AccountBatchResult"] = await send("POST", "/v1/accounts/batch", token, batch);
  for (const item of result.results) {
    const id: string | null | undefined = item.id;
    console.log(item.index, item.status satisfies "created" | "updated" | "unchanged" | "error", id);
  }
  return result.created + result.updated + result.unchanged + result.failed;
}

export async function recordOrders(token: string, accountId: string): Promise<string> {
  const order: Schemas["OrderInput"] = {
    account_id: accountId,
    external_id: "shop-1",
    amount: 9900,
    currency: "USD",
    channel: "web",
  };
  const created: Schemas["Order"] = await send("POST", "/v1/orders", token, order);
  const batch: JsonBody<paths["/v1/orders/batch"]["post"]> = {
    orders: [{ account_id: accountId, external_id: "shop-2", amount: 1250, currency: "USD" }],
  };
  const result: Schemas["BatchResult"] = await send("POST", "/v1/orders/batch", token, batch);
  return `${created.id} +${result.created} (${result.duplicates} duplicates)`;
}

export async function setExchangeRates(token: string): Promise<number> {
  // The read-only `version` is not part of the patch; If-Match carries it.
  const patch: Schemas["ValueSettingsPatch"] = { exchange_rates: { EUR: "1.08" } };
  const settings: Schemas["ValueSettings"] = await send("PATCH", "/v1/workspace/value-settings", token, patch);
  const eur: string | undefined = settings.exchange_rates["EUR"];
  console.log(eur);
  return settings.version;
}

export async function profile(token: string, accountId: string): Promise<string> {
  type Profile = paths["/v1/accounts/{id}/profile"]["get"]["responses"][200]["content"]["application/json"];
  const p: Profile = await send("GET", `/v1/accounts/${accountId}/profile`, token);
  const churn: number | null | undefined = p.metrics.churn_probability;
  return `${p.account.name}: ${p.metrics.orders_count} orders, churn ${churn ?? "n/a"}, ${p.open_deals.length} open deals`;
}
