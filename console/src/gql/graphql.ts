/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date without a time zone, `YYYY-MM-DD` (ISO 8601 / RFC 3339 full-date), e.g. `2026-03-31`. */
  Date: { input: string; output: string; }
  /** An instant in UTC as an RFC 3339 string, e.g. `2026-03-31T14:05:00Z` (output: microsecond precision, `Z`). Input accepts any offset and is converted to UTC. */
  DateTime: { input: string; output: string; }
  /** A scalar that can represent any JSON value. */
  JSON: { input: unknown; output: unknown; }
  /** A signed 64-bit integer: money in minor units, loyalty points and thresholds. Serialized as a JSON string of decimal digits (`"10000000000000"`) because GraphQL `Int` is 32-bit and JavaScript numbers lose precision above 2^53; accepted as such a string or as an `Int` literal. Map it to `string` (or `bigint`) in TypeScript, `Long` in Apollo Kotlin and `Int64` in Apollo iOS. Counts, days and versions stay `Int`. */
  Long: { input: string; output: string; }
};

/** A customer: a person or an organization. */
export type Account = {
  __typename?: 'Account';
  acquisitionChannel?: Maybe<Scalars['String']['output']>;
  acquisitionCost?: Maybe<Money>;
  address?: Maybe<Address>;
  /** Custom fields: a JSON object of at most 16 KiB. */
  attributes: Scalars['JSON']['output'];
  /** Every consent given or withdrawn, oldest first. */
  consentHistory: Array<ConsentEvent>;
  /**
   * The people at this account (organizations), in creation order; loaded in one query
   * for all the accounts of a page.
   */
  contacts: Array<Contact>;
  createdAt: Scalars['DateTime']['output'];
  emails: Array<Scalars['String']['output']>;
  /** Your own key for this customer, unique in the workspace. */
  externalId?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The timeline, newest first. */
  interactions: InteractionConnection;
  /** `person` or `organization`. */
  kind: Scalars['String']['output'];
  /** Every change of lifecycle stage, oldest first. */
  lifecycleHistory: Array<LifecycleChange>;
  /** `lead`, `prospect`, `customer` or `churned`. */
  lifecycleStage: Scalars['String']['output'];
  marketingConsent: MarketingConsent;
  /**
   * What the account is worth: orders, revenue, RFM, P(alive), churn probability,
   * expected orders and CLV (loaded in one round for all the accounts of a page); with
   * `asOf`, as of that past instant (see REST `GET /v1/accounts/{id}/metrics`).
   */
  metrics: ValueMetrics;
  name: Scalars['String']['output'];
  /** The account's orders, newest first. */
  orders: OrderConnection;
  ownerId?: Maybe<Scalars['ID']['output']>;
  phones: Array<Scalars['String']['output']>;
  tags: Array<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Bumped by every change; send it back in `If-Match` to update safely. */
  version: Scalars['Int']['output'];
};


/** A customer: a person or an organization. */
export type AccountInteractionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  channel?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};


/** A customer: a person or an organization. */
export type AccountMetricsArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};


