//! `rapport demo`: a workspace with realistic data, built through the same services the API
//! uses. Each capability adds its part here.

use serde::Serialize;

use crate::auth::Principal;
use crate::error::ApiError;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::service::accounts::{
    self, AccountBatch, AccountInput, Address, ConsentChange, ConsentChanges, Money,
};
use crate::service::api_keys::{self, NewApiKey};
use crate::service::contacts::{self, ContactInput};
use crate::service::deals::{self, DealInput, MoveInput, PipelineInput, StageInput};
use crate::service::idempotency::Outcome;
use crate::service::interactions::{self, InteractionInput};
use crate::service::users::{self, NewUser};
use crate::service::workspaces;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct DemoSummary {
    pub workspace_id: String,
    pub owner_email: String,
    pub password: String,
    pub users: Vec<DemoUser>,
    /// A partner key with every read scope, to try the API without logging in.
    pub api_key: String,
    pub accounts: usize,
    pub contacts: usize,
    pub interactions: usize,
    /// Orders over three years: loyal, regular, lapsing and lost customers, with a
    /// November-December peak.
    pub orders: usize,
    /// The churn/CLV model fitted on them (so segments and predictions are live).
    pub model_version: i64,
    /// The spend model behind every CLV: `gamma_gamma` or the reported fallback.
    pub spend_model: Option<String>,
    /// What the model fit reported (a spend fallback, with its reason).
    pub model_issues: Vec<String>,
    /// The loyalty programme (USD, 1 point per dollar, three tiers, points expire after
    /// 12 months): accounts with points, redemptions made, lots expired, members holding
    /// points that expire within 30 days, members in a tier above the first.
    pub loyalty: DemoLoyalty,
    pub pipelines: usize,
    pub deals: usize,
    /// Past campaigns with a control group (windows closed): two with an effect built into
    /// the orders of their treated members, one without.
    pub campaigns: Vec<DemoCampaign>,
    pub how_to_log_in: String,
}

#[derive(Debug, Serialize)]
pub struct DemoCampaign {
    pub id: String,
    pub name: String,
    pub treated: i64,
    pub control: i64,
    /// The purchase probability in the window built into the data: treated, control.
    pub built_in_conversion: (f64, f64),
}

#[derive(Debug, Default, Serialize)]
pub struct DemoLoyalty {
    pub members: usize,
    pub rewards: usize,
    pub redemptions: usize,
    pub expired_lots: u64,
    pub expired_points: i64,
    pub members_with_points_expiring_in_30_days: usize,
    pub members_in_a_tier: usize,
}

#[derive(Debug, Serialize)]
pub struct DemoUser {
    pub email: String,
    pub role: String,
}

const TEAM: [(&str, &str, &str); 5] = [
    ("Amara Okafor", "amara", "admin"),
    ("Luis Fernández", "luis", "manager"),
    ("Mei Lin", "mei", "agent"),
    ("Jonas Berg", "jonas", "agent"),
    ("Priya Nair", "priya", "viewer"),
];

pub async fn create(
    state: &AppState,
    owner_email: &str,
    password: &str,
    base_url: &str,
) -> Result<DemoSummary, ApiError> {
    let (email, pass) = (owner_email.to_owned(), password.to_owned());
    let created = state
        .db
        .run(move |conn| workspaces::bootstrap(conn, "Demo Shop", &email, &pass))
        .await?;
    let system = Principal::system(&created.workspace_id);
    let domain = created
        .email
        .split('@')
        .nth(1)
        .unwrap_or("example.com")
        .to_owned();
    let mut team = Vec::new();
    for (name, local, role) in TEAM {
        let user = users::create(
            state,
            &system,
            NewUser {
                email: format!("{local}@{domain}"),
                name: name.to_owned(),
                password: password.to_owned(),
                role: role.to_owned(),
            },
        )
        .await?;
        team.push(DemoUser {
            email: user.email,
            role: user.role,
        });
    }
    let team_ids = users::list(
        state,
        &system,
        crate::service::page_request(Some(50), None)?,
    )
    .await?
    .data
    .into_iter()
    .filter(|u| u.role == "agent" || u.role == "manager")
    .map(|u| u.id)
    .collect::<Vec<_>>();
    // Deals are in EUR and USD; metrics are in USD.
    crate::service::value::update_settings(
        state,
        &system,
        serde_json::json!({"exchange_rates": {"EUR": "1.08", "GBP": "1.27"}}),
        None,
    )
    .await?;
    let created_accounts = demo_accounts(state, &system, &team_ids, DEMO_ACCOUNTS).await?;
    let (contacts, interactions) = demo_timeline(state, &system, &created_accounts).await?;
    let (pipelines, deals) = demo_deals(state, &system, &created_accounts, &team_ids).await?;
    let accounts = created_accounts.len();
    // The programme exists before the orders, so they earn points as they are recorded.
    demo_loyalty_program(state, &system).await?;
    let orders = demo_orders(state, &system, &created_accounts).await?;
    let fitter = system.clone();
    let (model, committed) = state
        .db
        .run(move |conn| {
            crate::service::models::fit_workspace(conn, &fitter, crate::service::now())
        })
        .await?;
    crate::service::pipeline::apply(state, committed).await;
    let loyalty = demo_loyalty_activity(state, &system, &created_accounts).await?;
    let campaigns = demo_campaigns(state, &system).await?;
    // Recommendations from the line items, as the scheduled job would after its refit.
    let recommender = system.clone();
    let (_, committed) = state
        .db
        .run(move |conn| crate::service::recommendations::refresh_workspace(conn, &recommender))
        .await?;
    crate::service::pipeline::apply(state, committed).await;
    demo_feedback(state, &system, &created_accounts).await?;
    let key = api_keys::create(
        state,
        &system,
        NewApiKey {
            name: "Demo read-only partner".into(),
            scopes: [
                "accounts:read",
                "orders:read",
                "deals:read",
                "loyalty:read",
                "analytics:read",
                "campaigns:read",
            ]
            .map(str::to_owned)
            .to_vec(),
            expires_at: None,
            rate_limit_per_minute: None,
        },
    )
    .await?;
    let how_to_log_in = format!(
        "curl -s -X POST {base_url}/v1/auth/token -H 'content-type: application/json' \
         -d '{{\"email\":\"{}\",\"password\":\"{password}\"}}'",
        created.email
    );
    Ok(DemoSummary {
        workspace_id: created.workspace_id,
        owner_email: created.email,
        password: password.to_owned(),
        users: team,
        api_key: key.secret,
        accounts,
        contacts,
        interactions,
        orders,
        model_version: model.version,
        spend_model: model.gamma_gamma.as_ref().map(|g| g.spend_model.clone()),
        model_issues: model
            .issues
            .iter()
            .map(|i| format!("{}: {} ({})", i.model, i.message, i.code))
            .collect(),
        loyalty,
        pipelines,
        deals,
        campaigns,
        how_to_log_in,
    })
}

