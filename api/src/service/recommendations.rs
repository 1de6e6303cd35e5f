//! Product recommendations: the refresh that rebuilds a workspace's item-to-item
//! co-occurrence from orders' line items (a job after each model refit, the CLI, or
//! `POST /v1/recommendations/refresh`), and one account's ranked recommendations read from
//! it and from the account's own history (see [`rapport_domain::recommendations`] for the
//! scores).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::recommendations::{self as rec, Bought, Reason, StoredPair, MAX_BASKET};
use rapport_domain::value::day_of;
use rapport_persistence::recommendations::{self as store, ItemRow, RefreshRow};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::events::domain::{data, DomainEvent};
use crate::service::pipeline::{self, Committed};
use crate::service::{now, utc};
use crate::state::AppState;

/// Accounts whose orders the refresh reads per query.
const ACCOUNTS_PER_READ: i64 = 1_000;
/// The newest orders of one account that its recommendations read.
const HISTORY_ORDERS: i64 = 1_000;
const DEFAULT_LIMIT: i64 = 10;
const MAX_LIMIT: i64 = 100;

/// The fields of a stored line item the recommendations read (the order API validated the
/// rest when it stored them).
#[derive(Deserialize)]
struct Line {
    sku: String,
    name: Option<String>,
    category: Option<String>,
}

fn lines_of(items: &str) -> Vec<Line> {
    serde_json::from_str(items).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Shapes

/// One recommended product.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct Recommendation {
    #[schema(example = "CMP-STOVE")]
    pub sku: String,
    /// The name on the customer's or another customer's latest order line with this SKU.
    #[schema(example = "Camping stove")]
    pub name: Option<String>,
    #[schema(example = "camping")]
    pub category: Option<String>,
    /// In (0, 1], higher first. `bought_together`: `1 - prod(1 - cosine)` over the SKUs of
    /// `because`; `due_again`: `interval_days / days_since`.
    #[schema(example = 0.62)]
    pub score: f64,
    /// `bought_together` (customers who bought what this customer bought also bought it)
    /// or `due_again` (the customer buys it regularly and its interval has passed).
    #[schema(example = "bought_together")]
    pub reason: String,
    /// The numbers behind the score, in a sentence.
    #[schema(
        example = "14 of the 31 customers who bought Two-person tent also bought it (similarity 0.55)."
    )]
    pub explanation: String,
    /// `bought_together`: this customer's SKUs it goes with, strongest first.
    pub because: Vec<String>,
    /// `due_again`: the median number of days between the customer's purchases of it (or,
    /// bought once, between every customer's repeat purchases of it).
    pub interval_days: Option<i64>,
    /// `due_again`: days since the customer last bought it.
    pub days_since: Option<i64>,
}

/// An account's recommendations, best first.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct Recommendations {
    pub data: Vec<Recommendation>,
    /// When the workspace's co-occurrence was last rebuilt (`null`: never; only `due_again`
    /// recommendations then).
    pub refreshed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendationsQuery {
    /// How many, 1 to 100 (default 10).
    pub limit: Option<i64>,
}

/// What a refresh read and kept.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct RecommendationsRefresh {
    pub refreshed_at: DateTime<Utc>,
    /// Customers with at least one order line.
    pub customers: i64,
    /// Order lines read.
    pub lines: i64,
    /// Distinct SKUs.
    pub items: i64,
    /// Neighbour pairs kept (each direction counted).
    pub pairs: i64,
}