/** A customer: a person or an organization. */
export type AccountOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type AccountConnection = {
  __typename?: 'AccountConnection';
  /** A list of edges. */
  edges: Array<AccountEdge>;
  /** A list of nodes. */
  nodes: Array<Account>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type AccountEdge = {
  __typename?: 'AccountEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Account;
};

/** Narrows an account list; every field is optional (same as the REST query parameters). */
export type AccountFilterInput = {
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<Scalars['String']['input']>;
  lifecycleStage?: InputMaybe<Scalars['String']['input']>;
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Prefix search on name words, e-mails and phone numbers. */
  q?: InputMaybe<Scalars['String']['input']>;
  /** Only the members of this segment (its rule, evaluated now). */
  segmentId?: InputMaybe<Scalars['ID']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
  updatedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  updatedBefore?: InputMaybe<Scalars['DateTime']['input']>;
};

/** What a client writes: the body of a create, and the shape a PATCH merges into. */
export type AccountInput = {
  acquisitionChannel?: InputMaybe<Scalars['String']['input']>;
  acquisitionCost?: InputMaybe<MoneyInput>;
  address?: InputMaybe<AddressInput>;
  attributes?: InputMaybe<Scalars['JSON']['input']>;
  emails?: InputMaybe<Array<Scalars['String']['input']>>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** `person` or `organization`. */
  kind?: InputMaybe<Scalars['String']['input']>;
  /** Default `lead`. */
  lifecycleStage?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  phones?: InputMaybe<Array<Scalars['String']['input']>>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type AcquisitionReport = {
  __typename?: 'AcquisitionReport';
  channels: Array<ChannelEconomics>;
  /** The reporting currency of every amount. */
  currency: Scalars['String']['output'];
  defaultMarginPercent: Scalars['Float']['output'];
  /** End (exclusive) of the range's last month. */
  endsBefore: Scalars['DateTime']['output'];
  startsAt: Scalars['DateTime']['output'];
  /**
   * Marketing spend of months in which the channel acquired no customer without a cost
   * of their own.
   */
  unallocatedSpend: Scalars['Long']['output'];
};

export type Address = {
  __typename?: 'Address';
  city?: Maybe<Scalars['String']['output']>;
  /** ISO 3166-1 alpha-2, e.g. `FR`. */
  country?: Maybe<Scalars['String']['output']>;
  line1?: Maybe<Scalars['String']['output']>;
  line2?: Maybe<Scalars['String']['output']>;
  postalCode?: Maybe<Scalars['String']['output']>;
  region?: Maybe<Scalars['String']['output']>;
};

export type AddressInput = {
  city?: InputMaybe<Scalars['String']['input']>;
  /** ISO 3166-1 alpha-2, e.g. `FR`. */
  country?: InputMaybe<Scalars['String']['input']>;
  line1?: InputMaybe<Scalars['String']['input']>;
  line2?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  region?: InputMaybe<Scalars['String']['input']>;
};

/** An admin's manual correction. */
export type AdjustInput = {
  /** Non-zero; negative takes points away (never below an available balance of 0). */
  points: Scalars['Long']['input'];
  reason: Scalars['String']['input'];
};

export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<Scalars['String']['output']>;
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** The public part of the secret (`rk_<prefix>_…`), to recognise a key in logs. */
  prefix: Scalars['String']['output'];
  /** Requests a minute this key may make; `null` = the server default. */
  rateLimitPerMinute?: Maybe<Scalars['Int']['output']>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<Scalars['String']['output']>;
};

export type ApiKeyConnection = {
  __typename?: 'ApiKeyConnection';
  /** A list of edges. */
  edges: Array<ApiKeyEdge>;
  /** A list of nodes. */
  nodes: Array<ApiKey>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type ApiKeyEdge = {
  __typename?: 'ApiKeyEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: ApiKey;
};

/** The two arms compared, for the whole audience or one group of it. */
export type ArmComparison = {
  __typename?: 'ArmComparison';
  control: ArmResult;
  /** In conversion rate (absolute, `relative` against control); two-proportion z-test. */
  conversionUplift: UpliftResult;
  /** `all`, or the RFM segment / risk band (`unscored`: none at launch). */
  group: Scalars['String']['output'];
  /** The same for margin. */
  incrementalMargin: Scalars['Long']['output'];
  /** (revenue per treated member − revenue per control member) × treated members. */
  incrementalRevenue: Scalars['Long']['output'];
  /** In margin per member, minor units; Welch's t-test. */
  marginPerMemberUplift: UpliftResult;
  /** In revenue per member, minor units; Welch's t-test. */
  revenuePerMemberUplift: UpliftResult;
  /** That of revenue per member. */
  significance: Scalars['String']['output'];
  treatment: ArmResult;
};

/** One arm's results. */
export type ArmResult = {
  __typename?: 'ArmResult';
  /** Members with at least one converting order in the window. */
  buyers: Scalars['Int']['output'];
  /** buyers / members. */
  conversionRate: Scalars['Float']['output'];
  margin: Scalars['Long']['output'];
  marginPerMember: Scalars['Float']['output'];
  members: Scalars['Int']['output'];
  orders: Scalars['Int']['output'];
  /** Net revenue in the window, minor units of the reporting currency. */
  revenue: Scalars['Long']['output'];
  /** revenue / members (non-buyers count as 0). */
  revenuePerMember: Scalars['Float']['output'];
};

/** A buyer and what their leaving would cost. */
export type AtRiskAccount = {
  __typename?: 'AtRiskAccount';
  accountId: Scalars['ID']['output'];
  churnProbability: Scalars['Float']['output'];
  clv?: Maybe<Scalars['Long']['output']>;
  name: Scalars['String']['output'];
  ordersCount: Scalars['Int']['output'];
  revenue: Scalars['Long']['output'];
  /** `healthy`, `watch`, `at_risk` or `lost`. */
  riskBand: Scalars['String']['output'];
  segment?: Maybe<Scalars['String']['output']>;
  /**
   * The spend model behind `clv` and the value at risk: `gamma_gamma` or a fallback
   * (`fallback_winsorized`, `fallback_penalized`, `fallback_shrinkage`).
   */
  spendModel?: Maybe<Scalars['String']['output']>;
  /** Minor units of the reporting currency. */
  valueAtRisk: Scalars['Long']['output'];
};

export type AtRiskAccountConnection = {
  __typename?: 'AtRiskAccountConnection';
  /** A list of edges. */
  edges: Array<AtRiskAccountEdge>;
  /** A list of nodes. */
  nodes: Array<AtRiskAccount>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type AtRiskAccountEdge = {
  __typename?: 'AtRiskAccountEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: AtRiskAccount;
};

/** Who the launch took in and left out. */
export type AudienceCounts = {
  __typename?: 'AudienceCounts';
  control: Scalars['Int']['output'];
  /** Live members of the segment at launch. */
  eligible: Scalars['Int']['output'];
  /** Left out: in the workspace's global control group. */
  excludedGlobalControl: Scalars['Int']['output'];
  /** Left out: no granted consent for the channel. */
  excludedNoConsent: Scalars['Int']['output'];
  treated: Scalars['Int']['output'];
};

/** One recorded change. */
export type AuditEntry = {
  __typename?: 'AuditEntry';
  /** `resource.verb`, e.g. `api_key.create`. */
  action: Scalars['String']['output'];
  actorId?: Maybe<Scalars['ID']['output']>;
  /** `user`, `api_key` or `system`. */
  actorType: Scalars['String']['output'];
  /** The resource after the change: always an object. */
  after?: Maybe<Scalars['JSON']['output']>;
  /** The resource before the change (secrets never appear): always an object. */
  before?: Maybe<Scalars['JSON']['output']>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  requestId?: Maybe<Scalars['String']['output']>;
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
};

export type AuditEntryConnection = {
  __typename?: 'AuditEntryConnection';
  /** A list of edges. */
  edges: Array<AuditEntryEdge>;
  /** A list of nodes. */
  nodes: Array<AuditEntry>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type AuditEntryEdge = {
  __typename?: 'AuditEntryEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: AuditEntry;
};

/** A backtest's result. */
export type Backtest = {
  __typename?: 'Backtest';
  actualPurchases: Scalars['Float']['output'];
  /** Minor units of the reporting currency. */
  actualRevenue: Scalars['Float']['output'];
  /** The candidate with the lowest `purchases_mae`. */
  best?: Maybe<Scalars['String']['output']>;
  candidates: Array<BacktestCandidate>;
  /** False when the horizon reaches past now (the actuals are partial). */
  complete: Scalars['Boolean']['output'];
  /** With `customers: true`: every customer, by account id. */
  customerRows?: Maybe<Array<BacktestCustomer>>;
  /** Customers who bought before the cutoff. */
  customers: Scalars['Int']['output'];
  cutoff: Scalars['DateTime']['output'];
  /** `cutoff + horizon_days`. */
  holdoutEndsAt: Scalars['DateTime']['output'];
  horizonDays: Scalars['Int']['output'];
  /** P(alive) below this counts as predicted lost. */
  lostBelow: Scalars['Float']['output'];
  /**
   * The spend model fitted on the calibration period (`gamma_gamma` or a fallback);
   * `null` when nobody bought twice before the cutoff.
   */
  spendModel?: Maybe<Scalars['String']['output']>;
};

/** How one model did. */
export type BacktestCandidate = {
  __typename?: 'BacktestCandidate';
  converged?: Maybe<Scalars['Boolean']['output']>;
  /** Cumulative predicted vs actual purchases, every week (every 4 weeks beyond 104). */
  curve: Array<BacktestCurvePoint>;
  deciles: Array<BacktestDecile>;
  /** False when tested at given `parameters`. */
  fitted: Scalars['Boolean']['output'];
  issue?: Maybe<FitIssue>;
  /** Of the fit on the calibration period. */
  logLikelihood?: Maybe<Scalars['Float']['output']>;
  /** Of those, how many bought in the horizon. */
  lostBoughtAgain?: Maybe<Scalars['Int']['output']>;
  /** `lost_bought_again / predicted_lost`. */
  lostBoughtAgainShare?: Maybe<Scalars['Float']['output']>;
  /** `bg-nbd`, `mbg-nbd` or `pareto-nbd`. */
  model: Scalars['String']['output'];
  /** The parameters tested (`null` when the fit failed: see `issue`). */
  parameters?: Maybe<PurchaseParameters>;
  /** Customers with P(alive) below `lost_below` at the cutoff. */
  predictedLost?: Maybe<Scalars['Int']['output']>;
  predictedPurchases?: Maybe<Scalars['Float']['output']>;
  predictedRevenue?: Maybe<Scalars['Float']['output']>;
  /** Mean over customers of |predicted - actual| purchases over the horizon. */
  purchasesMae?: Maybe<Scalars['Float']['output']>;
  /** Mean over customers of |predicted - actual| spend, minor units. */
  revenueMae?: Maybe<Scalars['Float']['output']>;
};

/** One point of the cumulative curve. */
export type BacktestCurvePoint = {
  __typename?: 'BacktestCurvePoint';
  /** Purchases that happened from the cutoff to `days`. */
  actual: Scalars['Float']['output'];
  /** Days after the cutoff. */
  days: Scalars['Float']['output'];
  /** Predicted repeat purchases from the cutoff to `days`. */
  predicted: Scalars['Float']['output'];
};

/** One customer of the backtest. */
export type BacktestCustomer = {
  __typename?: 'BacktestCustomer';
  accountId: Scalars['ID']['output'];
  actualPurchases: Scalars['Int']['output'];
  actualRevenue: Scalars['Float']['output'];
  /** `T` at the cutoff, days. */
  ageDays: Scalars['Int']['output'];
  /** `t_x`, days. */
  daysBetweenFirstAndLast: Scalars['Int']['output'];
  predictions: Array<CustomerPrediction>;
  /** Calibration repeat purchases `x`. */
  repeatPurchases: Scalars['Int']['output'];
};

/** Customers in one decile of predicted value (1 = highest) and their totals. */
export type BacktestDecile = {
  __typename?: 'BacktestDecile';
  actualPurchases: Scalars['Float']['output'];
  actualRevenue: Scalars['Float']['output'];
  customers: Scalars['Int']['output'];
  decile: Scalars['Int']['output'];
  predictedPurchases: Scalars['Float']['output'];
  /** Minor units; `null` without a spend model. */
  predictedRevenue?: Maybe<Scalars['Float']['output']>;
};

export type BacktestInput = {
  /** List every customer's predictions beside the aggregates (at most 10,000 customers). */
  customers?: InputMaybe<Scalars['Boolean']['input']>;
  /**
   * End of the calibration period: models are fitted on the purchases up to it. Not in
   * the future, and some customer must have bought before it.
   */
  cutoff: Scalars['DateTime']['input'];
  /** Days after the cutoff predicted and compared, 1 to 3650. */
  horizonDays: Scalars['Int']['input'];
  /** Models to test (default all three): `bg-nbd`, `mbg-nbd`, `pareto-nbd`. */
  models?: InputMaybe<Array<Scalars['String']['input']>>;
  /**
   * Parameters to test a model at instead of fitting it (rates per day), e.g. published
   * estimates; at most one per model, each model also in `models` when that is given.
   */
  parameters?: InputMaybe<Array<PurchaseParametersInput>>;
};

/** What happened to one order of a batch. */
export type BatchItemResult = {
  __typename?: 'BatchItemResult';
  externalId?: Maybe<Scalars['String']['output']>;
  /** The order's id (the existing one for a duplicate). */
  id: Scalars['ID']['output'];
  /** Position in the batch. */
  index: Scalars['Int']['output'];
  /** `created`, or `duplicate` (an order with this `external_id` exists: not applied again). */
  status: Scalars['String']['output'];
};

export type BatchResult = {
  __typename?: 'BatchResult';
  created: Scalars['Int']['output'];
  duplicates: Scalars['Int']['output'];
  results: Array<BatchItemResult>;
};

/** BG/NBD parameters (rates per day) and how the fit went. */
export type BgNbdFit = {
  __typename?: 'BgNbdFit';
  a: Scalars['Float']['output'];
  alpha: Scalars['Float']['output'];
  b: Scalars['Float']['output'];
  converged: Scalars['Boolean']['output'];
  customers: Scalars['Int']['output'];
  iterations: Scalars['Int']['output'];
  logLikelihood: Scalars['Float']['output'];
  r: Scalars['Float']['output'];
};

export type Bin = {
  __typename?: 'Bin';
  customers: Scalars['Int']['output'];
  /** Inclusive lower bound. */
  lower: Scalars['Long']['output'];
  /** Exclusive upper bound (inclusive for the last bin). */
  upper: Scalars['Long']['output'];
};

/** A campaign. */
export type Campaign = {
  __typename?: 'Campaign';
  /** Days after launch in which an order converts. */
  attributionWindowDays: Scalars['Int']['output'];
  /** The audience as launched (absent for a draft). */
  audience?: Maybe<AudienceCounts>;
  /** `email`, `sms`, `push`, `call`, `in_store` or `direct_mail`. */
  channel: Scalars['String']['output'];
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Share of the audience held out as control. */
  controlShare: Scalars['Float']['output'];
  /** When set, only orders with a line item of this category convert and count. */
  conversionCategory?: Maybe<Scalars['String']['output']>;
  /** Fixed cost, minor units. */
  costFixed: Scalars['Int']['output'];
  /** Cost per contacted (treated) customer, minor units. */
  costPerContact: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** The reporting currency: of the costs and of every amount in the results. */
  currency: Scalars['String']['output'];
  /** When the attribution window closes (launch + window). */
  endsAt?: Maybe<Scalars['DateTime']['output']>;
  goal?: Maybe<Scalars['String']['output']>;
  id: Scalars['String']['output'];
  launchedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** The offer it carries (no offers resource yet: stored as given). */
  offerId?: Maybe<Scalars['String']['output']>;
  /** Leave out the workspace's global control group. */
  respectGlobalControl: Scalars['Boolean']['output'];
  /** The segment whose members form the audience at launch. */
  segmentId: Scalars['String']['output'];
  /** `draft`, `launched` or `completed`. */
  status: Scalars['String']['output'];
  /** Split each RFM segment in the same proportion. */
  stratify: Scalars['Boolean']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};

export type CampaignConnection = {
  __typename?: 'CampaignConnection';
  /** A list of edges. */
  edges: Array<CampaignEdge>;
  /** A list of nodes. */
  nodes: Array<Campaign>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type CampaignEdge = {
  __typename?: 'CampaignEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Campaign;
};

/** A new campaign (and, as a merge patch, a change to one). */
export type CampaignInput = {
  /** 1 to 365 days (default 30). */
  attributionWindowDays?: InputMaybe<Scalars['Int']['input']>;
  /**
   * `email`, `sms`, `push` (each needs the customer's granted consent), `call`,
   * `in_store` or `direct_mail`.
   */
  channel: Scalars['String']['input'];
  /** 0.01 to 0.9 (default 0.1). */
  controlShare?: InputMaybe<Scalars['Float']['input']>;
  /** Only orders with a line item of this category convert (1 to 200 characters). */
  conversionCategory?: InputMaybe<Scalars['String']['input']>;
  /** Minor units, 0 to 10^12 (default 0). */
  costFixed?: Scalars['Int']['input'];
  /** Minor units per treated customer, 0 to 10^12 (default 0). */
  costPerContact?: Scalars['Int']['input'];
  /** The workspace's reporting currency (the default); no other is accepted. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** At most 2,000 characters. */
  goal?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 200 characters. */
  name: Scalars['String']['input'];
  offerId?: InputMaybe<Scalars['String']['input']>;
  /** Leave out the workspace's global control group (default true). */
  respectGlobalControl?: InputMaybe<Scalars['Boolean']['input']>;
  /** A segment of the workspace. */
  segmentId: Scalars['String']['input'];
  /** Split each RFM segment in the same proportion (default true). */
  stratify?: InputMaybe<Scalars['Boolean']['input']>;
};

/** One member of a launched campaign. */
export type CampaignMember = {
  __typename?: 'CampaignMember';
  accountId: Scalars['String']['output'];
  /** `treatment` or `control`. */
  arm: Scalars['String']['output'];
  /** The contact outcomes reported, oldest first. */
  exposures: Array<Exposure>;
  /** The RFM segment at launch. */
  rfmSegment?: Maybe<Scalars['String']['output']>;
  /** The risk band at launch (`healthy`, `watch`, `at_risk`, `lost`). */
  riskBand?: Maybe<Scalars['String']['output']>;
};

export type CampaignMemberConnection = {
  __typename?: 'CampaignMemberConnection';
  /** A list of edges. */
  edges: Array<CampaignMemberEdge>;
  /** A list of nodes. */
  nodes: Array<CampaignMember>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type CampaignMemberEdge = {
  __typename?: 'CampaignMemberEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: CampaignMember;
};

/** A campaign's results. */
export type CampaignResults = {
  __typename?: 'CampaignResults';
  byRfmSegment: Array<ArmComparison>;
  byRiskBand: Array<ArmComparison>;
  campaignId: Scalars['String']['output'];
  /** cost_fixed + cost_per_contact × treated members. */
  cost: Scalars['Long']['output'];
  currency: Scalars['String']['output'];
  /** …and this many buyers in each arm. */
  minBuyersPerArm: Scalars['Int']['output'];
  /** Intervals and p-values need this many members in each arm… */
  minMembersPerArm: Scalars['Int']['output'];
  /** (incremental margin − cost) / cost; null for a free campaign. */
  romi?: Maybe<Scalars['Float']['output']>;
  /** `launched` (window open) or `completed`. */
  status: Scalars['String']['output'];
  total: ArmComparison;
  windowEnd: Scalars['DateTime']['output'];
  /** The window is still open: the figures will move. */
  windowOpen: Scalars['Boolean']['output'];
  windowStart: Scalars['DateTime']['output'];
};

/** Why a redemption is cancelled (optional). */
export type CancelRedemptionInput = {
  /** Up to 500 characters, kept on the redemption and its ledger entry. */
  reason?: InputMaybe<Scalars['String']['input']>;
};

/** One candidate of `auto`. */
export type CandidateScore = {
  __typename?: 'CandidateScore';
  /** Mean absolute error of the predicted holdout purchases per customer (lower is better). */
  holdoutMae?: Maybe<Scalars['Float']['output']>;
  /** Why the model could not be scored or fitted (a fit error code). */
  issue?: Maybe<Scalars['String']['output']>;
  /** Log-likelihood of the fit on all the data. */
  logLikelihood?: Maybe<Scalars['Float']['output']>;
  /** `bg-nbd`, `mbg-nbd` or `pareto-nbd`. */
  model: Scalars['String']['output'];
};

export type ChannelEconomics = {
  __typename?: 'ChannelEconomics';
  /** Null: accounts without an acquisition channel. */
  acquisitionChannel?: Maybe<Scalars['String']['output']>;
  /** Total acquisition cost of the customers with a cost. */
  acquisitionCost: Scalars['Long']['output'];
  /** Average stored 12-month CLV of `customers_with_prediction`. */
  averageClv?: Maybe<Scalars['Long']['output']>;
  averageMargin: Scalars['Long']['output'];
  averageRevenue: Scalars['Long']['output'];
  /** `acquisition_cost / (own_cost_customers + spend_costed_customers)`. */
  cac?: Maybe<Scalars['Long']['output']>;
  clvToCac?: Maybe<Scalars['Float']['output']>;
  /** Customers whose first purchase falls in the range. */
  customers: Scalars['Int']['output'];
  /** Customers with a stored CLV prediction. */
  customersWithPrediction: Scalars['Int']['output'];
  /** The channel's marketing spend in the range (allocated or not). */
  marketingSpend: Scalars['Long']['output'];
  ownCostCustomers: Scalars['Int']['output'];
  paybackMonths?: Maybe<Scalars['Int']['output']>;
  spendCostedCustomers: Scalars['Int']['output'];
  uncostedCustomers: Scalars['Int']['output'];
};

/** A fitted model version. */
export type ChurnModel = {
  __typename?: 'ChurnModel';
  /** End of the observation window. */
  asOf: Scalars['DateTime']['output'];
  bgnbd?: Maybe<BgNbdFit>;
  /** Buying customers the fit read. */
  customers: Scalars['Int']['output'];
  fitSeconds: Scalars['Float']['output'];
  fittedAt: Scalars['DateTime']['output'];
  gammaGamma?: Maybe<GammaGammaFit>;
  issues: Array<FitIssue>;
  /** The purchase model predictions use (BG/NBD on versions fitted before the choice). */
  purchaseModel?: Maybe<PurchaseModelFit>;
  rfmBreakpoints?: Maybe<RfmCuts>;
  /** Always `days`. */
  timeUnit: Scalars['String']['output'];
  version: Scalars['Int']['output'];
};

export type ChurnPeriod = {
  __typename?: 'ChurnPeriod';
  activeCustomers: Scalars['Int']['output'];
  /** `churned_customers / customers_at_start` (0 without customers). */
  churnRate: Scalars['Float']['output'];
  /** Of `customers_at_start`, those churned at its end. */
  churnedCustomers: Scalars['Int']['output'];
  /** Customers not churned at the period's end (new ones included). */
  customersAtEnd: Scalars['Int']['output'];
  /** Customers not churned at the period's start. */
  customersAtStart: Scalars['Int']['output'];
  endsBefore: Scalars['DateTime']['output'];
  lostCustomers: Scalars['Int']['output'];
  newCustomers: Scalars['Int']['output'];
  /** `2026-03` or `2026-W10`. */
  period: Scalars['String']['output'];
  reactivatedCustomers: Scalars['Int']['output'];
  retainedCustomers: Scalars['Int']['output'];
  startsAt: Scalars['DateTime']['output'];
};

export type ChurnReport = {
  __typename?: 'ChurnReport';
  /** The reporting currency (this report has counts only; stated for consistency). */
  currency: Scalars['String']['output'];
  /** End (exclusive) of the last period (UTC). */
  endsBefore: Scalars['DateTime']['output'];
  /** Null when no BG/NBD model is fitted. */
  expected?: Maybe<ExpectedChurn>;
  inactiveDays: Scalars['Int']['output'];
  /** `month` or `week`. */
  period: Scalars['String']['output'];
  periods: Array<ChurnPeriod>;
  repeat: RepeatPurchases;
  startsAt: Scalars['DateTime']['output'];
};

export type Cohort = {
  __typename?: 'Cohort';
  /** The acquisition channel when grouped by it (null: accounts without one). */
  acquisitionChannel?: Maybe<Scalars['String']['output']>;
  /** The period of the first purchase: `2026-01` or `2026-W02`. */
  cohort: Scalars['String']['output'];
  /** Customers whose first purchase falls in the cohort's period. */
  customers: Scalars['Int']['output'];
  endsBefore: Scalars['DateTime']['output'];
  /** Period 0 (the cohort's own) to the report's last period. */
  periods: Array<CohortPeriod>;
  startsAt: Scalars['DateTime']['output'];
};

export type CohortPeriod = {
  __typename?: 'CohortPeriod';
  /** Cohort members who bought in this period. */
  activeCustomers: Scalars['Int']['output'];
  cumulativeMargin: Scalars['Long']['output'];
  cumulativeMarginPerCustomer: Scalars['Long']['output'];
  cumulativeRevenue: Scalars['Long']['output'];
  /** `cumulative_revenue / customers`, rounded to a minor unit. */
  cumulativeRevenuePerCustomer: Scalars['Long']['output'];
  endsBefore: Scalars['DateTime']['output'];
  margin: Scalars['Long']['output'];
  /** `2026-03` or `2026-W10`. */
  period: Scalars['String']['output'];
  /** Periods since the cohort's own (0). */
  periodNumber: Scalars['Int']['output'];
  /** `active_customers / customers` (0 for an empty cohort). */
  retention: Scalars['Float']['output'];
  /** Net revenue of the period's purchases, minor units. */
  revenue: Scalars['Long']['output'];
  /** Cohort members who bought in this period or a later one up to the report's end. */
  rollingCustomers: Scalars['Int']['output'];
  /** `rolling_customers / customers` (0 for an empty cohort). */
  rollingRetention: Scalars['Float']['output'];
  startsAt: Scalars['DateTime']['output'];
};

/** The retention cohorts of a range of periods. */
export type CohortReport = {
  __typename?: 'CohortReport';
  cohorts: Array<Cohort>;
  /** The reporting currency of every amount. */
  currency: Scalars['String']['output'];
  /** The margin assumed for orders sent without a cost, in percent. */
  defaultMarginPercent: Scalars['Float']['output'];
  /** End (exclusive) of the last period observed (UTC). */
  endsBefore: Scalars['DateTime']['output'];
  /** `acquisition_channel` when split by channel. */
  groupBy?: Maybe<Scalars['String']['output']>;
  /** `month` or `week`. */
  period: Scalars['String']['output'];
  /** Start of the first cohort's period (UTC). */
  startsAt: Scalars['DateTime']['output'];
};

export type Concentration = {
  __typename?: 'Concentration';
  /** The top customers counted: `ceil(customers * top_percent / 100)`. */
  customers: Scalars['Int']['output'];
  /** `value / total` (0 when the total is not positive). */
  share: Scalars['Float']['output'];
  topPercent: Scalars['Int']['output'];
  value: Scalars['Long']['output'];
};

export type ConsentEvent = {
  __typename?: 'ConsentEvent';
  actorId?: Maybe<Scalars['ID']['output']>;
  actorType: Scalars['String']['output'];
  channel: Scalars['String']['output'];
  method?: Maybe<Scalars['String']['output']>;
  occurredAt: Scalars['DateTime']['output'];
  recordedAt: Scalars['DateTime']['output'];
  source?: Maybe<Scalars['String']['output']>;
  /** `granted` or `withdrawn`. */
  status: Scalars['String']['output'];
};

/** The current consent on one channel. */
export type ConsentState = {
  __typename?: 'ConsentState';
  at: Scalars['DateTime']['output'];
  method?: Maybe<Scalars['String']['output']>;
  source?: Maybe<Scalars['String']['output']>;
  /** `granted` or `withdrawn`. */
  status: Scalars['String']['output'];
};

/** A person at an organization account. */
export type Contact = {
  __typename?: 'Contact';
  /** The organization account this person works at. */
  accountId: Scalars['ID']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Normalised (lower case). */
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The account's main contact; at most one per account. */
  isPrimary: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  /** Normalised: separators removed, `+` kept. */
  phone?: Maybe<Scalars['String']['output']>;
  /** Role or job title, e.g. `Head of Purchasing`. */
  title?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Bumped by every change; send it back in `If-Match` to update safely. */
  version: Scalars['Int']['output'];
};

export type ContactConnection = {
  __typename?: 'ContactConnection';
  /** A list of edges. */
  edges: Array<ContactEdge>;
  /** A list of nodes. */
  nodes: Array<Contact>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type ContactEdge = {
  __typename?: 'ContactEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Contact;
};

/** What a client writes: the body of a create, and the shape a PATCH merges into. */
export type ContactInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  /**
   * `true` makes this the account's primary contact (and unsets the previous one).
   * Default `false`.
   */
  isPrimary?: InputMaybe<Scalars['Boolean']['input']>;
  /** Required, 1 to 300 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  /** Role or job title, at most 200 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** A key just created: the only time its secret is shown. */
export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<Scalars['String']['output']>;
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** The public part of the secret (`rk_<prefix>_…`), to recognise a key in logs. */
  prefix: Scalars['String']['output'];
  /** Requests a minute this key may make; `null` = the server default. */
  rateLimitPerMinute?: Maybe<Scalars['Int']['output']>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<Scalars['String']['output']>;
  /** Send as `Authorization: Bearer <secret>`. Stored only as a hash: keep it now. */
  secret: Scalars['String']['output'];
};

/** One model's prediction for one customer. */
export type CustomerPrediction = {
  __typename?: 'CustomerPrediction';
  expectedPurchases: Scalars['Float']['output'];
  expectedRevenue?: Maybe<Scalars['Float']['output']>;
  model: Scalars['String']['output'];
  pAlive: Scalars['Float']['output'];
};

/** A deal: a sale in flight on an account. */
export type Deal = {
  __typename?: 'Deal';
  accountId: Scalars['ID']['output'];
  /** Minor units (cents) of `currency`. */
  amount: Scalars['Long']['output'];
  /** When it was won or lost. */
  closedAt?: Maybe<Scalars['DateTime']['output']>;
  contactId?: Maybe<Scalars['ID']['output']>;
  createdAt: Scalars['DateTime']['output'];
  currency: Scalars['String']['output'];
  expectedCloseOn?: Maybe<Scalars['Date']['output']>;
  /** Every stage the deal went through (from, to, who, when), oldest first. */
  history: Array<StageChange>;
  id: Scalars['ID']['output'];
  /** Why it was lost (lost deals only). */
  lostReason?: Maybe<Scalars['String']['output']>;
  ownerId?: Maybe<Scalars['ID']['output']>;
  pipelineId: Scalars['ID']['output'];
  /** Where the deal came from (e.g. `referral`, `inbound`); per-source win rates use it. */
  source?: Maybe<Scalars['String']['output']>;
  /** When it entered its current stage. */
  stageEnteredAt: Scalars['DateTime']['output'];
  stageId: Scalars['ID']['output'];
  /** `open`, `won` or `lost`: the kind of its stage. */
  status: Scalars['String']['output'];
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};

export type DealConnection = {
  __typename?: 'DealConnection';
  /** A list of edges. */
  edges: Array<DealEdge>;
  /** A list of nodes. */
  nodes: Array<Deal>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type DealEdge = {
  __typename?: 'DealEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Deal;
};

/** Narrows a deal list; every field is optional (same as the REST query parameters). */
export type DealFilterInput = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  expectedCloseFrom?: InputMaybe<Scalars['Date']['input']>;
  expectedCloseTo?: InputMaybe<Scalars['Date']['input']>;
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  pipelineId?: InputMaybe<Scalars['ID']['input']>;
  stageId?: InputMaybe<Scalars['ID']['input']>;
  /** `open`, `won` or `lost`. */
  status?: InputMaybe<Scalars['String']['input']>;
};

/** A deal as a client writes it: the create body, and the shape a PATCH merges into. */
export type DealInput = {
  /** Required on create: a live account. Fixed afterwards. */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** Required: minor units, 0 or more. */
  amount?: InputMaybe<Scalars['Long']['input']>;
  /** A live contact of that account. */
  contactId?: InputMaybe<Scalars['ID']['input']>;
  /** Required: ISO 4217. */
  currency?: InputMaybe<Scalars['String']['input']>;
  expectedCloseOn?: InputMaybe<Scalars['Date']['input']>;
  /**
   * On create only: when the deal entered its first stage (default: now; for imports of
   * history; not in the future).
   */
  openedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** A user of the workspace (default on create: the calling user). */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Required on create: an active pipeline. Fixed afterwards. */
  pipelineId?: InputMaybe<Scalars['ID']['input']>;
  /** 1 to 100 characters. */
  source?: InputMaybe<Scalars['String']['input']>;
  /**
   * On create only: an open stage of the pipeline (default: its first). Afterwards use
   * `POST /v1/deals/{id}/move`.
   */
  stageId?: InputMaybe<Scalars['ID']['input']>;
  /** Required: 1 to 200 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
};

export type Distribution = {
  __typename?: 'Distribution';
  concentration: Array<Concentration>;
  customers: Scalars['Int']['output'];
  histogram: Array<Bin>;
  percentiles: Array<Percentile>;
  total: Scalars['Long']['output'];
};

/**
 * The points rate: `numerator / denominator` points per minor unit of eligible spend
 * (1 point per EUR = `1/100`).
 */
export type EarnRateInput = {
  denominator: Scalars['Int']['input'];
  numerator: Scalars['Int']['input'];
};

/**
 * The points rate: `numerator / denominator` points per minor unit of eligible spend
 * (1 point per EUR = `1/100`).
 */
export type EarnRateSpec = {
  __typename?: 'EarnRateSpec';
  denominator: Scalars['Int']['output'];
  numerator: Scalars['Int']['output'];
};

/** One thing that happened in a workspace. */
export type Event = {
  __typename?: 'Event';
  /** The resource after the change; for updates also `changed_fields`. */
  data: Scalars['JSON']['output'];
  /** Unique per event: receivers de-duplicate deliveries by it. */
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  /** 1, 2, 3, … per workspace, in commit order with no gaps: the feed's order. */
  sequence: Scalars['Long']['output'];
  /** `order.created`, `deal.won`, `loyalty.points_earned`, … */
  type: Scalars['String']['output'];
  workspaceId: Scalars['ID']['output'];
};

export type EventConnection = {
  __typename?: 'EventConnection';
  /** A list of edges. */
  edges: Array<EventEdge>;
  /** A list of nodes. */
  nodes: Array<Event>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type EventEdge = {
  __typename?: 'EventEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Event;
};

/** One exchange rate of the workspace's value settings. */
export type ExchangeRate = {
  __typename?: 'ExchangeRate';
  /** ISO 4217 code of the other currency, e.g. `EUR`. */
  currency: Scalars['String']['output'];
  /**
   * Units of the reporting currency one unit of `currency` is worth, as a decimal
   * string (exact), e.g. `"1.08"`.
   */
  rate: Scalars['String']['output'];
};

export type ExpectedChurn = {
  __typename?: 'ExpectedChurn';
  /** Buyers with a stored prediction. */
  customers: Scalars['Int']['output'];
  /** `expected_customers_lost / customers` (0 without customers). */
  expectedChurnRate: Scalars['Float']['output'];
  /** Sum of their churn probabilities (1 - P(alive)). */
  expectedCustomersLost: Scalars['Float']['output'];
  modelAsOf: Scalars['DateTime']['output'];
  /** The model version the stored predictions come from. */
  modelVersion: Scalars['Int']['output'];
};

export type Exposure = {
  __typename?: 'Exposure';
  occurredAt: Scalars['DateTime']['output'];
  outcome: Scalars['String']['output'];
};

export type ExposureBatchResult = {
  __typename?: 'ExposureBatchResult';
  duplicates: Scalars['Int']['output'];
  recorded: Scalars['Int']['output'];
  results: Array<ExposureItemResult>;
};

export type ExposureInput = {
  /** A treated member of the campaign. */
  accountId: Scalars['String']['input'];
  /** When it happened (default: now; not in the future). */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** `sent`, `delivered`, `opened`, `clicked`, `bounced` or `unsubscribed`. */
  outcome: Scalars['String']['input'];
};

export type ExposureItemResult = {
  __typename?: 'ExposureItemResult';
  accountId: Scalars['String']['output'];
  /** Position in the batch. */
  index: Scalars['Int']['output'];
  outcome: Scalars['String']['output'];
  /** `recorded`, or `duplicate` (this outcome was reported for this member before). */
  status: Scalars['String']['output'];
};

/** A model that could not be fitted, and why. */
export type FitIssue = {
  __typename?: 'FitIssue';
  /** Stable: e.g. `no_repeat_purchases`, `empty_data`, `no_customers`. */
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** `bgnbd`, `gamma_gamma`, `rfm` or `purchase_model` (in a backtest: the model's name). */
  model: Scalars['String']['output'];
};

export type FitModelInput = {
  /** End of the observation window (default now); not before the newest order. */
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};

export type Forecast = {
  __typename?: 'Forecast';
  byMonth: Array<ForecastBucket>;
  byOwner: Array<ForecastBucket>;
  /** Per currency: every open deal of the pipeline. */
  total: Array<ForecastBucket>;
};

/** Open pipeline value in one currency, for one month or owner (or in total). */
export type ForecastBucket = {
  __typename?: 'ForecastBucket';
  /** Sum of the open deals' amounts, minor units. */
  amount: Scalars['Long']['output'];
  currency: Scalars['String']['output'];
  deals: Scalars['Int']['output'];
  /** `YYYY-MM` of the expected close (by-month buckets; `null`: no expected close date). */
  month?: Maybe<Scalars['String']['output']>;
  /** The deals' owner (by-owner buckets; `null`: no owner). */
  ownerId?: Maybe<Scalars['ID']['output']>;
  /** Sum of amount x stage probability / 100, rounded once per bucket. */
  weightedAmount: Scalars['Long']['output'];
};

export type Funnel = {
  __typename?: 'Funnel';
  bySource: Array<SourceWinRate>;
  /** Deals lost in the period. */
  lost: Scalars['Int']['output'];
  stages: Array<FunnelStage>;
  /** won / (won + lost); `null` when none closed. */
  winRate?: Maybe<Scalars['Float']['output']>;
  /** Deals won in the period (by their current `closed_at`). */
  won: Scalars['Int']['output'];
  /** Per currency. */
  wonAmounts: Array<WonAmount>;
};

/** One stage of the funnel over the period. */
export type FunnelStage = {
  __typename?: 'FunnelStage';
  archived: Scalars['Boolean']['output'];
  /** How many ended stays the median is over. */
  completedStays: Scalars['Int']['output'];
  /**
   * Share of the deals that reached this step that reached the next one (`null` on the
   * last step, lost stages, or when none reached this one).
   */
  conversionToNext?: Maybe<Scalars['Float']['output']>;
  /** Entries into the stage in the period (a deal that re-enters counts again). */
  entries: Scalars['Int']['output'];
  kind: Scalars['String']['output'];
  /**
   * Median time in the stage, in days at one-hour resolution, of the stays that began in
   * the period and have ended.
   */
  medianDaysInStage?: Maybe<Scalars['Float']['output']>;
  name: Scalars['String']['output'];
  position: Scalars['Int']['output'];
  /**
   * Deals that got at least this far in the period (entered this stage or a later non-lost
   * one); `null` for lost stages, which are not a step of the funnel.
   */
  reached?: Maybe<Scalars['Int']['output']>;
  stageId: Scalars['ID']['output'];
};

/**
 * The spend model: Gamma-Gamma parameters (spend in minor units of the reporting
 * currency), from maximum likelihood or from the fallback the fit had to take.
 */
export type GammaGammaFit = {
  __typename?: 'GammaGammaFit';
  converged: Scalars['Boolean']['output'];
  /** Customers with repeat purchases (the only ones the model reads). */
  customers: Scalars['Int']['output'];
  iterations: Scalars['Int']['output'];
  logLikelihood: Scalars['Float']['output'];
  /** Population mean order value `p v / (q - 1)`, minor units. */
  meanOrderValue: Scalars['Float']['output'];
  p: Scalars['Float']['output'];
  /** Always above 1 (the population mean spend `p v / (q - 1)` exists). */
  q: Scalars['Float']['output'];
  /** Ridge of the penalized refit (`fallback_penalized`). */
  ridge?: Maybe<Scalars['Float']['output']>;
  /**
   * `gamma_gamma` (maximum likelihood on the data as they are), `fallback_winsorized`
   * (on spend capped at `winsorized_at`), `fallback_penalized` (with a `ridge` on the
   * log-parameters: the plain fit diverged) or `fallback_shrinkage` (each customer's
   * mean spend shrunk towards the population mean, written as `p = 1`,
   * `q = 1 + prior weight`, `v = mean x prior weight`). `issues` say why.
   */
  spendModel: Scalars['String']['output'];
  v: Scalars['Float']['output'];
  /** The cap mean repeat spends were winsorized at for the fit (minor units), if any. */
  winsorizedAt?: Maybe<Scalars['Float']['output']>;
  /** How many customers' mean repeat spend was capped. */
  winsorizedCustomers?: Maybe<Scalars['Int']['output']>;
};

/** The global control group's settings. */
export type GlobalControl = {
  __typename?: 'GlobalControl';
  /** Changes at each re-draw: the group is drawn anew. */
  epoch: Scalars['Int']['output'];
  /** Re-drawn automatically after this many days (checked at each launch); null: by hand. */
  redrawEveryDays?: Maybe<Scalars['Int']['output']>;
  redrawnAt?: Maybe<Scalars['DateTime']['output']>;
  /** Share of all customers held out, 0 (off, the default) to 0.5. */
  share: Scalars['Float']['output'];
  version: Scalars['Int']['output'];
};

/** New settings (replaces them; the epoch is kept). */
export type GlobalControlInput = {
  /** 1 to 3,650 days, or null. */
  redrawEveryDays?: InputMaybe<Scalars['Int']['input']>;
  /** 0 to 0.5. */
  share: Scalars['Float']['input'];
};

/** One event on an account's timeline. */
export type Interaction = {
  __typename?: 'Interaction';
  accountId: Scalars['ID']['output'];
  authorId?: Maybe<Scalars['ID']['output']>;
  /** Who logged it: `user` or `api_key`. */
  authorType: Scalars['String']['output'];
  body?: Maybe<Scalars['String']['output']>;
  /** `web`, `app`, `store`, `phone`, `email`, `social` or `chat`. */
  channel?: Maybe<Scalars['String']['output']>;
  /** The contact it was with, if any. */
  contactId?: Maybe<Scalars['ID']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** `inbound` or `outbound`. */
  direction?: Maybe<Scalars['String']['output']>;
  /** Tasks only: whether it is done (`null` for other types). */
  done?: Maybe<Scalars['Boolean']['output']>;
  /** Tasks only: when it was marked done. */
  doneAt?: Maybe<Scalars['DateTime']['output']>;
  /** Tasks only: when it is due. */
  dueAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  subject?: Maybe<Scalars['String']['output']>;
  /** `note`, `call`, `email`, `meeting`, `task`, `ticket` or `feedback`. */
  type: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Bumped by every change; send it back in `If-Match` to update safely. */
  version: Scalars['Int']['output'];
};

export type InteractionConnection = {
  __typename?: 'InteractionConnection';
  /** A list of edges. */
  edges: Array<InteractionEdge>;
  /** A list of nodes. */
  nodes: Array<Interaction>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type InteractionEdge = {
  __typename?: 'InteractionEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Interaction;
};

/** What a client writes: the body of a create, and the shape a PATCH merges into. */
export type InteractionInput = {
  /** At most 20,000 characters; line breaks are kept. */
  body?: InputMaybe<Scalars['String']['input']>;
  /** `web`, `app`, `store`, `phone`, `email`, `social` or `chat`. */
  channel?: InputMaybe<Scalars['String']['input']>;
  /** A live contact of the same account. */
  contactId?: InputMaybe<Scalars['ID']['input']>;
  /** `inbound` or `outbound`. */
  direction?: InputMaybe<Scalars['String']['input']>;
  /** Tasks only: `true` once done. */
  done?: InputMaybe<Scalars['Boolean']['input']>;
  /** Tasks only: when it is due (may be in the future). */
  dueAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** When it happened (default: now); at most 5 minutes in the future. */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** At most 200 characters. */
  subject?: InputMaybe<Scalars['String']['input']>;
  /** Required: `note`, `call`, `email`, `meeting`, `task`, `ticket` or `feedback`. */
  type?: InputMaybe<Scalars['String']['input']>;
};

/** One immutable ledger entry. */
export type LedgerEntry = {
  __typename?: 'LedgerEntry';
  accountId: Scalars['ID']['output'];
  actorId?: Maybe<Scalars['ID']['output']>;
  actorType: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Unique per workspace: the same operation is never recorded twice. */
  idempotencyKey: Scalars['String']['output'];
  /**
   * `earn`, `redeem`, `expire`, `adjust`, `reverse` or `return` (a cancelled redemption's
   * points).
   */
  kind: Scalars['String']['output'];
  lotId?: Maybe<Scalars['ID']['output']>;
  occurredAt: Scalars['DateTime']['output'];
  /** Signed: credits positive, debits negative. */
  points: Scalars['Long']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  sourceId?: Maybe<Scalars['ID']['output']>;
  /** `order`, `refund`, `redemption`, `admin` or `job`. */
  sourceType: Scalars['String']['output'];
};

export type LedgerEntryConnection = {
  __typename?: 'LedgerEntryConnection';
  /** A list of edges. */
  edges: Array<LedgerEntryEdge>;
  /** A list of nodes. */
  nodes: Array<LedgerEntry>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type LedgerEntryEdge = {
  __typename?: 'LedgerEntryEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: LedgerEntry;
};

export type LifecycleChange = {
  __typename?: 'LifecycleChange';
  actorId?: Maybe<Scalars['ID']['output']>;
  actorType: Scalars['String']['output'];
  changedAt: Scalars['DateTime']['output'];
  fromStage?: Maybe<Scalars['String']['output']>;
  toStage: Scalars['String']['output'];
};

/** One line of an order. */
export type LineItem = {
  __typename?: 'LineItem';
  category?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  /** At least 1. */
  quantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
  /** Minor units of the order's currency. */
  unitPrice: Scalars['Long']['output'];
};

/** One line of an order. */
export type LineItemInput = {
  category?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** At least 1. */
  quantity: Scalars['Int']['input'];
  sku: Scalars['String']['input'];
  /** Minor units of the order's currency. */
  unitPrice: Scalars['Long']['input'];
};

/** A member's points now. */
export type LoyaltyBalance = {
  __typename?: 'LoyaltyBalance';
  accountId: Scalars['ID']['output'];
  /**
   * What can be redeemed now: spendable points minus debt. Negative while a refund's
   * already-spent points are owed.
   */
  available: Scalars['Long']['output'];
  /** Refunded points that had already been spent, paid off by the next credits. */
  debt: Scalars['Long']['output'];
  /** Points (spendable or pending) that expire within 30 days. */
  expiringIn30Days: Scalars['Long']['output'];
  /**
   * The sum of the ledger: spendable + pending − debt (+ points past expiry not yet
   * taken out by the expiry job).
   */
  ledgerBalance: Scalars['Long']['output'];
  /** Points earned on orders, net of reversals. */
  lifetimeEarned: Scalars['Long']['output'];
  /** Null at the top tier. */
  nextTier?: Maybe<TierProgress>;
  /** Earned but still in the return window. */
  pending: Scalars['Long']['output'];
  /** Spend (minor units) or points earned in the qualification window. */
  qualifyingAmount: Scalars['Long']['output'];
  tier?: Maybe<MemberTier>;
};

/** The workspace's loyalty programme. */
export type LoyaltyProgram = {
  __typename?: 'LoyaltyProgram';
  /** An inactive programme earns nothing; balances stay and can still be redeemed. */
  active: Scalars['Boolean']['output'];
  /** Whether the tier job moves members down when they no longer qualify. */
  allowDowngrade: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Orders in this currency earn points. */
  currency: Scalars['String']['output'];
  earnRate: EarnRateSpec;
  /** Points expire this many months after they were earned; null: never. */
  expiryMonths?: Maybe<Scalars['Int']['output']>;
  /** Days earned points stay pending (the return window) before they can be spent. */
  pendingDays: Scalars['Int']['output'];
  /** `spend` (minor units, net of refunds) or `points_earned`. */
  qualification: Scalars['String']['output'];
  qualificationWindowDays: Scalars['Int']['output'];
  /** `down`, `nearest` (halves up) or `up`. */
  rounding: Scalars['String']['output'];
  tiers: Array<TierSpec>;
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};

export type MarketingConsent = {
  __typename?: 'MarketingConsent';
  email?: Maybe<ConsentState>;
  push?: Maybe<ConsentState>;
  sms?: Maybe<ConsentState>;
};

export type MarketingSpend = {
  __typename?: 'MarketingSpend';
  /** Minor units of the reporting currency. */
  amount: Scalars['Long']['output'];
  channel: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** The reporting currency. */
  currency: Scalars['String']['output'];
  month: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};

/** One channel's spend in one month (see `POST /v1/marketing-spend`). */
export type MarketingSpendInput = {
  /** Minor units. */
  amount: Scalars['Long']['input'];
  channel: Scalars['String']['input'];
  currency: Scalars['String']['input'];
  /** `YYYY-MM`. */
  month: Scalars['String']['input'];
};

/** A tier as a member sees it. */
export type MemberTier = {
  __typename?: 'MemberTier';
  benefits: Scalars['String']['output'];
  multiplierPermille: Scalars['Int']['output'];
  name: Scalars['String']['output'];
};

/**
 * How `auto` chose the purchase model.
 *
 * Rule `holdout_mae`: every model is fitted on the purchases before a cutoff (the holdout
 * is the last third of the span from the first purchase to the end of the window, 14 to
 * 365 days), predicts each of those customers' purchases over the holdout, and the model
 * with the lowest mean absolute error per customer wins (ties: bg-nbd, mbg-nbd,
 * pareto-nbd). Rule `log_likelihood` when no holdout could be scored (a span under 42
 * days, or no model fitted before the cutoff): the highest log-likelihood on all the data
 * (a fair comparison, each model having four parameters). The winner is then fitted on
 * all the data.
 */
export type ModelSelection = {
  __typename?: 'ModelSelection';
  candidates: Array<CandidateScore>;
  cutoff?: Maybe<Scalars['DateTime']['output']>;
  /** Customers who had bought before the cutoff (those scored). */
  holdoutCustomers?: Maybe<Scalars['Int']['output']>;
  holdoutDays?: Maybe<Scalars['Int']['output']>;
  /** `holdout_mae` or `log_likelihood`. */
  rule: Scalars['String']['output'];
};

export type Money = {
  __typename?: 'Money';
  /** Minor units (cents). */
  amount: Scalars['Long']['output'];
  /** ISO 4217, e.g. `EUR`. */
  currency: Scalars['String']['output'];
};

export type MoneyInput = {
  /** Minor units (cents). */
  amount: Scalars['Long']['input'];
  /** ISO 4217, e.g. `EUR`. */
  currency: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** An admin's manual correction with a required reason. */
  adjustPoints: LedgerEntry;
  /** Archive a pipeline. Returns true. */
  archivePipeline: Scalars['Boolean']['output'];
  /** Backtest the purchase models at a cutoff (see REST `POST /v1/models/churn/backtest`). */
  backtestChurnModel: Backtest;
  /** Cancel a redemption: its points and the reward's stock come back, once. */
  cancelRedemption: Redemption;
  /** Create an account. With `idempotencyKey`, a retry returns the same account. */
  createAccount: Account;
  /** Create an API key; the result carries the secret, shown only this once. */
  createApiKey: CreatedApiKey;
  /** Create a draft campaign. */
  createCampaign: Campaign;
  /** Add a person to an organization account. */
  createContact: Contact;
  /** Open a deal. */
  createDeal: Deal;
  /** Add a note, call, e-mail, meeting, task, ticket or feedback to an account's timeline. */
  createInteraction: Interaction;
  /** Record a purchase (see REST `POST /v1/orders`). */
  createOrder: Order;
  /** Record up to 1,000 purchases, all or nothing (see REST `POST /v1/orders/batch`). */
  createOrders: BatchResult;
  /** Create a pipeline with its stages in order. */
  createPipeline: Pipeline;
  /** Add a reward to the catalog (admin). */
  createReward: Reward;
  /** Create a segment from a rule (a bad rule names its path: `rule.all[2].value`). */
  createSegment: Segment;
  /** Add a user (admin). */
  createUser: User;
  /** Subscribe a URL to event types; the result carries the secret, shown only this once. */
  createWebhook: WebhookWithSecret;
  /** Delete an account (soft). Returns true. */
  deleteAccount: Scalars['Boolean']['output'];
  /** Delete a campaign (soft). Returns true. */
  deleteCampaign: Scalars['Boolean']['output'];
  deleteContact: Scalars['Boolean']['output'];
  /** Delete a deal (soft). Returns true. */
  deleteDeal: Scalars['Boolean']['output'];
  deleteInteraction: Scalars['Boolean']['output'];
  /** Remove a reward from the catalog (admin). Returns true. */
  deleteReward: Scalars['Boolean']['output'];
  /** Delete a segment (soft). Returns true. */
  deleteSegment: Scalars['Boolean']['output'];
  /** Delete a subscription and its delivery log; answers its id. */
  deleteWebhook: Scalars['ID']['output'];
  /** Refit BG/NBD, Gamma-Gamma and the RFM breakpoints (admins). */
  fitChurnModel: ChurnModel;
  /** Hand over a reward redemption; repeating it changes nothing. */
  fulfilRedemption: Redemption;
  /** Launch: snapshot the audience and split it into treatment and control (once). */
  launchCampaign: Campaign;
  /** Move a deal to another stage of its pipeline (`lostReason` for a lost stage). */
  moveDeal: Deal;
  /** Send a `ping` event to the subscription now. */
  pingWebhook: WebhookDelivery;
  /** Report contact outcomes of treated members (up to 1,000; all or nothing). */
  recordCampaignExposures: ExposureBatchResult;
  /**
   * Spend points (or a reward's cost); never below zero. With `idempotencyKey`, a retry
   * is applied once.
   */
  redeemPoints: Redemption;
  /** Send the event of a logged attempt again, now. */
  redeliverWebhookDelivery: WebhookDelivery;
  /** Draw the global control group anew. */
  redrawGlobalControl: GlobalControl;
  /** Refund an order, fully (no `amount`) or partly. */
  refundOrder: Order;
  /** Reopen a won or lost deal into an open stage. */
  reopenDeal: Deal;
  /** Revoke an API key at once. */
  revokeApiKey: ApiKey;
  /** A new signing secret (shown only this once); the old one signs too for the overlap. */
  rotateWebhookSecret: WebhookWithSecret;
  /** Set the global control group's share and re-draw schedule. */
  setGlobalControl: GlobalControl;
  /** Create or replace the loyalty programme (admin). */
  setLoyaltyProgram: LoyaltyProgram;
  /**
   * Change an account with a JSON merge patch (`null` clears a field). With `ifVersion`,
   * only if the account is still at that version.
   */
  updateAccount: Account;
  /** Change a campaign with a JSON merge patch. */
  updateCampaign: Campaign;
  /** Change a contact with a JSON merge patch. */
  updateContact: Contact;
  /** Change a deal's details with a JSON merge patch (not its stage: use `moveDeal`). */
  updateDeal: Deal;
  /** Change an interaction with a JSON merge patch (e.g. `{"done": true}` for a task). */
  updateInteraction: Interaction;
  /**
   * Change a pipeline with a JSON merge patch (`stages` replaces the list: order, kept
   * ids, new stages, and active stages left out are archived).
   */
  updatePipeline: Pipeline;
  /** Change a reward with a JSON merge patch (admin). */
  updateReward: Reward;
  /** Change a segment with a JSON merge patch (`rule` is replaced whole). */
  updateSegment: Segment;
  /** Change a user: name/password (self or admin), role/disabled (admin). */
  updateUser: User;
  /** Change a subscription's URL, event types, description or enabled state. */
  updateWebhook: Webhook;
  /** Record a channel's marketing spend for a month (admins): creates or replaces it. */
  upsertMarketingSpend: MarketingSpend;
};


export type MutationAdjustPointsArgs = {
  accountId: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: AdjustInput;
};


export type MutationArchivePipelineArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationBacktestChurnModelArgs = {
  input: BacktestInput;
};


export type MutationCancelRedemptionArgs = {
  accountId: Scalars['ID']['input'];
  input?: InputMaybe<CancelRedemptionInput>;
  redemptionId: Scalars['ID']['input'];
};


export type MutationCreateAccountArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: AccountInput;
};


export type MutationCreateApiKeyArgs = {
  input: NewApiKey;
};


export type MutationCreateCampaignArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: CampaignInput;
};


export type MutationCreateContactArgs = {
  accountId: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: ContactInput;
};


export type MutationCreateDealArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: DealInput;
};


export type MutationCreateInteractionArgs = {
  accountId: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: InteractionInput;
};


export type MutationCreateOrderArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: OrderInput;
};


export type MutationCreateOrdersArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: OrderBatch;
};


export type MutationCreatePipelineArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: PipelineInput;
};


export type MutationCreateRewardArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: RewardInput;
};


export type MutationCreateSegmentArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: SegmentInput;
};


export type MutationCreateUserArgs = {
  input: NewUser;
};


export type MutationCreateWebhookArgs = {
  input: NewWebhook;
};


export type MutationDeleteAccountArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteCampaignArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteContactArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteDealArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteInteractionArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteRewardArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteSegmentArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationFitChurnModelArgs = {
  input?: InputMaybe<FitModelInput>;
};


export type MutationFulfilRedemptionArgs = {
  accountId: Scalars['ID']['input'];
  redemptionId: Scalars['ID']['input'];
};


export type MutationLaunchCampaignArgs = {
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};


export type MutationMoveDealArgs = {
  at?: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  lostReason?: InputMaybe<Scalars['String']['input']>;
  stageId: Scalars['ID']['input'];
};


export type MutationPingWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRecordCampaignExposuresArgs = {
  exposures: Array<ExposureInput>;
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRedeemPointsArgs = {
  accountId: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: RedeemInput;
};


export type MutationRedeliverWebhookDeliveryArgs = {
  deliveryId: Scalars['ID']['input'];
  webhookId: Scalars['ID']['input'];
};


export type MutationRefundOrderArgs = {
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input?: InputMaybe<RefundInput>;
};


export type MutationReopenDealArgs = {
  at?: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  stageId: Scalars['ID']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetGlobalControlArgs = {
  input: GlobalControlInput;
};


export type MutationSetLoyaltyProgramArgs = {
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  input: ProgramInput;
};


export type MutationUpdateAccountArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
};


export type MutationUpdateCampaignArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
};


export type MutationUpdateContactArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
};


export type MutationUpdateDealArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
};


export type MutationUpdateInteractionArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
};