pub const DEMO_ACCOUNTS: usize = 1_200;

const FIRST: [&str; 24] = [
    "Ada",
    "Grace",
    "Alan",
    "Margaret",
    "Linus",
    "Barbara",
    "Dennis",
    "Frances",
    "Ken",
    "Radia",
    "Tim",
    "Hedy",
    "Donald",
    "Karen",
    "Edsger",
    "Sophie",
    "John",
    "Katherine",
    "Niklaus",
    "Anita",
    "Yukihiro",
    "Shafi",
    "Guido",
    "Mary",
];
const LAST: [&str; 24] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Hamilton",
    "Torvalds",
    "Liskov",
    "Ritchie",
    "Allen",
    "Thompson",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "Knuth",
    "Jones",
    "Dijkstra",
    "Wilson",
    "McCarthy",
    "Johnson",
    "Wirth",
    "Borg",
    "Matsumoto",
    "Goldwasser",
    "van Rossum",
    "Keller",
];
const COMPANY: [&str; 12] = [
    "Northwind",
    "Contoso",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Acme",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Tyrell",
];
const COMPANY_KIND: [&str; 6] = ["Traders", "Logistics", "Foods", "Studios", "Labs", "Retail"];
const CITIES: [(&str, &str); 8] = [
    ("Paris", "FR"),
    ("Lyon", "FR"),
    ("Berlin", "DE"),
    ("Madrid", "ES"),
    ("London", "GB"),
    ("Milan", "IT"),
    ("Amsterdam", "NL"),
    ("Lisbon", "PT"),
];
const CHANNELS: [(&str, i64); 5] = [
    ("organic_search", 0),
    ("paid_search", 3_500),
    ("social", 2_200),
    ("referral", 1_000),
    ("store", 500),
];

