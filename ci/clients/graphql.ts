// A frontend's GraphQL client, typed by graphql-codegen (typescript + typescript-operations)
// from schema.graphql and the query below: if the schema changes under it, this stops compiling.
import type { AccountWithContactsQuery, AccountWithContactsQueryVariables } from "./generated/graphql";

const accountWithContactsQuery = /* GraphQL */ `
  query AccountWithContacts($id: ID!) {
    account(id: $id) {
      id
      name
      kind
      metrics {
        ordersCount
        revenue
        churnProbability
      }
      contacts {
        id
        name
        email
      }
    }
  }
`;

export async function accountWithContacts(token: string, id: string): Promise<string> {
  const variables: AccountWithContactsQueryVariables = { id };
  const res = await fetch("http://127.0.0.1:8080/graphql", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ query: accountWithContactsQuery, variables }),
  });
  const { data }: { data?: AccountWithContactsQuery } = await res.json();
  const account = data?.account;
  if (!account) return "not found";
  const names = account.contacts.map((c) => c.name).join(", ");
  // Money is a `Long`: a string of digits, exact beyond 2^53 when read as a bigint.
  const revenue: bigint = BigInt(account.metrics.revenue);
  return `${account.name} (${account.metrics.ordersCount} orders, ${revenue} minor units): ${names}`;
}