export type MutationUpdatePipelineArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
};


export type MutationUpdateRewardArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
};


export type MutationUpdateSegmentArgs = {
  id: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
};


export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input'];
  input: UserPatch;
};


export type MutationUpdateWebhookArgs = {
  id: Scalars['ID']['input'];
  input: WebhookPatch;
};


export type MutationUpsertMarketingSpendArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: MarketingSpendInput;
};

export type NewApiKey = {
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name: Scalars['String']['input'];
  /** 1 to 100000; omit for the server default. */
  rateLimitPerMinute?: InputMaybe<Scalars['Int']['input']>;
  /** e.g. `["accounts:read", "orders:write"]`; `admin` for everything. */
  scopes: Array<Scalars['String']['input']>;
};

export type NewUser = {
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  /** 10 to 256 characters. */
  password: Scalars['String']['input'];
  role: Scalars['String']['input'];
};

export type NewWebhook = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** Default `true`. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Exact types, categories (`order.*`) or `*`; at least one. */
  eventTypes: Array<Scalars['String']['input']>;
  /** `https://…` on a public address. */
  url: Scalars['String']['input'];
};

/** A purchase. */
export type Order = {
  __typename?: 'Order';
  accountId: Scalars['ID']['output'];
  /** Minor units of `currency`. */
  amount: Scalars['Long']['output'];
  /** `web`, `app`, `store`, `phone`, `email`, `social` or `chat`. */
  channel?: Maybe<Scalars['String']['output']>;
  /** What the order cost you, minor units of `currency` (margin = amount - cost). */
  cost?: Maybe<Scalars['Long']['output']>;
  createdAt: Scalars['DateTime']['output'];
  currency: Scalars['String']['output'];
  /** Your key for the order, unique in the workspace. */
  externalId?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  items: Array<LineItem>;
  occurredAt: Scalars['DateTime']['output'];
  /** Refunded so far, minor units of `currency`. */
  refundedAmount: Scalars['Long']['output'];
  /** `amount` in the workspace's reporting currency, converted when ingested. */
  reportingAmount: Scalars['Long']['output'];
  /** `api` or `deal` (a won deal). */
  source: Scalars['String']['output'];
  /** `completed`, `partially_refunded` or `refunded`. */
  status: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};