/// Realistic customers, the same on every run (a fixed seed): people and companies across
/// cities, stages, channels and consent.
async fn demo_accounts(
    state: &AppState,
    system: &Principal,
    owners: &[String],
    count: usize,
) -> Result<Vec<(String, bool)>, ApiError> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut created = Vec::new();
    let mut items = Vec::with_capacity(count);
    for i in 0..count {
        let organization = rng.random_bool(0.2);
        let (city, country) = CITIES[rng.random_range(0..CITIES.len())];
        let name = if organization {
            format!(
                "{} {}",
                COMPANY[rng.random_range(0..COMPANY.len())],
                COMPANY_KIND[rng.random_range(0..COMPANY_KIND.len())]
            )
        } else {
            format!(
                "{} {}",
                FIRST[rng.random_range(0..FIRST.len())],
                LAST[rng.random_range(0..LAST.len())]
            )
        };
        let handle = name.to_lowercase().replace([' ', '-'], ".");
        let stage = match rng.random_range(0..10) {
            0..=1 => "lead",
            2 => "prospect",
            3..=8 => "customer",
            _ => "churned",
        };
        let (channel, cost) = CHANNELS[rng.random_range(0..CHANNELS.len())];
        let mut tags = Vec::new();
        if rng.random_bool(0.1) {
            tags.push("vip".to_owned());
        }
        if rng.random_bool(0.3) {
            tags.push("newsletter".to_owned());
        }
        if organization {
            tags.push("b2b".to_owned());
        }
        let granted = rng.random_bool(0.6);
        items.push(AccountInput {
            kind: Some(if organization { "organization" } else { "person" }.to_owned()),
            name: Some(name),
            emails: Some(vec![format!("{handle}{i}@example.com")]),
            phones: Some(vec![format!("+33 6 {:02} {:02} {:02} {:02}", rng.random_range(0..100), rng.random_range(0..100), rng.random_range(0..100), i % 100)]),
            address: Some(Address { line1: None, line2: None, city: Some(city.to_owned()), region: None, postal_code: None, country: Some(country.to_owned()) }),
            tags: Some(tags),
            attributes: Some(serde_json::json!({ "preferred_language": if country == "FR" { "fr" } else { "en" } })),
            lifecycle_stage: Some(stage.to_owned()),
            owner_id: (!owners.is_empty()).then(|| owners[i % owners.len()].clone()),
            acquisition_channel: Some(channel.to_owned()),
            acquisition_cost: (cost > 0).then(|| Money { amount: cost, currency: "EUR".to_owned() }),
            marketing_consent: Some(ConsentChanges {
                email: Some(ConsentChange { granted, method: Some("checkbox".into()), source: Some("signup_form".into()), at: None }),
                sms: None,
                push: None,
            }),
            external_id: Some(format!("demo-{i:05}")),
        });
    }
    for chunk in items.chunks(accounts::MAX_BATCH) {
        let batch = AccountBatch {
            accounts: chunk.to_vec(),
        };
        if let Outcome::Fresh(result) = accounts::batch_upsert(state, system, batch, None).await? {
            for (item, input) in result.results.iter().zip(chunk) {
                if let (Some(id), "created") = (&item.id, item.status) {
                    created.push((id.clone(), input.kind.as_deref() == Some("organization")));
                }
            }
        }
    }
    Ok(created)
}

const TITLES: [&str; 5] = [
    "Head of Purchasing",
    "CFO",
    "Office Manager",
    "Store Manager",
    "CTO",
];
const SUBJECTS: [(&str, &str, &str); 7] = [
    ("call", "phone", "Follow-up on last order"),
    ("email", "email", "Quote for the spring collection"),
    ("meeting", "store", "In-store visit"),
    ("note", "web", "Browsed the loyalty page three times"),
    ("ticket", "chat", "Late delivery"),
    ("feedback", "app", "Rated the app 4/5"),
    ("task", "phone", "Call back about renewal"),
];

/// Contacts at the organizations and a couple of years of timeline for everyone.
async fn demo_timeline(
    state: &AppState,
    system: &Principal,
    accounts: &[(String, bool)],
) -> Result<(usize, usize), ApiError> {
    let mut rng = StdRng::seed_from_u64(11);
    let (mut contacts_made, mut interactions_made) = (0, 0);
    let now = chrono::Utc::now();
    for (i, (account_id, organization)) in accounts.iter().enumerate() {
        if *organization {
            for n in 0..rng.random_range(1..=3) {
                let first = FIRST[rng.random_range(0..FIRST.len())];
                let last = LAST[rng.random_range(0..LAST.len())];
                let input = ContactInput {
                    name: Some(format!("{first} {last}")),
                    title: Some(TITLES[rng.random_range(0..TITLES.len())].to_owned()),
                    email: Some(format!(
                        "{}.{}{i}@example.com",
                        first.to_lowercase(),
                        last.to_lowercase().replace(' ', "")
                    )),
                    phone: None,
                    is_primary: Some(n == 0),
                };
                contacts::create(state, system, account_id, input, None).await?;
                contacts_made += 1;
            }
        }
        for _ in 0..rng.random_range(0..=3) {
            let (kind, channel, subject) = SUBJECTS[rng.random_range(0..SUBJECTS.len())];
            let days_ago = rng.random_range(0..730);
            let task = kind == "task";
            let input = InteractionInput {
                kind: Some(kind.to_owned()),
                channel: Some(channel.to_owned()),
                direction: Some(
                    if rng.random_bool(0.5) {
                        "inbound"
                    } else {
                        "outbound"
                    }
                    .to_owned(),
                ),
                subject: Some(subject.to_owned()),
                body: None,
                occurred_at: Some(now - chrono::Duration::days(days_ago)),
                contact_id: None,
                due_at: task.then(|| now - chrono::Duration::days(days_ago - 3)),
                done: task.then_some(days_ago > 30),
                external_id: None,
            };
            interactions::create(state, system, account_id, input, None).await?;
            interactions_made += 1;
        }
    }
    Ok((contacts_made, interactions_made))
}

/// Three years of purchases, by customer type: (share, mean days between purchases, the
/// fraction of the customer's life after which they stop buying).
const CUSTOMER_TYPES: [(f64, f64, f64); 5] = [
    (0.25, 18.0, 1.0),  // loyal
    (0.30, 45.0, 1.0),  // regular
    (0.20, 35.0, 0.6),  // lapsing: stopped a while ago
    (0.15, 30.0, 0.25), // lost: bought early, long gone
    (0.10, 0.0, 0.0),   // one purchase only
];

