//! One HTTP delivery: POST the envelope (or a batch of them), signed, within the timeout, redirects not followed,
//! the answer read up to a cap. Never fails: every way it can go wrong is an [`Attempt`]
//! that did not deliver, with the reason.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use rapport_persistence::events::EventRow;

use crate::config::WebhooksConfig;
use crate::service::events::Event;
use crate::service::webhooks::{signing, target};

/// Bytes of a receiver's answer read at most (the rest is dropped with the connection).
const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// Characters of a failed answer kept in the delivery log.
const MAX_ERROR_CHARS: usize = 500;
pub const USER_AGENT: &str = concat!("Rapport-Webhooks/", env!("CARGO_PKG_VERSION"));

/// How one attempt went.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// A 2xx answer.
    pub delivered: bool,
    pub status_code: Option<u16>,
    pub latency_ms: i64,
    pub error: Option<String>,
}

/// One POST's body and what its headers say of it.
pub struct Request {
    pub body: Vec<u8>,
    /// `Rapport-Event-Id` and `Rapport-Event-Type` of a single event, or `None` for a
    /// batch (`Rapport-Event-Count` then).
    pub single: Option<(String, String)>,
    pub count: usize,
}

impl Request {
    /// `events` as one POST: the envelope itself when the subscription takes one event per
    /// POST (`batched` false; `events` then holds one), else `{"data": [envelope, …]}`.
    pub fn of(mut events: Vec<EventRow>, batched: bool) -> Result<Self, serde_json::Error> {
        let count = events.len();
        if !batched && count == 1 {
            if let Some(event) = events.pop() {
                let single = (event.id.clone(), event.event_type.clone());
                return Ok(Self {
                    body: serde_json::to_vec(&Event::from(event))?,
                    single: Some(single),
                    count,
                });
            }
        }
        /// A batch's body: its envelopes written as they are (no `Value` tree, fields in the
        /// envelope's order).
        #[derive(serde::Serialize)]
        struct Batch {
            data: Vec<Event>,
        }
        let data = events.into_iter().map(Event::from).collect();
        let body = serde_json::to_vec(&Batch { data })?;
        Ok(Self {
            body,
            single: None,
            count,
        })
    }
}

/// The HTTP client deliveries share (connection pool, resolver, timeout).
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    pub fn new(config: &WebhooksConfig) -> Result<Self, reqwest::Error> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(Duration::from_millis(config.timeout_ms))
            .connect_timeout(Duration::from_millis(config.timeout_ms))
            // A 3xx is a failed delivery: following it could lead anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(30));
        if !config.allow_private {
            builder = builder.dns_resolver(Arc::new(target::PublicOnlyResolver));
        }
        Ok(Self {
            client: builder.build()?,
            allow_private: config.allow_private,
        })
    }

    /// POSTs `request` to `url`, signed with each of `secrets`.
    pub async fn send(&self, url: &str, request: Request, secrets: &[&str]) -> Attempt {
        let started = Instant::now();
        let elapsed =
            |started: Instant| i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        // Checked again here: the switch may have been turned off since the subscription
        // was saved, and a literal address never reaches the resolver.
        if let Err(reason) = target::check_url(url, self.allow_private) {
            return Attempt {
                delivered: false,
                status_code: None,
                latency_ms: 0,
                error: Some(format!("target refused: {reason}")),
            };
        }
        let signature = signing::header(secrets, Utc::now().timestamp(), &request.body);
        let mut post = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Rapport-Signature", signature);
        post = match &request.single {
            Some((id, event_type)) => post
                .header("Rapport-Event-Id", id)
                .header("Rapport-Event-Type", event_type),
            None => post.header("Rapport-Event-Count", request.count),
        };
        let sent = post.body(request.body).send().await;
        let mut response = match sent {
            Ok(response) => response,
            Err(err) => {
                return Attempt {
                    delivered: false,
                    status_code: None,
                    latency_ms: elapsed(started),
                    error: Some(describe(&err)),
                }
            }
        };
        let status = response.status();
        let mut answer = Vec::new();
        let mut read_error = None;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_RESPONSE_BYTES.saturating_sub(answer.len());
                    answer.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if answer.len() >= MAX_RESPONSE_BYTES {
                        break;
                    }
                }
                Ok(None) => break,
                Err(err) => {
                    read_error = Some(describe(&err));
                    break;
                }
            }
        }
        let latency_ms = elapsed(started);
        let delivered = status.is_success();
        let error = if delivered {
            None
        } else if status.is_redirection() {
            Some(format!(
                "HTTP {}: redirects are not followed; point the subscription at the final URL",
                status.as_u16()
            ))
        } else if let Some(err) = read_error {
            Some(format!("HTTP {}: {err}", status.as_u16()))
        } else {
            let text: String = String::from_utf8_lossy(&answer)
                .chars()
                .take(MAX_ERROR_CHARS)
                .collect();
            Some(format!("HTTP {}: {}", status.as_u16(), text.trim()))
        };
        Attempt {
            delivered,
            status_code: Some(status.as_u16()),
            latency_ms,
            error,
        }
    }
}

/// A transport failure in a line: timeout, refused, reset, TLS, DNS … with its causes.
fn describe(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut text = kind.to_owned();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.chars().take(MAX_ERROR_CHARS).collect()
}