export type OrderBatch = {
  /** 1 to 1,000 orders, applied together or not at all. */
  orders: Array<OrderInput>;
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  /** A list of edges. */
  edges: Array<OrderEdge>;
  /** A list of nodes. */
  nodes: Array<Order>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Order;
};

/** A new order. */
export type OrderInput = {
  /** The account's `external_id` (or give `account_id`). */
  accountExternalId?: InputMaybe<Scalars['String']['input']>;
  /** The account's id (or give `account_external_id`). */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** Required: minor units of `currency`, at least 0. */
  amount?: InputMaybe<Scalars['Long']['input']>;
  /** `web`, `app`, `store`, `phone`, `email`, `social` or `chat`. */
  channel?: InputMaybe<Scalars['String']['input']>;
  /** What the order cost you, minor units of `currency`, at least 0. */
  cost?: InputMaybe<Scalars['Long']['input']>;
  /**
   * Required: ISO 4217 code. Other than the reporting currency needs an exchange rate
   * in the workspace's value settings.
   */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Your key for the order, unique in the workspace (recommended: makes retries safe). */
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** Up to 500 lines. */
  items?: InputMaybe<Array<LineItemInput>>;
  /** Default now; at most 5 minutes in the future. */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Information about pagination in a connection */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** When paginating forwards, the cursor to continue. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** When paginating forwards, are there more items? */
  hasNextPage: Scalars['Boolean']['output'];
  /** When paginating backwards, are there more items? */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** When paginating backwards, the cursor to continue. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Percentile = {
  __typename?: 'Percentile';
  percentile: Scalars['Int']['output'];
  value: Scalars['Long']['output'];
};

/** A sales pipeline: its active stages in order, and the archived ones kept for history. */
export type Pipeline = {
  __typename?: 'Pipeline';
  archived: Scalars['Boolean']['output'];
  /** Stages taken out of the pipeline; deals' history still points at them. */
  archivedStages: Array<Stage>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Active stages in pipeline order. */
  stages: Array<Stage>;
  updatedAt: Scalars['DateTime']['output'];
  /** Bumped by every change (stages included); send it back in `If-Match`. */
  version: Scalars['Int']['output'];
};

/** `GET /v1/analytics/pipeline`. */
export type PipelineAnalytics = {
  __typename?: 'PipelineAnalytics';
  /** Open deals now, whatever the period. */
  forecast: Forecast;
  from: Scalars['DateTime']['output'];
  funnel: Funnel;
  pipelineId: Scalars['ID']['output'];
  to: Scalars['DateTime']['output'];
};

export type PipelineConnection = {
  __typename?: 'PipelineConnection';
  /** A list of edges. */
  edges: Array<PipelineEdge>;
  /** A list of nodes. */
  nodes: Array<Pipeline>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type PipelineEdge = {
  __typename?: 'PipelineEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Pipeline;
};

/** A pipeline's writable form: the create body, and what a PATCH merges into. */
export type PipelineInput = {
  name?: InputMaybe<Scalars['String']['input']>;
  /** The stages in order: at least one open stage, at most 50. */
  stages?: InputMaybe<Array<StageInput>>;
};

/** The programme as a client writes it (`PUT` replaces it whole). */
export type ProgramInput = {
  /** Default true. */
  active?: InputMaybe<Scalars['Boolean']['input']>;
  /** Default true. */
  allowDowngrade?: InputMaybe<Scalars['Boolean']['input']>;
  currency: Scalars['String']['input'];
  earnRate: EarnRateInput;
  /** Absent or null: points never expire. */
  expiryMonths?: InputMaybe<Scalars['Int']['input']>;
  /** Default 0. */
  pendingDays?: InputMaybe<Scalars['Int']['input']>;
  /** `spend` (default) or `points_earned`. */
  qualification?: InputMaybe<Scalars['String']['input']>;
  /** Default 365. */
  qualificationWindowDays?: InputMaybe<Scalars['Int']['input']>;
  /** `down` (default), `nearest` or `up`. */
  rounding?: InputMaybe<Scalars['String']['input']>;
  tiers: Array<TierInput>;
};

/** The purchase model predictions (P(alive), expected orders, CLV) use. */
export type PurchaseModelFit = {
  __typename?: 'PurchaseModelFit';
  converged: Scalars['Boolean']['output'];
  customers: Scalars['Int']['output'];
  iterations: Scalars['Int']['output'];
  logLikelihood: Scalars['Float']['output'];
  /** The model used: `bg-nbd`, `mbg-nbd` or `pareto-nbd`. */
  model: Scalars['String']['output'];
  parameters: PurchaseParameters;
  /** How `auto` chose (absent otherwise). */
  selection?: Maybe<ModelSelection>;
  /**
   * The workspace's `purchase_model` setting when fitted: `bg-nbd`, `mbg-nbd`,
   * `pareto-nbd` or `auto`.
   */
  setting: Scalars['String']['output'];
};

/**
 * Parameters of a purchase model, rates per day: `r`, `alpha` for all three; `a`, `b`
 * (Beta of the drop-out probability) for `bg-nbd` and `mbg-nbd`; `s`, `beta` (Gamma of
 * the drop-out rate) for `pareto-nbd`.
 */
export type PurchaseParameters = {
  __typename?: 'PurchaseParameters';
  a?: Maybe<Scalars['Float']['output']>;
  alpha: Scalars['Float']['output'];
  b?: Maybe<Scalars['Float']['output']>;
  beta?: Maybe<Scalars['Float']['output']>;
  /** `bg-nbd`, `mbg-nbd` or `pareto-nbd`. */
  model: Scalars['String']['output'];
  r: Scalars['Float']['output'];
  s?: Maybe<Scalars['Float']['output']>;
};

/**
 * Parameters of a purchase model, rates per day: `r`, `alpha` for all three; `a`, `b`
 * (Beta of the drop-out probability) for `bg-nbd` and `mbg-nbd`; `s`, `beta` (Gamma of
 * the drop-out rate) for `pareto-nbd`.
 */
export type PurchaseParametersInput = {
  a?: InputMaybe<Scalars['Float']['input']>;
  alpha: Scalars['Float']['input'];
  b?: InputMaybe<Scalars['Float']['input']>;
  beta?: InputMaybe<Scalars['Float']['input']>;
  /** `bg-nbd`, `mbg-nbd` or `pareto-nbd`. */
  model: Scalars['String']['input'];
  r: Scalars['Float']['input'];
  s?: InputMaybe<Scalars['Float']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** One account, or null when there is none with this id in the workspace. */
  account?: Maybe<Account>;
  /**
   * Accounts, filtered and sorted (`id`, `name`, `created_at`, `updated_at`, `-` for
   * descending), in pages.
   */
  accounts: AccountConnection;
  /** Acquisition economics by channel (see `GET /v1/analytics/acquisition`). */
  acquisitionReport: AcquisitionReport;
  /** API keys, without secrets (admin). */
  apiKeys: ApiKeyConnection;
  /** Buyers ranked by value at risk. */
  atRiskAccounts: AtRiskAccountConnection;
  /** Every write, newest first (admin). */
  auditLog: AuditEntryConnection;
  /** One campaign, or null when there is none with this id in the workspace. */
  campaign?: Maybe<Campaign>;
  /** A launched campaign's members by account id, of one arm (`treatment`, `control`) or both. */
  campaignMembers: CampaignMemberConnection;
  /** A launched campaign's results (as `GET /v1/campaigns/{id}/results`). */
  campaignResults: CampaignResults;
  /** Campaigns by id, in pages. */
  campaigns: CampaignConnection;
  /** The current churn/CLV model, or null before the first fit. */
  churnModel?: Maybe<ChurnModel>;
  /**
   * Repeat purchases, growth accounting and churn per period (see
   * `GET /v1/analytics/churn`); `inactiveDays` defaults to 90.
   */
  churnReport: ChurnReport;
  /**
   * Retention cohorts (see `GET /v1/analytics/cohorts`): `period` `month` (default) or
   * `week`; `from`/`to` dates `YYYY-MM-DD` (UTC); `groupBy` `acquisition_channel`.
   */
  cohortReport: CohortReport;
  /** One contact, or null. */
  contact?: Maybe<Contact>;
  /** An account's contacts, in pages. */
  contacts: ContactConnection;
  /** One deal, or null. */
  deal?: Maybe<Deal>;
  /** Deals, oldest first, filtered. */
  deals: DealConnection;
  /** One event of the workspace. */
  event: Event;
  /**
   * The workspace's events, oldest first, after the cursor (an edge's cursor is the
   * event's `sequence`); `types` takes exact types and `family.*` (admins and
   * `events:read` keys).
   */
  events: EventConnection;
  /** The workspace's global control group. */
  globalControl: GlobalControl;
  /** One interaction, or null. */
  interaction?: Maybe<Interaction>;
  /**
   * A member's balance, tier and progress; null for an unknown account or without a
   * programme.
   */
  loyaltyBalance?: Maybe<LoyaltyBalance>;
  /** A member's ledger, newest first. */
  loyaltyLedger: LedgerEntryConnection;
  /** The workspace's loyalty programme, or null when there is none yet. */
  loyaltyProgram?: Maybe<LoyaltyProgram>;
  /** A member's redemptions, newest first. */
  loyaltyRedemptions: RedemptionConnection;
  /** One reward, or null. */
  loyaltyReward?: Maybe<Reward>;
  /** The rewards catalog. */
  loyaltyRewards: RewardConnection;
  /** Marketing spend rows by channel and month (`from`/`to`: `YYYY-MM`). */
  marketingSpend: Array<MarketingSpend>;
  /** The user behind the access token (null for an API key). */
  me?: Maybe<User>;
  /** One order, or null. */
  order?: Maybe<Order>;
  /** Orders, newest first, filtered, in pages. */
  orders: OrderConnection;
  /** One pipeline, or null. */
  pipeline?: Maybe<Pipeline>;
  /**
   * A pipeline's forecast (open deals now) and funnel over `[from, to)` (default: the
   * last 365 days).
   */
  pipelineAnalytics: PipelineAnalytics;
  /** The workspace's pipelines, in creation order. */
  pipelines: PipelineConnection;
  /** How many accounts an unsaved rule selects now, and the first of them by id. */
  previewSegment: SegmentPreview;
  /** A segment's accounts (`segment` as in `rfmSegments`, e.g. `champions`). */
  rfmSegmentMembers: SegmentMemberConnection;
  /** RFM segments: sizes, revenue and shares of all 11. */
  rfmSegments: RfmSegments;
  /** One segment, or null when there is none with this id in the workspace. */
  segment?: Maybe<Segment>;
  /** Segments by id, in pages. */
  segments: SegmentConnection;
  /** The version of the Rapport server answering. */
  serverVersion: Scalars['String']['output'];
  /** The workspace's users (admin). */
  users: UserConnection;
  /**
   * Percentiles, histogram and concentration of revenue and CLV (see
   * `GET /v1/analytics/value-distribution`).
   */
  valueDistribution: ValueDistribution;
  /** How the workspace measures value. */
  valueSettings: ValueSettings;
  /** One webhook subscription (admin). */
  webhook: Webhook;
  /** A subscription's delivery attempts, newest first (admin). */
  webhookDeliveries: WebhookDeliveryConnection;
  /** Webhook subscriptions, without secrets (admin). */
  webhooks: WebhookConnection;
  /** The caller's workspace. */
  workspace: Workspace;
};


export type QueryAccountArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AccountFilterInput>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAcquisitionReportArgs = {
  from?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
};


export type QueryApiKeysArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAtRiskAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  riskBand?: InputMaybe<Scalars['String']['input']>;
  segment?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAuditLogArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  resourceType?: InputMaybe<Scalars['String']['input']>;
};


export type QueryCampaignArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCampaignMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  arm?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


export type QueryCampaignResultsArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCampaignsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryChurnReportArgs = {
  from?: InputMaybe<Scalars['String']['input']>;
  inactiveDays?: InputMaybe<Scalars['Int']['input']>;
  period?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
};


export type QueryCohortReportArgs = {
  from?: InputMaybe<Scalars['String']['input']>;
  groupBy?: InputMaybe<Scalars['String']['input']>;
  period?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
};


export type QueryContactArgs = {
  id: Scalars['ID']['input'];
};


export type QueryContactsArgs = {
  accountId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryDealArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDealsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DealFilterInput>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryEventArgs = {
  id: Scalars['ID']['input'];
};


export type QueryEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type QueryInteractionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryLoyaltyBalanceArgs = {
  accountId: Scalars['ID']['input'];
};


export type QueryLoyaltyLedgerArgs = {
  accountId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryLoyaltyRedemptionsArgs = {
  accountId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryLoyaltyRewardArgs = {
  id: Scalars['ID']['input'];
};


export type QueryLoyaltyRewardsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMarketingSpendArgs = {
  from?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrdersArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  channel?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
};


export type QueryPipelineArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPipelineAnalyticsArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  pipelineId: Scalars['ID']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryPipelinesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeArchived?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryPreviewSegmentArgs = {
  rule: Scalars['JSON']['input'];
  sampleSize?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryRfmSegmentMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  segment: Scalars['String']['input'];
};


export type QuerySegmentArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySegmentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  webhookId: Scalars['ID']['input'];
};


export type QueryWebhooksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Spending points: either `points`, or a catalog reward by `reward_id` (its cost). */
export type RedeemInput = {
  /** Free text kept on the redemption (at most 500 characters). */
  note?: InputMaybe<Scalars['String']['input']>;
  points?: InputMaybe<Scalars['Long']['input']>;
  rewardId?: InputMaybe<Scalars['ID']['input']>;
};

/** A redemption and the balance it left. */
export type Redemption = {
  __typename?: 'Redemption';
  accountId: Scalars['ID']['output'];
  /** `available` right after this redemption (null in lists). */
  availableAfter?: Maybe<Scalars['Long']['output']>;
  cancelReason?: Maybe<Scalars['String']['output']>;
  /** When the redemption was cancelled, and why. */
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  entryId: Scalars['ID']['output'];
  /** When the reward was handed over. */
  fulfilledAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  note?: Maybe<Scalars['String']['output']>;
  points: Scalars['Long']['output'];
  rewardId?: Maybe<Scalars['ID']['output']>;
  /**
   * `completed` (points spent), `issued` (a reward to hand over), `fulfilled` (the
   * reward was handed over) or `cancelled` (points and stock given back).
   */
  status: Scalars['String']['output'];
};

export type RedemptionConnection = {
  __typename?: 'RedemptionConnection';
  /** A list of edges. */
  edges: Array<RedemptionEdge>;
  /** A list of nodes. */
  nodes: Array<Redemption>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type RedemptionEdge = {
  __typename?: 'RedemptionEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Redemption;
};

/** A refund: absent `amount` refunds whatever is left. */
export type RefundInput = {
  /** Minor units of the order's currency, more than 0 and at most what is left. */
  amount?: InputMaybe<Scalars['Long']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
};

export type RepeatPurchases = {
  __typename?: 'RepeatPurchases';
  /** Customers whose first purchase falls in the range. */
  customers: Scalars['Int']['output'];
  /** Of them, those with a second purchase day by the range's end. */
  repeatCustomers: Scalars['Int']['output'];
  /** `repeat_customers / customers` (0 without customers). */
  repeatPurchaseRate: Scalars['Float']['output'];
};

/** A catalog reward. */
export type Reward = {
  __typename?: 'Reward';
  availableFrom?: Maybe<Scalars['DateTime']['output']>;
  availableUntil?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  pointsCost: Scalars['Long']['output'];
  /** Units left; null: unlimited. */
  stock?: Maybe<Scalars['Int']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};

export type RewardConnection = {
  __typename?: 'RewardConnection';
  /** A list of edges. */
  edges: Array<RewardEdge>;
  /** A list of nodes. */
  nodes: Array<Reward>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type RewardEdge = {
  __typename?: 'RewardEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Reward;
};

/** A reward as written (create body; the shape a PATCH merges into). */
export type RewardInput = {
  availableFrom?: InputMaybe<Scalars['DateTime']['input']>;
  availableUntil?: InputMaybe<Scalars['DateTime']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  pointsCost?: InputMaybe<Scalars['Long']['input']>;
  /** Null: unlimited. */
  stock?: InputMaybe<Scalars['Int']['input']>;
};

/** An account's RFM scores (1-5 each) and named segment, as of the last scoring. */
export type Rfm = {
  __typename?: 'Rfm';
  f: Scalars['Int']['output'];
  /** The segment's display name. */
  label: Scalars['String']['output'];
  m: Scalars['Int']['output'];
  r: Scalars['Int']['output'];
  /**
   * `champions`, `loyal`, `potential_loyalist`, `new`, `promising`, `need_attention`,
   * `about_to_sleep`, `at_risk`, `cant_lose_them`, `hibernating` or `lost`.
   */
  segment: Scalars['String']['output'];
};

/** The 20/40/60/80 % quantiles each RFM score is cut at. */
export type RfmCuts = {
  __typename?: 'RfmCuts';
  frequency: Array<Scalars['Float']['output']>;
  monetary: Array<Scalars['Float']['output']>;
  recencyDays: Array<Scalars['Float']['output']>;
};

export type RfmSegments = {
  __typename?: 'RfmSegments';
  /** When the breakpoints were fitted; `null` before the first fit (nothing is scored). */
  breakpointsFittedAt?: Maybe<Scalars['DateTime']['output']>;
  currency: Scalars['String']['output'];
  scoredAccounts: Scalars['Int']['output'];
  /** All 11 segments, in the order of the documented grid, empty ones included. */
  segments: Array<SegmentSummary>;
  /** Buyers without a score yet (only before the first fit). */
  unscoredAccounts: Scalars['Int']['output'];
};

export type RiskThresholds = {
  __typename?: 'RiskThresholds';
  /** At or above: `at_risk`. */
  atRisk: Scalars['Float']['output'];
  /** At or above: `lost`. */
  lost: Scalars['Float']['output'];
  /** At or above: `watch`. */
  watch: Scalars['Float']['output'];
};

export type Segment = {
  __typename?: 'Segment';
  /** The members now, by account id (as `GET /v1/segments/{id}/accounts`). */
  accounts: AccountConnection;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** The rule tree in its canonical JSON form (as REST gives it). */
  rule: Scalars['JSON']['output'];
  /** Entries and exits publish `customer.segment_entered` / `customer.segment_left`. */
  tracked: Scalars['Boolean']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
};


export type SegmentAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type SegmentConnection = {
  __typename?: 'SegmentConnection';
  /** A list of edges. */
  edges: Array<SegmentEdge>;
  /** A list of nodes. */
  nodes: Array<Segment>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type SegmentEdge = {
  __typename?: 'SegmentEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Segment;
};

/** A new segment (and, as a merge patch, a change to one). */
export type SegmentInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 200 characters. */
  name: Scalars['String']['input'];
  /**
   * A tree of `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}` (at most 8 deep) and
   * conditions `{"field", "op", "value"}`. Fields: `orders_count`, `revenue`, `margin`,
   * `average_order_value`, `first_order_at`, `last_order_at`, `days_since_last_order`,
   * `rfm_r`/`rfm_f`/`rfm_m`, `rfm_segment`, `churn_probability`, `risk_band`, `clv`,
   * `expected_orders_90d`, `loyalty_tier`, `loyalty_points`, `lifecycle_stage`, `kind`,
   * `tags`, `owner_id`, `acquisition_channel`, `acquisition_cost`, `created_at`,
   * `attributes.<key>`, `consent.<email|sms|push>`, `interactions` (with `type`,
   * `channel`, `within_last_days`), `orders` (with `category`, `channel`,
   * `within_last_days`), `open_deals`. Operators: `=`, `!=`, `<`, `<=`, `>`, `>=`,
   * `between`, `in`, `contains`, `exists`, `within_last_days`. A bad rule is a 422 naming
   * its path (`rule.all[2].value`).
   */
  rule: Scalars['JSON']['input'];
  /** Publish entries and exits as events (default false). */
  tracked?: Scalars['Boolean']['input'];
};

/** A buyer in a segment. */
export type SegmentMember = {
  __typename?: 'SegmentMember';
  accountId: Scalars['ID']['output'];
  f: Scalars['Int']['output'];
  lastOrderAt?: Maybe<Scalars['DateTime']['output']>;
  m: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  ordersCount: Scalars['Int']['output'];
  r: Scalars['Int']['output'];
  revenue: Scalars['Long']['output'];
};

export type SegmentMemberConnection = {
  __typename?: 'SegmentMemberConnection';
  /** A list of edges. */
  edges: Array<SegmentMemberEdge>;
  /** A list of nodes. */
  nodes: Array<SegmentMember>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type SegmentMemberEdge = {
  __typename?: 'SegmentMemberEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: SegmentMember;
};

/** How many live accounts a rule selects now, and the first of them by id. */
export type SegmentPreview = {
  __typename?: 'SegmentPreview';
  count: Scalars['Int']['output'];
  sample: Array<Account>;
};

/** One segment's size and value. */
export type SegmentSummary = {
  __typename?: 'SegmentSummary';
  accounts: Scalars['Int']['output'];
  label: Scalars['String']['output'];
  /** Net revenue of its accounts, minor units of the reporting currency. */
  revenue: Scalars['Long']['output'];
  /** Stable code: `champions`, `loyal`, ... `lost`. */
  segment: Scalars['String']['output'];
  /** Its share of the scored accounts, 0 to 1. */
  shareOfAccounts: Scalars['Float']['output'];
  /** Its share of the scored accounts' revenue, 0 to 1. */
  shareOfRevenue: Scalars['Float']['output'];
};

/** Win rate of the deals closed in the period from one source. */
export type SourceWinRate = {
  __typename?: 'SourceWinRate';
  lost: Scalars['Int']['output'];
  /** `null`: deals without a source. */
  source?: Maybe<Scalars['String']['output']>;
  winRate?: Maybe<Scalars['Float']['output']>;
  won: Scalars['Int']['output'];
};

/** A stage of a pipeline. */
export type Stage = {
  __typename?: 'Stage';
  archived: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  /** `open`, `won` or `lost`. */
  kind: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** 0-based place in the pipeline (archived stages come after the active ones). */
  position: Scalars['Int']['output'];
  /** Win probability in percent, 0 to 100 (weights the forecast). */
  probability: Scalars['Int']['output'];
};

/** One entry of a deal's stage history. */
export type StageChange = {
  __typename?: 'StageChange';
  actorId?: Maybe<Scalars['ID']['output']>;
  /** `user`, `api_key` or `system`. */
  actorType: Scalars['String']['output'];
  changedAt: Scalars['DateTime']['output'];
  dealId: Scalars['ID']['output'];
  /** `null` for the deal's first stage. */
  fromStageId?: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  /** When the deal left `to_stage_id` (`null`: it is still there). */
  leftAt?: Maybe<Scalars['DateTime']['output']>;
  lostReason?: Maybe<Scalars['String']['output']>;
  toStageId: Scalars['ID']['output'];
};

/** A stage as a client writes it: with `id` to keep an existing stage, without to add one. */
export type StageInput = {
  /** An existing stage of this pipeline (absent: a new stage). */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** `open`, `won` or `lost`; required for a new stage, unchangeable afterwards. */
  kind?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 100 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** 0 to 100; required for open stages, defaults to 100 for won and 0 for lost. */
  probability?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * A tier: from `threshold` (qualifying spend in minor units, or points earned, in the
 * window) up. The first tier is the base tier with threshold 0.
 */
export type TierInput = {
  benefits?: Scalars['String']['input'];
  /** Earning multiplier in per-mille: 1000 = 1x, 1500 = 1.5x (1000 to 100000). */
  multiplierPermille: Scalars['Int']['input'];
  name: Scalars['String']['input'];
  threshold: Scalars['Long']['input'];
};

/** How far the next tier is. */
export type TierProgress = {
  __typename?: 'TierProgress';
  /** Qualifying amount still missing (minor units or points, per the programme). */
  missing: Scalars['Long']['output'];
  name: Scalars['String']['output'];
  threshold: Scalars['Long']['output'];
};

/**
 * A tier: from `threshold` (qualifying spend in minor units, or points earned, in the
 * window) up. The first tier is the base tier with threshold 0.
 */
export type TierSpec = {
  __typename?: 'TierSpec';
  benefits: Scalars['String']['output'];
  /** Earning multiplier in per-mille: 1000 = 1x, 1500 = 1.5x (1000 to 100000). */
  multiplierPermille: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  threshold: Scalars['Long']['output'];
};

/** Treatment minus control. */
export type UpliftResult = {
  __typename?: 'UpliftResult';
  ciHigh?: Maybe<Scalars['Float']['output']>;
  /** 95 % confidence interval (null with insufficient data). */
  ciLow?: Maybe<Scalars['Float']['output']>;
  difference: Scalars['Float']['output'];
  /** Two-sided (null with insufficient data). */
  pValue?: Maybe<Scalars['Float']['output']>;
  /** difference / control value (null when that is 0). */
  relative?: Maybe<Scalars['Float']['output']>;
  /** `significant` (p < 0.05), `not_significant` or `insufficient_data`. */
  significance: Scalars['String']['output'];
};

export type User = {
  __typename?: 'User';
  createdAt: Scalars['DateTime']['output'];
  disabled: Scalars['Boolean']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  lastLoginAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** `owner`, `admin`, `manager`, `agent` or `viewer`. */
  role: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['Int']['output'];
  workspaceId: Scalars['ID']['output'];
};

export type UserConnection = {
  __typename?: 'UserConnection';
  /** A list of edges. */
  edges: Array<UserEdge>;
  /** A list of nodes. */
  nodes: Array<User>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type UserEdge = {
  __typename?: 'UserEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: User;
};

export type UserPatch = {
  /** Disabling revokes the user's sessions at once. */
  disabled?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  password?: InputMaybe<Scalars['String']['input']>;
  role?: InputMaybe<Scalars['String']['input']>;
};

export type ValueDistribution = {
  __typename?: 'ValueDistribution';
  /** Stored 12-month CLV of the buyers with a prediction. */
  clv: Distribution;
  /** The reporting currency of every amount. */
  currency: Scalars['String']['output'];
  /** Historical revenue of every live buyer. */
  revenue: Distribution;
};

/**
 * What an account is worth: totals kept with every order, RFM scores, and predictions
 * from the workspace's current model. Money in minor units of `currency`.
 */
export type ValueMetrics = {
  __typename?: 'ValueMetrics';
  /** Days since the first purchase day (`T`), at read time. */
  ageDays: Scalars['Int']['output'];
  /** `revenue / orders_count`, rounded; `null` without orders. */
  averageOrderValue?: Maybe<Scalars['Long']['output']>;
  /** `1 - p_alive`. */
  churnProbability?: Maybe<Scalars['Float']['output']>;
  /** Discounted margin over the next 12 months, minor units. */
  clv?: Maybe<Scalars['Long']['output']>;
  /** The workspace's reporting currency. */
  currency: Scalars['String']['output'];
  /** Days from the first purchase day to the last (`t_x`). */
  daysBetweenFirstAndLast: Scalars['Int']['output'];
  /** Expected value of a future order (Gamma-Gamma), minor units. */
  expectedOrderValue?: Maybe<Scalars['Long']['output']>;
  /** Expected orders (purchase days) in the next 90 days. */
  expectedOrders90d?: Maybe<Scalars['Float']['output']>;
  firstOrderAt?: Maybe<Scalars['DateTime']['output']>;
  lastOrderAt?: Maybe<Scalars['DateTime']['output']>;
  /** Revenue minus cost over the orders sent with a cost; `null` when none was. */
  margin?: Maybe<Scalars['Long']['output']>;
  /** The model version the predictions come from. */
  modelVersion?: Maybe<Scalars['Int']['output']>;
  /** Orders that count (not fully refunded). */
  ordersCount: Scalars['Int']['output'];
  /** Probability the customer is still active (the workspace's purchase model). */
  pAlive?: Maybe<Scalars['Float']['output']>;
  /**
   * Why the predictions are `null`: `no_orders`, `model_not_fitted` (run
   * `POST /v1/models/churn/fit`), or `spend_model_not_fitted` (for the money ones: only
   * a model fitted when nobody had bought twice).
   */
  predictionsUnavailable?: Maybe<Scalars['String']['output']>;
  /** Repeat purchases `x`: purchase days after the first (UTC days). */
  repeatPurchases: Scalars['Int']['output'];
  /** Net revenue (after refunds). */
  revenue: Scalars['Long']['output'];
  rfm?: Maybe<Rfm>;
  /** `healthy`, `watch`, `at_risk` or `lost`, from `churn_probability`. */
  riskBand?: Maybe<Scalars['String']['output']>;
  /**
   * Which spend model `expected_order_value` and `clv` come from: `gamma_gamma`, or the
   * fallback the fit had to take (`fallback_winsorized`, `fallback_penalized`,
   * `fallback_shrinkage`; the model's `issues` say why).
   */
  spendModel?: Maybe<Scalars['String']['output']>;
};

/**
 * How a workspace measures value. Orders in another currency than `reporting_currency`
 * are converted once, when ingested, at the rate configured then (changing a rate does
 * not rewrite history); an order in a currency without a rate is refused.
 */
export type ValueSettings = {
  __typename?: 'ValueSettings';
  /** Margin assumed for CLV where an account's orders carry no cost, in percent. */
  defaultMarginPercent: Scalars['Float']['output'];
  /**
   * Units of the reporting currency one unit of each other currency is worth, as
   * decimal strings: `{"EUR": "1.08", "JPY": "0.0067"}`.
   */
  exchangeRates: Array<ExchangeRate>;
  /** Monthly discount rate of CLV (0.01 = 1 % a month). */
  monthlyDiscountRate: Scalars['Float']['output'];
  /**
   * The purchase model the next fits predict with: `bg-nbd` (default), `mbg-nbd`
   * (lets customers without repeat purchases churn), `pareto-nbd`, or `auto` (the one
   * with the best holdout score, see the model's `purchase_model.selection`).
   */
  purchaseModel: Scalars['String']['output'];
  /** ISO 4217 code every metric is expressed in. Can change only before the first order. */
  reportingCurrency: Scalars['String']['output'];
  /** Churn-probability thresholds of the risk bands `watch`, `at_risk` and `lost`. */
  riskThresholds: RiskThresholds;
  /** Bumped by every change; the server keeps it (send it in `If-Match`, not here). */
  version: Scalars['Int']['output'];
};

/** A subscription, without its secret. */
export type Webhook = {
  __typename?: 'Webhook';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** Why the subscription was turned off by the server (it kept failing). */
  disabledReason?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  /** Event types delivered: exact (`order.created`), a category (`order.*`) or `*`. */
  eventTypes: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Until when the secret replaced by the last rotation still signs deliveries. */
  previousSecretExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Where deliveries are POSTed. */
  url: Scalars['String']['output'];
  version: Scalars['Int']['output'];
};

export type WebhookConnection = {
  __typename?: 'WebhookConnection';
  /** A list of edges. */
  edges: Array<WebhookEdge>;
  /** A list of nodes. */
  nodes: Array<Webhook>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** One attempt to deliver an event to a subscription. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** 1 for the first attempt at this event, 2 for the first retry, … */
  attempt: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  error?: Maybe<Scalars['String']['output']>;
  /** The `id` of the delivered event (receivers de-duplicate by it). */
  eventId: Scalars['String']['output'];
  /** The event's number in the feed; 0 for a ping. */
  eventSequence: Scalars['Int']['output'];
  eventType: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  latencyMs: Scalars['Int']['output'];
  nextRetryAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * `delivered` (a 2xx answer), `retrying` (another attempt is due at `next_retry_at`)
   * or `failed` (no more automatic attempts).
   */
  outcome: Scalars['String']['output'];
  /** The receiver's HTTP status; `null` when none came (timeout, refused, reset). */
  statusCode?: Maybe<Scalars['Int']['output']>;
  /** `automatic`, `redelivery` or `ping`. */
  trigger: Scalars['String']['output'];
  webhookId: Scalars['ID']['output'];
};

export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  /** A list of edges. */
  edges: Array<WebhookDeliveryEdge>;
  /** A list of nodes. */
  nodes: Array<WebhookDelivery>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
};

/** An edge in a connection. */
export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: WebhookDelivery;
};

/** An edge in a connection. */
export type WebhookEdge = {
  __typename?: 'WebhookEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Webhook;
};

/**
 * Fields to change; absent fields stay. An empty `description` clears it; enabling a
 * subscription the server disabled clears the reason and retries at once.
 */
export type WebhookPatch = {
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  eventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  url?: InputMaybe<Scalars['String']['input']>;
};

/** A subscription with its signing secret: answered on create and on rotation only. */
export type WebhookWithSecret = {
  __typename?: 'WebhookWithSecret';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** Why the subscription was turned off by the server (it kept failing). */
  disabledReason?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  /** Event types delivered: exact (`order.created`), a category (`order.*`) or `*`. */
  eventTypes: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Until when the secret replaced by the last rotation still signs deliveries. */
  previousSecretExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** `whsec_…`: the HMAC key of `Rapport-Signature`. Keep it now; it is not shown again. */
  secret: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Where deliveries are POSTed. */
  url: Scalars['String']['output'];
  version: Scalars['Int']['output'];
};

/** Won deals' amounts in one currency. */
export type WonAmount = {
  __typename?: 'WonAmount';
  amount: Scalars['Long']['output'];
  /** Rounded half away from zero, minor units. */
  averageAmount: Scalars['Long']['output'];
  currency: Scalars['String']['output'];
  won: Scalars['Int']['output'];
};

export type Workspace = {
  __typename?: 'Workspace';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename?: 'Query', me?: { __typename?: 'User', name: string, email: string, role: string } | null, workspace: { __typename?: 'Workspace', name: string }, valueSettings: { __typename?: 'ValueSettings', reportingCurrency: string } };

export type CampaignsQueryVariables = Exact<{ [key: string]: never; }>;


export type CampaignsQuery = { __typename?: 'Query', campaigns: { __typename?: 'CampaignConnection', nodes: Array<{ __typename?: 'Campaign', id: string, name: string, channel: string, status: string, segmentId: string, launchedAt?: string | null, endsAt?: string | null, controlShare: number, audience?: { __typename?: 'AudienceCounts', eligible: number, treated: number, control: number } | null }> }, segments: { __typename?: 'SegmentConnection', nodes: Array<{ __typename?: 'Segment', id: string, name: string }> } };

export type CampaignResultsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CampaignResultsQuery = { __typename?: 'Query', campaignResults: { __typename?: 'CampaignResults', status: string, currency: string, windowStart: string, windowEnd: string, windowOpen: boolean, cost: string, romi?: number | null, total: { __typename?: 'ArmComparison', group: string, incrementalRevenue: string, incrementalMargin: string, significance: string, treatment: { __typename?: 'ArmResult', members: number, buyers: number, conversionRate: number, revenuePerMember: number }, control: { __typename?: 'ArmResult', members: number, buyers: number, conversionRate: number, revenuePerMember: number }, conversionUplift: { __typename?: 'UpliftResult', difference: number, relative?: number | null, ciLow?: number | null, ciHigh?: number | null, pValue?: number | null, significance: string } }, byRfmSegment: Array<{ __typename?: 'ArmComparison', group: string, incrementalRevenue: string, incrementalMargin: string, significance: string, treatment: { __typename?: 'ArmResult', members: number, buyers: number, conversionRate: number, revenuePerMember: number }, control: { __typename?: 'ArmResult', members: number, buyers: number, conversionRate: number, revenuePerMember: number }, conversionUplift: { __typename?: 'UpliftResult', difference: number, relative?: number | null, ciLow?: number | null, ciHigh?: number | null, pValue?: number | null, significance: string } }> } };

export type ArmComparisonPartsFragment = { __typename?: 'ArmComparison', group: string, incrementalRevenue: string, incrementalMargin: string, significance: string, treatment: { __typename?: 'ArmResult', members: number, buyers: number, conversionRate: number, revenuePerMember: number }, control: { __typename?: 'ArmResult', members: number, buyers: number, conversionRate: number, revenuePerMember: number }, conversionUplift: { __typename?: 'UpliftResult', difference: number, relative?: number | null, ciLow?: number | null, ciHigh?: number | null, pValue?: number | null, significance: string } };

export type CreateCampaignMutationVariables = Exact<{
  input: CampaignInput;
  key?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreateCampaignMutation = { __typename?: 'Mutation', createCampaign: { __typename?: 'Campaign', id: string, name: string } };

export type LaunchCampaignMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  key?: InputMaybe<Scalars['String']['input']>;
}>;


export type LaunchCampaignMutation = { __typename?: 'Mutation', launchCampaign: { __typename?: 'Campaign', id: string, status: string, audience?: { __typename?: 'AudienceCounts', treated: number, control: number } | null } };

export type CohortsQueryVariables = Exact<{
  from: Scalars['String']['input'];
}>;


export type CohortsQuery = { __typename?: 'Query', cohortReport: { __typename?: 'CohortReport', currency: string, cohorts: Array<{ __typename?: 'Cohort', cohort: string, customers: number, periods: Array<{ __typename?: 'CohortPeriod', periodNumber: number, period: string, activeCustomers: number, retention: number, cumulativeRevenuePerCustomer: string }> }> } };

export type Customer360QueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type Customer360Query = { __typename?: 'Query', account?: { __typename?: 'Account', id: string, name: string, kind: string, emails: Array<string>, phones: Array<string>, tags: Array<string>, lifecycleStage: string, acquisitionChannel?: string | null, createdAt: string, metrics: { __typename?: 'ValueMetrics', currency: string, ordersCount: number, revenue: string, margin?: string | null, averageOrderValue?: string | null, firstOrderAt?: string | null, lastOrderAt?: string | null, repeatPurchases: number, pAlive?: number | null, churnProbability?: number | null, riskBand?: string | null, expectedOrders90d?: number | null, expectedOrderValue?: string | null, clv?: string | null, spendModel?: string | null, predictionsUnavailable?: string | null, rfm?: { __typename?: 'Rfm', r: number, f: number, m: number, segment: string, label: string } | null }, interactions: { __typename?: 'InteractionConnection', nodes: Array<{ __typename?: 'Interaction', id: string, type: string, channel?: string | null, direction?: string | null, subject?: string | null, occurredAt: string }> }, orders: { __typename?: 'OrderConnection', nodes: Array<{ __typename?: 'Order', id: string, externalId?: string | null, amount: string, currency: string, refundedAmount: string, status: string, occurredAt: string, channel?: string | null }> } } | null, loyaltyBalance?: { __typename?: 'LoyaltyBalance', available: string, pending: string, expiringIn30Days: string, lifetimeEarned: string, tier?: { __typename?: 'MemberTier', name: string } | null, nextTier?: { __typename?: 'TierProgress', name: string, missing: string } | null } | null, loyaltyProgram?: { __typename?: 'LoyaltyProgram', currency: string, qualification: string } | null, loyaltyLedger: { __typename?: 'LedgerEntryConnection', nodes: Array<{ __typename?: 'LedgerEntry', id: string, kind: string, points: string, reason?: string | null, occurredAt: string }> }, deals: { __typename?: 'DealConnection', nodes: Array<{ __typename?: 'Deal', id: string, title: string, amount: string, currency: string, stageId: string, expectedCloseOn?: string | null }> }, pipelines: { __typename?: 'PipelineConnection', nodes: Array<{ __typename?: 'Pipeline', stages: Array<{ __typename?: 'Stage', id: string, name: string }> }> } };

export type CustomersQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AccountFilterInput>;
  withSegments: Scalars['Boolean']['input'];
}>;


export type CustomersQuery = { __typename?: 'Query', accounts: { __typename?: 'AccountConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Account', id: string, name: string, kind: string, lifecycleStage: string, emails: Array<string>, metrics: { __typename?: 'ValueMetrics', ordersCount: number, revenue: string, clv?: string | null, riskBand?: string | null, rfm?: { __typename?: 'Rfm', label: string } | null } }> }, segments?: { __typename?: 'SegmentConnection', nodes: Array<{ __typename?: 'Segment', id: string, name: string }> } };

export type LoyaltyQueryVariables = Exact<{ [key: string]: never; }>;


export type LoyaltyQuery = { __typename?: 'Query', loyaltyProgram?: { __typename?: 'LoyaltyProgram', currency: string, active: boolean, qualification: string, qualificationWindowDays: number, expiryMonths?: number | null, pendingDays: number, earnRate: { __typename?: 'EarnRateSpec', numerator: number, denominator: number }, tiers: Array<{ __typename?: 'TierSpec', name: string, threshold: string, multiplierPermille: number, benefits: string }> } | null, loyaltyRewards: { __typename?: 'RewardConnection', nodes: Array<{ __typename?: 'Reward', id: string, name: string, description?: string | null, pointsCost: string, stock?: number | null, availableUntil?: string | null }> } };

export type OverviewQueryVariables = Exact<{
  from: Scalars['String']['input'];
}>;


export type OverviewQuery = { __typename?: 'Query', valueDistribution: { __typename?: 'ValueDistribution', currency: string, revenue: { __typename?: 'Distribution', customers: number, total: string, concentration: Array<{ __typename?: 'Concentration', topPercent: number, share: number }> }, clv: { __typename?: 'Distribution', customers: number, total: string } }, churnReport: { __typename?: 'ChurnReport', repeat: { __typename?: 'RepeatPurchases', repeatPurchaseRate: number }, periods: Array<{ __typename?: 'ChurnPeriod', period: string, activeCustomers: number, newCustomers: number, churnRate: number }>, expected?: { __typename?: 'ExpectedChurn', expectedChurnRate: number } | null }, deals: { __typename?: 'DealConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean }, nodes: Array<{ __typename?: 'Deal', amount: string, currency: string }> }, atRiskAccounts: { __typename?: 'AtRiskAccountConnection', nodes: Array<{ __typename?: 'AtRiskAccount', accountId: string, name: string, valueAtRisk: string, churnProbability: number }> } };

export type BoardQueryVariables = Exact<{ [key: string]: never; }>;


export type BoardQuery = { __typename?: 'Query', pipelines: { __typename?: 'PipelineConnection', nodes: Array<{ __typename?: 'Pipeline', id: string, name: string, stages: Array<{ __typename?: 'Stage', id: string, name: string, kind: string, probability: number }> }> }, deals: { __typename?: 'DealConnection', nodes: Array<{ __typename?: 'Deal', id: string, title: string, amount: string, currency: string, pipelineId: string, stageId: string, version: number, expectedCloseOn?: string | null }> } };

export type MoveDealMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  stageId: Scalars['ID']['input'];
  ifVersion?: InputMaybe<Scalars['Int']['input']>;
  lostReason?: InputMaybe<Scalars['String']['input']>;
  key?: InputMaybe<Scalars['String']['input']>;
}>;


export type MoveDealMutation = { __typename?: 'Mutation', moveDeal: { __typename?: 'Deal', id: string, stageId: string, version: number, status: string } };

export type SegmentsQueryVariables = Exact<{ [key: string]: never; }>;


export type SegmentsQuery = { __typename?: 'Query', segments: { __typename?: 'SegmentConnection', nodes: Array<{ __typename?: 'Segment', id: string, name: string, description?: string | null, rule: unknown, tracked: boolean, createdAt: string }> } };

export type PreviewSegmentQueryVariables = Exact<{
  rule: Scalars['JSON']['input'];
}>;


export type PreviewSegmentQuery = { __typename?: 'Query', previewSegment: { __typename?: 'SegmentPreview', count: number, sample: Array<{ __typename?: 'Account', id: string, name: string }> } };

export type CreateSegmentMutationVariables = Exact<{
  input: SegmentInput;
  key?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreateSegmentMutation = { __typename?: 'Mutation', createSegment: { __typename?: 'Segment', id: string, name: string } };

export type SettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type SettingsQuery = { __typename?: 'Query', users: { __typename?: 'UserConnection', nodes: Array<{ __typename?: 'User', id: string, name: string, email: string, role: string, disabled: boolean, lastLoginAt?: string | null }> }, apiKeys: { __typename?: 'ApiKeyConnection', nodes: Array<{ __typename?: 'ApiKey', id: string, name: string, prefix: string, scopes: Array<string>, lastUsedAt?: string | null, expiresAt?: string | null, revokedAt?: string | null }> }, webhooks: { __typename?: 'WebhookConnection', nodes: Array<{ __typename?: 'Webhook', id: string, url: string, description?: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason?: string | null }> } };

export type WebhookDeliveriesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type WebhookDeliveriesQuery = { __typename?: 'Query', webhookDeliveries: { __typename?: 'WebhookDeliveryConnection', nodes: Array<{ __typename?: 'WebhookDelivery', id: string, eventType: string, attempt: number, trigger: string, outcome: string, statusCode?: number | null, latencyMs: number, error?: string | null, createdAt: string }> } };

export type ValueQueryVariables = Exact<{ [key: string]: never; }>;


export type ValueQuery = { __typename?: 'Query', rfmSegments: { __typename?: 'RfmSegments', currency: string, breakpointsFittedAt?: string | null, scoredAccounts: number, unscoredAccounts: number, segments: Array<{ __typename?: 'SegmentSummary', segment: string, label: string, accounts: number, revenue: string, shareOfAccounts: number, shareOfRevenue: number }> }, valueDistribution: { __typename?: 'ValueDistribution', currency: string, clv: { __typename?: 'Distribution', customers: number, histogram: Array<{ __typename?: 'Bin', lower: string, upper: string, customers: number }> } }, atRiskAccounts: { __typename?: 'AtRiskAccountConnection', nodes: Array<{ __typename?: 'AtRiskAccount', accountId: string, name: string, valueAtRisk: string, churnProbability: number, riskBand: string, clv?: string | null, revenue: string, segment?: string | null }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ArmComparisonPartsFragmentDoc = new TypedDocumentString(`
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}
    `, {"fragmentName":"ArmComparisonParts"}) as unknown as TypedDocumentString<ArmComparisonPartsFragment, unknown>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    name
    email
    role
  }
  workspace {
    name
  }
  valueSettings {
    reportingCurrency
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const CampaignsDocument = new TypedDocumentString(`
    query Campaigns {
  campaigns(first: 100) {
    nodes {
      id
      name
      channel
      status
      segmentId
      launchedAt
      endsAt
      controlShare
      audience {
        eligible
        treated
        control
      }
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CampaignsQuery, CampaignsQueryVariables>;
export const CampaignResultsDocument = new TypedDocumentString(`
    query CampaignResults($id: ID!) {
  campaignResults(id: $id) {
    status
    currency
    windowStart
    windowEnd
    windowOpen
    cost
    romi
    total {
      ...ArmComparisonParts
    }
    byRfmSegment {
      ...ArmComparisonParts
    }
  }
}
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}`) as unknown as TypedDocumentString<CampaignResultsQuery, CampaignResultsQueryVariables>;
export const CreateCampaignDocument = new TypedDocumentString(`
    mutation CreateCampaign($input: CampaignInput!, $key: String) {
  createCampaign(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateCampaignMutation, CreateCampaignMutationVariables>;
export const LaunchCampaignDocument = new TypedDocumentString(`
    mutation LaunchCampaign($id: ID!, $key: String) {
  launchCampaign(id: $id, idempotencyKey: $key) {
    id
    status
    audience {
      treated
      control
    }
  }
}
    `) as unknown as TypedDocumentString<LaunchCampaignMutation, LaunchCampaignMutationVariables>;
export const CohortsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<CohortsQuery, CohortsQueryVariables>;
export const Customer360Document = new TypedDocumentString(`
    query Customer360($id: ID!) {
  account(id: $id) {
    id
    name
    kind
    emails
    phones
    tags
    lifecycleStage
    acquisitionChannel
    createdAt
    metrics {
      currency
      ordersCount
      revenue
      margin
      averageOrderValue
      firstOrderAt
      lastOrderAt
      repeatPurchases
      rfm {
        r
        f
        m
        segment
        label
      }
      pAlive
      churnProbability
      riskBand
      expectedOrders90d
      expectedOrderValue
      clv
      spendModel
      predictionsUnavailable
    }
    interactions(first: 12) {
      nodes {
        id
        type
        channel
        direction
        subject
        occurredAt
      }
    }
    orders(first: 12) {
      nodes {
        id
        externalId
        amount
        currency
        refundedAmount
        status
        occurredAt
        channel
      }
    }
  }
  loyaltyBalance(accountId: $id) {
    available
    pending
    expiringIn30Days
    lifetimeEarned
    tier {
      name
    }
    nextTier {
      name
      missing
    }
  }
  loyaltyProgram {
    currency
    qualification
  }
  loyaltyLedger(accountId: $id, first: 6) {
    nodes {
      id
      kind
      points
      reason
      occurredAt
    }
  }
  deals(first: 20, filter: {accountId: $id, status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      stageId
      expectedCloseOn
    }
  }
  pipelines(first: 20) {
    nodes {
      stages {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<Customer360Query, Customer360QueryVariables>;
export const CustomersDocument = new TypedDocumentString(`
    query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
  accounts(first: $first, after: $after, filter: $filter, sort: "name") {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      kind
      lifecycleStage
      emails
      metrics {
        ordersCount
        revenue
        clv
        riskBand
        rfm {
          label
        }
      }
    }
  }
  segments(first: 100) @include(if: $withSegments) {
    nodes {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CustomersQuery, CustomersQueryVariables>;
export const LoyaltyDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<LoyaltyQuery, LoyaltyQueryVariables>;
export const OverviewDocument = new TypedDocumentString(`
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
    repeat {
      repeatPurchaseRate
    }
    periods {
      period
      activeCustomers
      newCustomers
      churnRate
    }
    expected {
      expectedChurnRate
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    pageInfo {
      hasNextPage
    }
    nodes {
      amount
      currency
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
    `) as unknown as TypedDocumentString<OverviewQuery, OverviewQueryVariables>;
export const BoardDocument = new TypedDocumentString(`
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
  deals(first: 500, filter: {status: "open"}) {
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
    `) as unknown as TypedDocumentString<BoardQuery, BoardQueryVariables>;
export const MoveDealDocument = new TypedDocumentString(`
    mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
  moveDeal(
    id: $id
    stageId: $stageId
    ifVersion: $ifVersion
    lostReason: $lostReason
    idempotencyKey: $key
  ) {
    id
    stageId
    version
    status
  }
}
    `) as unknown as TypedDocumentString<MoveDealMutation, MoveDealMutationVariables>;
export const SegmentsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<SegmentsQuery, SegmentsQueryVariables>;
export const PreviewSegmentDocument = new TypedDocumentString(`
    query PreviewSegment($rule: JSON!) {
  previewSegment(rule: $rule, sampleSize: 5) {
    count
    sample {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<PreviewSegmentQuery, PreviewSegmentQueryVariables>;
export const CreateSegmentDocument = new TypedDocumentString(`
    mutation CreateSegment($input: SegmentInput!, $key: String) {
  createSegment(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateSegmentMutation, CreateSegmentMutationVariables>;
export const SettingsDocument = new TypedDocumentString(`
    query Settings {
  users(first: 100) {
    nodes {
      id
      name
      email
      role
      disabled
      lastLoginAt
    }
  }
  apiKeys(first: 100) {
    nodes {
      id
      name
      prefix
      scopes
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
  webhooks(first: 50) {
    nodes {
      id
      url
      description
      eventTypes
      enabled
      disabledReason
    }
  }
}
    `) as unknown as TypedDocumentString<SettingsQuery, SettingsQueryVariables>;
export const WebhookDeliveriesDocument = new TypedDocumentString(`
    query WebhookDeliveries($id: ID!) {
  webhookDeliveries(webhookId: $id, first: 20) {
    nodes {
      id
      eventType
      attempt
      trigger
      outcome
      statusCode
      latencyMs
      error
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const ValueDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ValueQuery, ValueQueryVariables>;