async fn demo_orders(
    state: &AppState,
    system: &Principal,
    accounts: &[(String, bool)],
) -> Result<usize, ApiError> {
    use crate::service::orders::{self, OrderBatch, OrderInput};
    use chrono::{Datelike, Duration, Utc};
    let mut rng = StdRng::seed_from_u64(1989);
    let end = Utc::now() - Duration::hours(1);
    let span_days = 3.0 * 365.0;
    let mut all = Vec::new();
    // Line items come from their own stream, so the purchase pattern above stays the same.
    let mut shop = StdRng::seed_from_u64(2026);
    for (n, (account_id, organization)) in accounts.iter().enumerate() {
        let interest = shop.random_range(0..DEMO_THEMES.len());
        let pick: f64 = rng.random();
        let mut acc = 0.0;
        let (_, gap, active) = CUSTOMER_TYPES
            .iter()
            .copied()
            .find(|(share, _, _)| {
                acc += share;
                pick < acc
            })
            .unwrap_or(CUSTOMER_TYPES[1]);
        let start: f64 = rng.random_range(0.0..span_days - 30.0);
        let stop = start + (span_days - start) * active;
        // Gamma-Gamma-shaped spend: each customer's mean order value varies across customers
        // (an inverse gamma), each order around it (a gamma with shape 4).
        let gamma = |rng: &mut StdRng, shape: u32| -> f64 {
            (0..shape)
                .map(|_| -rng.random_range(f64::EPSILON..1.0f64).ln())
                .sum::<f64>()
                / f64::from(shape)
        };
        let base = if *organization { 30_000.0 } else { 5_000.0 };
        let basket = base / gamma(&mut rng, 4).max(0.2);
        let mut day = start;
        let mut k = 0;
        loop {
            let at = end - Duration::minutes(((span_days - day) * 1440.0) as i64);
            // November and December sell more: keep fewer purchases outside them.
            let peak = matches!(at.month(), 11 | 12);
            if k == 0 || peak || rng.random_bool(0.75) {
                let amount = (basket * gamma(&mut rng, 4)).max(100.0) as i64;
                all.push(OrderInput {
                    account_id: Some(account_id.clone()),
                    external_id: Some(format!("demo-{n}-{k}")),
                    amount: Some(amount),
                    currency: Some("USD".into()),
                    cost: Some(amount * rng.random_range(55..72) / 100),
                    occurred_at: Some(at),
                    channel: Some(["web", "app", "store"][rng.random_range(0..3)].into()),
                    items: Some(demo_basket(&mut shop, interest, amount)),
                    ..Default::default()
                });
            }
            k += 1;
            if gap == 0.0 {
                break;
            }
            day += -rng.random_range(f64::EPSILON..1.0f64).ln() * gap;
            if day >= stop || day >= span_days {
                break;
            }
        }
    }
    let total = all.len();
    for chunk in all.chunks(orders::MAX_BATCH) {
        let batch = OrderBatch {
            orders: chunk.to_vec(),
        };
        orders::create_batch(state, system, batch, None).await?;
    }
    Ok(total)
}

/// The demo shop's products by theme: (SKU, name, category, price weight, bought again every
/// so many days; 0 for durable goods). A customer keeps to one theme, mostly, so products of
/// a theme are bought together and the recommendations have real structure to find.
type DemoProduct = (&'static str, &'static str, &'static str, u32, u32);

const DEMO_THEMES: [&[DemoProduct]; 4] = [
    &[
        ("RUN-SHOE", "Trail running shoes", "footwear", 12, 0),
        ("RUN-SOCK", "Running socks, 3 pairs", "apparel", 2, 0),
        ("RUN-VEST", "Hydration vest", "accessories", 8, 0),
        ("RUN-JACKET", "Running jacket", "apparel", 10, 0),
        ("RUN-GEL", "Energy gels, 12-pack", "nutrition", 2, 21),
    ],
    &[
        ("CMP-TENT", "Two-person tent", "outdoor", 20, 0),
        ("CMP-BAG", "Sleeping bag", "outdoor", 12, 0),
        ("CMP-STOVE", "Camping stove", "outdoor", 6, 0),
        ("CMP-TORCH", "Head torch", "accessories", 3, 0),
        ("CMP-GAS", "Gas canister", "outdoor", 1, 30),
    ],
    &[
        ("CLB-SHOE", "Climbing shoes", "footwear", 10, 0),
        ("CLB-HARNESS", "Climbing harness", "accessories", 7, 0),
        ("CLB-ROPE", "Dynamic rope, 60 m", "outdoor", 15, 0),
        ("CLB-BELAY", "Belay device", "accessories", 3, 0),
        ("CLB-CHALK", "Chalk refill", "accessories", 1, 28),
    ],
    &[
        ("HIK-BOOT", "Hiking boots", "footwear", 14, 0),
        ("HIK-POLES", "Trekking poles", "accessories", 5, 0),
        ("HIK-PACK", "Day pack, 25 L", "outdoor", 8, 0),
        ("HIK-MAP", "Trail map set", "accessories", 1, 0),
        ("HIK-BAR", "Protein bars, box of 24", "nutrition", 2, 28),
    ],
];

/// One demo order's lines: the theme's refill half the time, one or two of its other
/// products (now and then one of another theme), the order's amount split by price weight.
fn demo_basket(
    shop: &mut StdRng,
    interest: usize,
    amount: i64,
) -> Vec<crate::service::orders::LineItem> {
    let theme = DEMO_THEMES[interest % DEMO_THEMES.len()];
    let mut picked: Vec<DemoProduct> = Vec::new();
    let add = |p: DemoProduct, picked: &mut Vec<DemoProduct>| {
        if !picked.iter().any(|q| q.0 == p.0) {
            picked.push(p);
        }
    };
    for p in theme.iter().filter(|p| p.4 > 0) {
        if shop.random_bool(0.5) {
            add(*p, &mut picked);
        }
    }
    let durable: Vec<DemoProduct> = theme.iter().copied().filter(|p| p.4 == 0).collect();
    let wanted = if picked.is_empty() { 1 } else { 0 } + usize::from(shop.random_bool(0.6));
    for _ in 0..wanted.max(1) {
        add(durable[shop.random_range(0..durable.len())], &mut picked);
    }
    if shop.random_bool(0.15) {
        let other = DEMO_THEMES[shop.random_range(0..DEMO_THEMES.len())];
        add(other[shop.random_range(0..other.len())], &mut picked);
    }
    let weights: i64 = picked.iter().map(|p| i64::from(p.3)).sum();
    let mut left = amount;
    let last = picked.len() - 1;
    picked
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let price = if i == last {
                left
            } else {
                amount * i64::from(p.3) / weights.max(1)
            };
            left -= price;
            crate::service::orders::LineItem {
                sku: p.0.into(),
                name: Some(p.1.into()),
                quantity: 1,
                unit_price: price,
                category: Some(p.2.into()),
            }
        })
        .collect()
}

