//! A webhook receiver on loopback for tests: a small HTTP/1.1 server over tokio TCP (keep-
//! alive, Content-Length bodies) that records every request and answers as told: 200, an
//! error status, a redirect, never (hang), or a connection reset. Also the signature check
//! a partner runs, written from the README's recipe.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Ok,
    Status(u16),
    Redirect,
    /// Never answers (the sender's timeout ends the attempt).
    Hang,
    /// Resets the connection once the request is read.
    Reset,
}

#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    pub json: serde_json::Value,
    /// The status answered; 0 when none was (hang, reset).
    pub answered: u16,
    pub at: SystemTime,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
    pub fn event_id(&self) -> String {
        self.json["id"].as_str().unwrap_or_default().to_owned()
    }
    pub fn sequence(&self) -> i64 {
        self.json["sequence"].as_i64().unwrap_or(-1)
    }
    /// The events this request carried: the envelope itself, or each of a batch's `data`.
    pub fn events(&self) -> Vec<serde_json::Value> {
        match self.json.get("data").and_then(|d| d.as_array()) {
            Some(batch) if self.json.get("id").is_none() => batch.clone(),
            _ => vec![self.json.clone()],
        }
    }
}

struct Inner {
    mode: Mode,
    delay: Duration,
    received: Vec<Received>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl Receiver {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let inner = Arc::new(Mutex::new(Inner {
            mode: Mode::Ok,
            delay: Duration::ZERO,
            received: Vec::new(),
        }));
        let shared = inner.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        Self { url, inner }
    }

    pub fn set_mode(&self, mode: Mode) {
        self.inner.lock().unwrap().mode = mode;
    }

    /// Waits this long before each 200.
    pub fn set_delay(&self, delay: Duration) {
        self.inner.lock().unwrap().delay = delay;
    }

    /// Every request so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    /// The requests answered 2xx, in arrival order.
    pub fn delivered(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| (200..300).contains(&r.answered))
            .collect()
    }

    /// The delivered events de-duplicated by id (first arrival kept), in arrival order.
    pub fn unique_delivered(&self) -> Vec<Received> {
        let mut seen = std::collections::HashSet::new();
        self.delivered()
            .into_iter()
            .filter(|r| seen.insert(r.event_id()))
            .collect()
    }

    /// The events of the delivered requests, batches opened, de-duplicated by id (first
    /// arrival kept), in arrival order.
    pub fn unique_delivered_events(&self) -> Vec<serde_json::Value> {
        let mut seen = std::collections::HashSet::new();
        self.delivered()
            .iter()
            .flat_map(Received::events)
            .filter(|e| seen.insert(e["id"].as_str().unwrap_or_default().to_owned()))
            .collect()
    }

    /// Waits until `done` holds for the requests received (panics after `secs`).
    pub async fn wait_until(&self, secs: u64, what: &str, done: impl Fn(&[Received]) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if done(&self.received()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "receiver: still waiting for {what} after {secs} s; got {} requests",
                self.received().len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn serve(mut stream: TcpStream, inner: Arc<Mutex<Inner>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let head_end = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let headers: HashMap<String, String> = head
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let length: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let end = head_end + 4 + length;
        while buf.len() < end {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_end + 4..end].to_vec();
        buf.drain(..end);
        let (mode, delay) = {
            let inner = inner.lock().unwrap();
            (inner.mode, inner.delay)
        };
        let answered = match mode {
            Mode::Ok => 200,
            Mode::Status(code) => code,
            Mode::Redirect => 302,
            Mode::Hang | Mode::Reset => 0,
        };
        if mode == Mode::Ok && !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        inner.lock().unwrap().received.push(Received {
            json: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
            headers,
            body,
            answered,
            at: SystemTime::now(),
        });
        match mode {
            Mode::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
            Mode::Reset => {
                // A zero linger makes the close a reset (it does not block: nothing is left
                // to send).
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(Duration::ZERO));
                return;
            }
            _ => {}
        }
        let extra = if mode == Mode::Redirect {
            "location: http://127.0.0.1:9/elsewhere\r\n"
        } else {
            ""
        };
        let reply = format!("HTTP/1.1 {answered} X\r\ncontent-length: 2\r\n{extra}\r\nok");
        if stream.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The README's verification recipe: take `t` and every `v1` from `Rapport-Signature`,
/// refuse a `t` more than `tolerance_secs` from now, and accept when some `v1` equals the
/// hex HMAC-SHA256 of `"<t>.<raw body>"` under the secret (compared in constant time).
pub fn verify(header: &str, body: &[u8], secret: &str, tolerance_secs: i64) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(v.to_owned()),
            _ => {}
        }
    }
    let Some(t) = timestamp else { return false };
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    if (now - t).abs() > tolerance_secs {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    signatures
        .iter()
        .any(|s| hex::decode(s).is_ok_and(|bytes| mac.clone().verify_slice(&bytes).is_ok()))
}