impl From<&RefreshRow> for RecommendationsRefresh {
    fn from(r: &RefreshRow) -> Self {
        Self {
            refreshed_at: utc(r.refreshed_at),
            customers: r.customers,
            lines: r.lines,
            items: r.items,
            pairs: r.pairs,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The refresh

/// The SKUs read so far, by index, with their latest name and category.
#[derive(Default)]
struct Catalogue {
    index: HashMap<String, u32>,
    skus: Vec<(String, Option<String>, Option<String>)>,
}

impl Catalogue {
    fn intern(&mut self, line: Line) -> u32 {
        if let Some(&i) = self.index.get(&line.sku) {
            let entry = &mut self.skus[i as usize];
            if line.name.is_some() {
                entry.1 = line.name;
            }
            if line.category.is_some() {
                entry.2 = line.category;
            }
            return i;
        }
        let i = u32::try_from(self.skus.len()).unwrap_or(u32::MAX);
        self.index.insert(line.sku.clone(), i);
        self.skus.push((line.sku, line.name, line.category));
        i
    }
}

/// One customer's SKUs, most recent last, each once, and the days they bought each on.
#[derive(Default)]
struct BasketBuilder {
    account: Option<String>,
    last_seen: HashMap<u32, u64>,
    days: HashMap<u32, Vec<i64>>,
    tick: u64,
}

impl BasketBuilder {
    /// The finished basket: at most [`MAX_BASKET`] SKUs, the most recently bought; the
    /// customer's repurchase gaps join each SKU's in `gaps`.
    fn take(&mut self, gaps: &mut [Vec<i64>]) -> Option<Vec<u32>> {
        self.account.take()?;
        for (sku, days) in self.days.drain() {
            if let Some(all) = gaps.get_mut(sku as usize) {
                all.extend(rec::gaps(&days));
            }
        }
        let mut seen: Vec<(u32, u64)> = self.last_seen.drain().collect();
        seen.sort_by_key(|s| std::cmp::Reverse(s.1));
        seen.truncate(MAX_BASKET);
        Some(seen.into_iter().map(|(sku, _)| sku).collect())
    }
}

/// Rebuilds the workspace's co-occurrence from its orders as of now. The orders are read
/// before the write transaction (in pages, without holding the writer), the replacement of
/// the stored SKUs (with their neighbours) is one transaction: readers see the old set or the new one.
pub fn refresh_workspace(
    conn: &mut DbConn,
    principal: &Principal,
) -> Result<(RecommendationsRefresh, Committed), ApiError> {
    let workspace_id = principal.workspace_id.clone();
    let mut catalogue = Catalogue::default();
    let mut baskets: Vec<Vec<u32>> = Vec::new();
    let mut gaps: Vec<Vec<i64>> = Vec::new();
    let mut basket = BasketBuilder::default();
    let mut lines = 0i64;
    let mut after: Option<String> = None;
    loop {
        let ids =
            store::live_accounts_page(conn, &workspace_id, after.as_deref(), ACCOUNTS_PER_READ)?;
        let Some(last) = ids.last().cloned() else {
            break;
        };
        for order in store::lines_of_accounts(conn, &workspace_id, &ids)? {
            if basket.account.as_deref() != Some(order.account_id.as_str()) {
                baskets.extend(basket.take(&mut gaps));
                basket.account = Some(order.account_id);
            }
            for line in lines_of(&order.items) {
                lines += 1;
                let sku = catalogue.intern(line);
                if gaps.len() < catalogue.skus.len() {
                    gaps.resize_with(catalogue.skus.len(), Vec::new);
                }
                basket.tick += 1;
                basket.last_seen.insert(sku, basket.tick);
                basket
                    .days
                    .entry(sku)
                    .or_default()
                    .push(i64::from(order.purchase_day));
            }
        }
        after = Some(last);
    }
    baskets.extend(basket.take(&mut gaps));
    let (buyers, similarities) = rec::similarities(&baskets, catalogue.skus.len());

    let at = now();
    // Each SKU's neighbours, strongest first (`similarities` is ordered so).
    let mut neighbours: Vec<Vec<(&str, u32, f64)>> = vec![Vec::new(); catalogue.skus.len()];
    for s in &similarities {
        if let (Some(list), Some(other)) = (
            neighbours.get_mut(s.item as usize),
            catalogue.skus.get(s.other as usize),
        ) {
            list.push((other.0.as_str(), s.together, s.score));
        }
    }
    let mut items = Vec::with_capacity(catalogue.skus.len());
    for ((((sku, name, category), &n), gaps), neighbours) in catalogue
        .skus
        .iter()
        .zip(&buyers)
        .zip(gaps.iter_mut())
        .zip(&neighbours)
    {
        items.push(ItemRow {
            workspace_id: workspace_id.clone(),
            sku: sku.clone(),
            name: name.clone(),
            category: category.clone(),
            buyers: i64::from(n),
            repurchase_days: rec::typical_interval(gaps),
            neighbours: serde_json::to_string(neighbours).map_err(ApiError::internal)?,
        });
    }
    let row = RefreshRow {
        workspace_id: workspace_id.clone(),
        refreshed_at: at,
        customers: baskets.len() as i64,
        lines,
        items: items.len() as i64,
        pairs: similarities.len() as i64,
    };
    let summary = RecommendationsRefresh::from(&row);
    pipeline::transact(conn, principal, |conn, cx| {
        store::replace(conn, &row, &items)?;
        cx.audit::<(), _>(
            "recommendations.refresh",
            "recommendations",
            None,
            None,
            Some(&summary),
        )?;
        cx.emit(DomainEvent::RecommendationsRefreshed {
            refresh: data(&summary)?,
        })?;
        Ok(summary.clone())
    })
}

/// `POST /v1/recommendations/refresh` (admins).
pub async fn refresh(
    state: &AppState,
    principal: &Principal,
) -> Result<RecommendationsRefresh, ApiError> {
    principal.require(Scope::Admin)?;
    let p = principal.clone();
    let (summary, committed) = state
        .db
        .run(move |conn| refresh_workspace(conn, &p))
        .await?;
    pipeline::apply(state, committed).await;
    Ok(summary)
}

// ---------------------------------------------------------------------------------------
// One account

/// An account's recommendations (needs `orders:read`: they show what the customer bought).
pub async fn for_account(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    query: RecommendationsQuery,
) -> Result<Recommendations, ApiError> {
    principal.require(Scope::OrdersRead)?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let workspace_id = principal.workspace_id.clone();
    let account_id = account_id.to_owned();
    let at = now();
    state
        .db
        .run(move |conn| read_for_account(conn, &workspace_id, &account_id, at, limit as usize))
        .await
}

fn read_for_account(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    at: NaiveDateTime,
    limit: usize,
) -> Result<Recommendations, ApiError> {
    if !store::live_account(conn, workspace_id, account_id)? {
        return Err(ApiError::not_found("no account with that id"));
    }
    // The account's SKUs, most recently bought first, with their days and latest names.
    let mut order_of: Vec<String> = Vec::new();
    let mut days: HashMap<String, Vec<i64>> = HashMap::new();
    let mut names: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
    for (day, items) in store::account_lines(conn, workspace_id, account_id, HISTORY_ORDERS)? {
        for line in lines_of(&items) {
            let entry = days.entry(line.sku.clone()).or_default();
            if entry.is_empty() {
                order_of.push(line.sku.clone());
                names.insert(line.sku.clone(), (line.name, line.category));
            }
            entry.push(i64::from(day));
        }
    }
    // The stored SKUs of the most recent of them: workspace intervals, buyers, names.
    let recent: Vec<String> = order_of.iter().take(MAX_BASKET).cloned().collect();
    let mut stored: HashMap<String, ItemRow> = store::items(conn, workspace_id, &recent)?
        .into_iter()
        .map(|i| (i.sku.clone(), i))
        .collect();
    let history: Vec<Bought> = order_of
        .iter()
        .map(|sku| Bought {
            sku: sku.clone(),
            days: days.get(sku).cloned().unwrap_or_default(),
            typical_interval: stored.get(sku).and_then(|i| i.repurchase_days),
        })
        .collect();
    let mut pairs: Vec<StoredPair> = Vec::new();
    for item in stored.values() {
        let neighbours: Vec<(String, u32, f64)> =
            serde_json::from_str(&item.neighbours).unwrap_or_default();
        pairs.extend(
            neighbours
                .into_iter()
                .map(|(other, together, score)| StoredPair {
                    sku: item.sku.clone(),
                    other,
                    together,
                    score,
                }),
        );
    }
    let today = i64::from(day_of(at));
    let ranked = rec::recommend(&history, &pairs, today, limit);

    // Names of the recommended SKUs the customer never bought.
    let unnamed: Vec<String> = ranked
        .iter()
        .filter(|r| !stored.contains_key(&r.sku))
        .map(|r| r.sku.clone())
        .collect();
    stored.extend(
        store::items(conn, workspace_id, &unnamed)?
            .into_iter()
            .map(|i| (i.sku.clone(), i)),
    );
    let label = |sku: &str| -> String {
        names
            .get(sku)
            .and_then(|n| n.0.clone())
            .or_else(|| stored.get(sku).and_then(|i| i.name.clone()))
            .unwrap_or_else(|| sku.to_owned())
    };
    let data = ranked
        .into_iter()
        .map(|r| {
            let (name, category) = match names.get(&r.sku) {
                Some((n, c)) if n.is_some() || c.is_some() => (n.clone(), c.clone()),
                _ => stored
                    .get(&r.sku)
                    .map(|i| (i.name.clone(), i.category.clone()))
                    .unwrap_or_default(),
            };
            match r.reason {
                Reason::DueAgain {
                    interval_days,
                    days_since,
                    times_bought,
                } => Recommendation {
                    explanation: if times_bought > 1 {
                        format!(
                            "Bought on {times_bought} different days, about every {interval_days} days; last bought {days_since} days ago."
                        )
                    } else {
                        format!(
                            "Bought once, {days_since} days ago; customers who buy it again do so after about {interval_days} days."
                        )
                    },
                    sku: r.sku,
                    name,
                    category,
                    score: r.score,
                    reason: "due_again".into(),
                    because: Vec::new(),
                    interval_days: Some(interval_days),
                    days_since: Some(days_since),
                },
                Reason::BoughtTogether { because } => {
                    let explanation = match because.first() {
                        Some(top) => {
                            let buyers = stored.get(&top.sku).map_or(0, |i| i.buyers);
                            let more = match because.len() - 1 {
                                0 => String::new(),
                                1 => " It also goes with 1 other product this customer bought.".into(),
                                n => format!(" It also goes with {n} other products this customer bought."),
                            };
                            format!(
                                "{} of the {buyers} customers who bought {} also bought it (similarity {:.2}).{more}",
                                top.together,
                                label(&top.sku),
                                top.score
                            )
                        }
                        None => String::new(),
                    };
                    Recommendation {
                        sku: r.sku,
                        name,
                        category,
                        score: r.score,
                        reason: "bought_together".into(),
                        explanation,
                        because: because.into_iter().map(|n| n.sku).collect(),
                        interval_days: None,
                        days_since: None,
                    }
                }
            }
        })
        .collect();
    let refreshed_at = store::last_refresh(conn, workspace_id)?.map(|r| utc(r.refreshed_at));
    Ok(Recommendations { data, refreshed_at })
}