/// (name, probability, kind) of each stage, in order.
type StagePlan = [(&'static str, i32, &'static str)];

const NEW_BUSINESS: &StagePlan = &[
    ("Lead", 10, "open"),
    ("Qualified", 30, "open"),
    ("Proposal", 60, "open"),
    ("Negotiation", 80, "open"),
    ("Won", 100, "won"),
    ("Lost", 0, "lost"),
];
const RENEWALS: &StagePlan = &[
    ("Up for renewal", 50, "open"),
    ("Negotiating", 75, "open"),
    ("Renewed", 100, "won"),
    ("Churned", 0, "lost"),
];
const DEAL_SOURCES: [&str; 5] = ["inbound", "referral", "outbound", "event", "partner"];
const LOST_REASONS: [&str; 4] = [
    "Price too high",
    "Went with a competitor",
    "No budget this year",
    "No decision",
];
pub const DEMO_DEALS: usize = 360;

/// Two pipelines and a year of deals moving through them: most won or lost, the rest still
/// open, each move at its own time in the past (the same on every run: a fixed seed).
async fn demo_deals(
    state: &AppState,
    system: &Principal,
    accounts: &[(String, bool)],
    owners: &[String],
) -> Result<(usize, usize), ApiError> {
    let mut rng = StdRng::seed_from_u64(13);
    let mut pipelines = Vec::new();
    for (name, plan) in [("New business", NEW_BUSINESS), ("Renewals", RENEWALS)] {
        let input = PipelineInput {
            name: Some(name.to_owned()),
            stages: Some(
                plan.iter()
                    .map(|(n, p, k)| StageInput {
                        id: None,
                        name: Some((*n).to_owned()),
                        probability: Some(*p),
                        kind: Some((*k).to_owned()),
                    })
                    .collect(),
            ),
        };
        if let Outcome::Fresh(p) = deals::create_pipeline(state, system, input, None).await? {
            pipelines.push(p);
        }
    }
    let now = chrono::Utc::now();
    let mut made = 0;
    // B2B deals are with organizations: a won deal is recorded as an order of the
    // organization, never in a retail customer's order stream.
    let organizations: Vec<&String> = accounts
        .iter()
        .filter(|(_, organization)| *organization)
        .map(|(id, _)| id)
        .collect();
    if organizations.is_empty() {
        return Ok((pipelines.len(), 0));
    }
    for i in 0..DEMO_DEALS {
        let Some(pipeline) = pipelines.get(usize::from(i % 4 == 3)) else {
            break;
        };
        let open: Vec<&str> = pipeline
            .stages
            .iter()
            .filter(|s| s.kind == "open")
            .map(|s| s.id.as_str())
            .collect();
        let closing = |kind: &str| {
            pipeline
                .stages
                .iter()
                .find(|s| s.kind == kind)
                .map(|s| s.id.clone())
        };
        let (Some(won), Some(lost)) = (closing("won"), closing("lost")) else {
            break;
        };
        let mut at = now - chrono::Duration::hours(rng.random_range(24 * 20..24 * 365));
        let account_id = organizations[(i * 7) % organizations.len()];
        let amount = rng.random_range(5_000..200_000) * 100;
        let input = DealInput {
            account_id: Some(account_id.clone()),
            title: Some(format!(
                "{} #{}",
                if i % 4 == 3 { "Renewal" } else { "New order" },
                1000 + i
            )),
            amount: Some(amount),
            currency: Some(if i % 10 == 9 { "USD" } else { "EUR" }.to_owned()),
            pipeline_id: Some(pipeline.id.clone()),
            owner_id: (!owners.is_empty()).then(|| owners[i % owners.len()].clone()),
            expected_close_on: Some(
                (at + chrono::Duration::days(rng.random_range(20..120))).date_naive(),
            ),
            source: Some(DEAL_SOURCES[rng.random_range(0..DEAL_SOURCES.len())].to_owned()),
            opened_at: Some(at),
            ..DealInput::default()
        };
        let Outcome::Fresh(deal) = deals::create_deal(state, system, input, None).await? else {
            continue;
        };
        made += 1;
        // Walk forward through the open stages, then win, lose, or stay open.
        let mut version = deal.version;
        let mut position = 0;
        loop {
            at += chrono::Duration::hours(rng.random_range(12..24 * 14));
            if at >= now {
                break;
            }
            let roll = rng.random_range(0..100);
            let (stage_id, lost_reason) = if roll < 12 {
                (
                    lost.clone(),
                    Some(LOST_REASONS[rng.random_range(0..LOST_REASONS.len())].to_owned()),
                )
            } else if position + 1 >= open.len() && roll < 70 {
                (won.clone(), None)
            } else if position + 1 < open.len() && roll < 85 {
                position += 1;
                (open[position].to_owned(), None)
            } else {
                continue;
            };
            let closes = lost_reason.is_some() || stage_id == won;
            let input = MoveInput {
                stage_id,
                lost_reason,
                at: Some(at),
            };
            if let Outcome::Fresh(d) =
                deals::move_deal(state, system, &deal.id, input, Some(version), None).await?
            {
                version = d.version;
            }
            if closes {
                break;
            }
        }
    }
    Ok((pipelines.len(), made))
}

/// The loyalty programme: USD (the orders' currency), 1 point per dollar, tiers on 12
/// months of spend, points expiring after 12 months, a 14-day return window.
async fn demo_loyalty_program(state: &AppState, system: &Principal) -> Result<(), ApiError> {
    use crate::service::loyalty::{self, EarnRateSpec, ProgramInput, TierSpec};
    let tier = |name: &str, threshold: i64, multiplier_permille: u32, benefits: &str| TierSpec {
        name: name.to_owned(),
        threshold,
        multiplier_permille,
        benefits: benefits.to_owned(),
    };
    let input = ProgramInput {
        currency: "USD".into(),
        active: Some(true),
        earn_rate: EarnRateSpec {
            numerator: 1,
            denominator: 100,
        },
        rounding: Some("down".into()),
        qualification: Some("spend".into()),
        qualification_window_days: Some(365),
        tiers: vec![
            tier("Member", 0, 1000, "Points on every order"),
            tier("Silver", 50_000, 1250, "Free shipping"),
            tier(
                "Gold",
                200_000,
                1500,
                "Free shipping, early access to sales",
            ),
        ],
        allow_downgrade: Some(true),
        expiry_months: Some(12),
        pending_days: Some(14),
    };
    loyalty::put_program(state, system, input, None).await?;
    Ok(())
}

const REWARDS: [(&str, i64); 3] = [
    ("Free shipping voucher", 100),
    ("$25 gift card", 250),
    ("Weekend workshop", 1_000),
];

/// Loyalty activity on the orders' points: the jobs run once (points older than 12
/// months expire, tiers are evaluated), a rewards catalog, and members redeeming it.
async fn demo_loyalty_activity(
    state: &AppState,
    system: &Principal,
    accounts: &[(String, bool)],
) -> Result<DemoLoyalty, ApiError> {
    use crate::service::loyalty::{self, RedeemInput, RewardInput};
    let (jobs, committed) = state
        .db
        .run(|conn| loyalty::run_jobs(conn, crate::service::now()))
        .await?;
    crate::service::pipeline::apply_all(state, committed).await;
    let mut rewards = Vec::new();
    for (name, points_cost) in REWARDS {
        let input = RewardInput {
            name: Some(name.to_owned()),
            points_cost: Some(points_cost),
            ..RewardInput::default()
        };
        if let Outcome::Fresh(r) = loyalty::create_reward(state, system, input, None).await? {
            rewards.push((r.id, points_cost));
        }
    }
    let mut summary = DemoLoyalty {
        rewards: rewards.len(),
        expired_lots: jobs.expired_lots,
        expired_points: jobs.expired_points,
        ..DemoLoyalty::default()
    };
    let ws = system.workspace_id.clone();
    let ids: Vec<String> = accounts.iter().map(|(id, _)| id.clone()).collect();
    let balances = state
        .db
        .run(move |conn| {
            let at = crate::service::now();
            let mut out = Vec::new();
            for id in ids {
                if let Some(b) = loyalty::balance(conn, &ws, &id, at)? {
                    out.push(b);
                }
            }
            Ok(out)
        })
        .await?;
    // Every third member with points redeems the dearest reward they can afford.
    for (n, b) in balances.iter().enumerate() {
        if b.lifetime_earned > 0 {
            summary.members += 1;
        }
        if b.expiring_in_30_days > 0 {
            summary.members_with_points_expiring_in_30_days += 1;
        }
        if b.tier.as_ref().is_some_and(|t| t.name != "Member") {
            summary.members_in_a_tier += 1;
        }
        if n % 3 != 0 {
            continue;
        }
        let Some((reward_id, _)) = rewards.iter().rev().find(|(_, cost)| *cost <= b.available)
        else {
            continue;
        };
        let input = RedeemInput {
            points: None,
            reward_id: Some(reward_id.clone()),
            note: Some("demo".into()),
        };
        if let Outcome::Fresh(_) =
            loyalty::redeem(state, system, &b.account_id, input, None).await?
        {
            summary.redemptions += 1;
        }
    }
    Ok(summary)
}

/// (name, channel, days ago launched, window days, treated and control purchase
/// probabilities in the window, cost fixed, cost per contact).
type CampaignPlan = (&'static str, &'static str, i64, i32, f64, f64, i64, i64);

const CAMPAIGNS: [CampaignPlan; 3] = [
    (
        "Spring win-back e-mail",
        "email",
        150,
        30,
        0.60,
        0.12,
        40_000,
        15,
    ),
    (
        "Summer call to lapsing customers",
        "call",
        100,
        14,
        0.55,
        0.11,
        25_000,
        400,
    ),
    (
        "In-store coupon week",
        "in_store",
        60,
        21,
        0.15,
        0.15,
        10_000,
        50,
    ),
];

/// Past campaigns on the buyers, launched as of their date in the past; the orders of the
/// window are generated per arm with the plan's probabilities (a real, built-in effect, or
/// none), so the results show a measurable uplift where there is one.
async fn demo_campaigns(
    state: &AppState,
    system: &Principal,
) -> Result<Vec<DemoCampaign>, ApiError> {
    use crate::service::campaigns::{self as campaigns, launch, CampaignInput};
    use crate::service::orders::{self, OrderBatch, OrderInput};
    use crate::service::rule_segments::{self, SegmentInput};
    use chrono::{Duration, Utc};
    let segment = match rule_segments::create(
        state,
        system,
        SegmentInput {
            name: "Buyers (people)".into(),
            description: Some("Every person with at least one purchase".into()),
            rule: serde_json::json!({"all": [
                {"field": "orders_count", "op": ">=", "value": 1},
                {"field": "kind", "op": "=", "value": "person"}
            ]}),
            tracked: false,
        },
        None,
    )
    .await?
    {
        Outcome::Fresh(s) => s,
        Outcome::Replay { .. } => return Err(ApiError::internal("a demo write was replayed")),
    };
    let mut rng = StdRng::seed_from_u64(2112);
    let mut out = Vec::new();
    for (n, (name, channel, days_ago, window, p_treated, p_control, fixed, per_contact)) in
        CAMPAIGNS.into_iter().enumerate()
    {
        let created = campaigns::create(
            state,
            system,
            CampaignInput {
                name: name.into(),
                goal: Some("More purchases in the window than the control group".into()),
                channel: channel.into(),
                segment_id: segment.id.clone(),
                offer_id: None,
                currency: None,
                cost_fixed: fixed,
                cost_per_contact: per_contact,
                attribution_window_days: Some(window),
                control_share: Some(0.25),
                stratify: Some(true),
                respect_global_control: Some(true),
                conversion_category: None,
            },
            None,
        )
        .await?;
        let Outcome::Fresh(created) = created else {
            return Err(ApiError::internal("a demo write was replayed"));
        };
        let launched_at = Utc::now() - Duration::days(days_ago);
        let id = created.id.clone();
        let at = crate::service::stored(launched_at);
        let campaign = crate::service::pipeline::run(state, system, move |conn, cx| {
            launch::launch_at(conn, cx, &id, at)
        })
        .await?;
        let (ws, id) = (system.workspace_id.clone(), created.id.clone());
        let members = state
            .db
            .run(move |conn| {
                Ok(rapport_persistence::campaigns::members(
                    conn,
                    &ws,
                    &id,
                    None,
                    None,
                    i64::MAX,
                )?)
            })
            .await?;
        let window_secs = i64::from(window) * 86_400;
        let mut placed = Vec::new();
        for (k, m) in members.iter().enumerate() {
            let p = if m.arm == "treatment" {
                p_treated
            } else {
                p_control
            };
            if rng.random_bool(p) {
                let amount = rng.random_range(5_000..15_000);
                placed.push(OrderInput {
                    account_id: Some(m.account_id.clone()),
                    external_id: Some(format!("demo-campaign-{n}-{k}")),
                    amount: Some(amount),
                    currency: Some("USD".into()),
                    cost: Some(amount * rng.random_range(55..72) / 100),
                    occurred_at: Some(
                        launched_at + Duration::seconds(rng.random_range(60..window_secs)),
                    ),
                    channel: Some("web".into()),
                    ..Default::default()
                });
            }
        }
        for chunk in placed.chunks(orders::MAX_BATCH) {
            let batch = OrderBatch {
                orders: chunk.to_vec(),
            };
            orders::create_batch(state, system, batch, None).await?;
        }
        let audience = campaign.audience.unwrap_or(campaigns::AudienceCounts {
            eligible: 0,
            excluded_no_consent: 0,
            excluded_global_control: 0,
            treated: 0,
            control: 0,
        });
        out.push(DemoCampaign {
            id: campaign.id,
            name: campaign.name,
            treated: audience.treated,
            control: audience.control,
            built_in_conversion: (p_treated, p_control),
        });
    }
    // The windows have closed: completed now (each announced once).
    campaigns::settle(state, system).await?;
    Ok(out)
}

/// Survey responses that follow purchase behaviour (customers who kept buying after they
/// answered are mostly promoters, those who stopped mostly detractors), and complaints
/// from some detractors with a mix of outcomes: points, a refund, no compensation, still
/// open, closed.
async fn demo_feedback(
    state: &AppState,
    system: &Principal,
    accounts: &[(String, bool)],
) -> Result<(), ApiError> {
    use crate::service::complaints::{self, ComplaintInput, ResolveInput, StatusInput};
    use crate::service::feedback::{self, FeedbackBatch, FeedbackInput};
    let mut rng = StdRng::seed_from_u64(2323);
    let ws = system.workspace_id.clone();
    let ids: Vec<String> = accounts.iter().map(|(id, _)| id.clone()).collect();
    let metrics = state
        .db
        .run(move |conn| {
            Ok(rapport_persistence::value::find_metrics_many(
                conn, &ws, &ids,
            )?)
        })
        .await?;
    let at = crate::service::now();
    let touchpoints = ["purchase", "delivery", "support", "app", "store", "web"];
    let mut responses = Vec::new();
    let mut detractors = Vec::new();
    for m in &metrics {
        let (Some(first), Some(last)) = (m.first_order_at, m.last_order_at) else {
            continue;
        };
        if !rng.random_bool(0.6) {
            continue;
        }
        let answered = first + chrono::Duration::days(rng.random_range(3..40));
        if answered >= at {
            continue;
        }
        let kept_buying = last > answered + chrono::Duration::days(45);
        let nps: i32 = if kept_buying {
            [10, 10, 9, 9, 9, 8, 8, 7, 6, 5][rng.random_range(0..10)]
        } else {
            [9, 8, 7, 6, 6, 5, 4, 3, 2, 0][rng.random_range(0..10)]
        };
        let csat = (nps / 2).clamp(1, 5);
        let order_id = None;
        if nps <= 6 {
            detractors.push((m.account_id.clone(), answered));
        }
        responses.push(FeedbackInput {
            account_id: Some(m.account_id.clone()),
            external_id: Some(format!("demo-survey-{}", responses.len() + 1)),
            nps: Some(nps),
            csat: Some(csat),
            ces: rng.random_bool(0.3).then(|| rng.random_range(1..=7)),
            touchpoint: Some(touchpoints[rng.random_range(0..touchpoints.len())].to_owned()),
            channel: Some(if rng.random_bool(0.7) { "email" } else { "app" }.to_owned()),
            order_id,
            occurred_at: Some(crate::service::utc(answered)),
            ..Default::default()
        });
    }
    for chunk in responses.chunks(feedback::MAX_BATCH) {
        feedback::create_batch(
            state,
            system,
            FeedbackBatch {
                responses: chunk.to_vec(),
            },
            None,
        )
        .await?;
    }
    let categories = ["delivery", "product_quality", "billing", "service"];
    let severities = ["low", "medium", "high", "critical"];
    for (i, (account_id, answered)) in detractors.iter().take(40).enumerate() {
        let opened = *answered + chrono::Duration::hours(rng.random_range(1..48));
        if opened >= at {
            continue;
        }
        let complaint = complaints::create(
            state,
            system,
            ComplaintInput {
                account_id: Some(account_id.clone()),
                category: Some(categories[i % categories.len()].to_owned()),
                severity: Some(severities[rng.random_range(0..severities.len())].to_owned()),
                channel: Some("phone".into()),
                subject: Some("Unhappy after the survey".into()),
                opened_at: Some(crate::service::utc(opened)),
                ..Default::default()
            },
            None,
        )
        .await?;
        let id = match complaint {
            crate::service::idempotency::Outcome::Fresh(c) => c.id,
            crate::service::idempotency::Outcome::Replay { .. } => continue,
        };
        let resolve = |outcome: &str, points: Option<i64>| ResolveInput {
            outcome: Some(outcome.to_owned()),
            points,
            refund: None,
            voucher: None,
        };
        match i % 5 {
            0 => {
                complaints::resolve(
                    state,
                    system,
                    &id,
                    resolve("Apologised; goodwill points", Some(500)),
                    None,
                )
                .await?;
            }
            1 => {
                complaints::resolve(
                    state,
                    system,
                    &id,
                    resolve("Explained the policy", None),
                    None,
                )
                .await?;
                complaints::change_status(
                    state,
                    system,
                    &id,
                    StatusInput {
                        status: Some("closed".into()),
                        note: None,
                    },
                    None,
                )
                .await?;
            }
            2 => {
                complaints::change_status(
                    state,
                    system,
                    &id,
                    StatusInput {
                        status: Some("in_progress".into()),
                        note: Some("Called the customer back".into()),
                    },
                    None,
                )
                .await?;
            }
            3 => {
                complaints::resolve(
                    state,
                    system,
                    &id,
                    resolve("Replacement sent", Some(200)),
                    None,
                )
                .await?;
            }
            _ => {} // still open
        }
    }
    Ok(())
}
