//! A seeded fuzzer through the `Host` contract: random names (registered or
//! not) × random JS-like values, including the hostile shapes (NaN, huge and
//! negative numbers, deep and wide objects, functions where data belongs, odd
//! strings), plus random methods on every object that comes back. Checks that
//! nothing panics out of the host, that every async call settles exactly once,
//! and that the host ends idle with nothing pending.
//!
//! CI runs a few thousand calls. A longer run is one command away:
//! `WX_FUZZ_CALLS=200000 WX_FUZZ_SEED=7 cargo test --release -p wx-apis --test fuzz_host -- --nocapture`

use std::collections::HashMap;
use std::time::{Duration, Instant};
use wx_apis::network::{DomainList, NetworkConfig};
use wx_core::{App, Delivery, FunctionId, Host, Object, Registry, Returned, Value};

/// xorshift64*: deterministic for a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const NUMBERS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    1000.0,
    3000.0,
    65536.0,
    1e300,
    -1e300,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    9_007_199_254_740_993.0,
    2_147_483_648.0,
];
const STRINGS: &[&str] = &[
    "",
    "k",
    "GET",
    "post",
    "arraybuffer",
    "manual",
    "wxfile://usr/a",
    "wxfile://tmp/../x",
    "wxfile://usr/../../etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1:9/",
    "https://example.invalid/",
    "ws://127.0.0.1:9/",
    "javascript:alert(1)",
    "\u{0}",
    "\u{fffd}",
    "$wx::Date",
    "$wx",
    "__proto__",
    "constructor",
    "request.success",
    "SocketTask",
    "onCompassChange",
];
const KEYS: &[&str] = &[
    "url",
    "key",
    "data",
    "encrypt",
    "method",
    "header",
    "timeout",
    "responseType",
    "dataType",
    "filePath",
    "name",
    "formData",
    "code",
    "reason",
    "protocols",
    "redirect",
    "enableChunked",
    "success",
    "fail",
    "complete",
    "$wx::Date",
    "__proto__",
];

fn value(rng: &mut Rng, depth: usize, next_fn: &mut u64) -> Value {
    match rng.below(if depth > 3 { 6 } else { 9 }) {
        0 => Value::Undefined,
        1 => Value::Null,
        2 => Value::Bool(rng.chance(50)),
        3 => Value::Number(NUMBERS[rng.below(NUMBERS.len())]),
        4 => Value::String(STRINGS[rng.below(STRINGS.len())].to_owned()),
        5 => {
            *next_fn += 1;
            Value::Function(FunctionId(*next_fn))
        }
        6 => Value::Array(
            (0..rng.below(5))
                .map(|_| value(rng, depth + 1, next_fn))
                .collect(),
        ),
        7 => match rng.below(3) {
            0 => Value::ArrayBuffer(vec![0; rng.below(64)]),
            1 => Value::Date(NUMBERS[rng.below(NUMBERS.len())]),
            _ => Value::String("x".repeat(rng.below(200_000))),
        },
        _ => Value::from(object(rng, depth + 1, next_fn)),
    }
}

fn object(rng: &mut Rng, depth: usize, next_fn: &mut u64) -> Object {
    (0..rng.below(6))
        .map(|_| {
            (
                KEYS[rng.below(KEYS.len())].to_owned(),
                value(rng, depth, next_fn),
            )
        })
        .collect()
}

#[test]
fn random_calls_through_the_host_settle_once_and_never_panic_out() {
    wx_apis::link();
    let calls: usize = std::env::var("WX_FUZZ_CALLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("WX_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(9);
    let dir = std::env::temp_dir().join(format!("wx-fuzz-host-{}-{seed}", std::process::id()));
    // Every URL is refused before a byte is sent: the fuzzer never reaches a network.
    let app = App::builder("wx-fuzz")
        .data_dir(&dir)
        .service(NetworkConfig {
            domains: Some(DomainList::default()),
            on_unchecked: None,
        })
        .build();
    let host = Host::new(app).expect("a registry");
    let registry = Registry::global().unwrap();
    let mut names: Vec<String> = registry.iter().map(|a| a.name.to_owned()).collect();
    names.extend(
        [
            "nope",
            "",
            "constructor",
            "offSocketOpen",
            "getStorageSync ",
        ]
        .map(String::from),
    );
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut next_fn = 1000u64;
    let mut settled: HashMap<wx_core::CallId, usize> = HashMap::new();
    let mut objects = Vec::new();
    let mut failures = 0usize;
    let started = Instant::now();

    for _ in 0..calls {
        let name = names[rng.below(names.len())].clone();
        let mut args: Vec<Value> = (0..rng.below(3))
            .map(|_| value(&mut rng, 0, &mut next_fn))
            .collect();
        if rng.chance(60) {
            // Usually an options object, often with real callbacks.
            let mut options = object(&mut rng, 1, &mut next_fn);
            for key in ["success", "fail", "complete"] {
                if rng.chance(50) {
                    next_fn += 1;
                    options.insert(key.into(), Value::Function(FunctionId(next_fn)));
                }
            }
            args.insert(0, Value::from(options));
        }
        match host.call(&name, args) {
            Ok(Returned::Object(handle)) => objects.push(handle),
            Ok(_) => {}
            Err(_) => failures += 1,
        }
        // Random methods on a live object, sometimes.
        if let (true, false) = (rng.chance(30), objects.is_empty()) {
            let handle = objects[rng.below(objects.len())];
            let methods = [
                "abort",
                "send",
                "close",
                "onHeadersReceived",
                "offHeadersReceived",
                "onOpen",
                "onClose",
                "nope",
            ];
            let method = methods[rng.below(methods.len())];
            let args = (0..rng.below(2))
                .map(|_| value(&mut rng, 0, &mut next_fn))
                .collect();
            let _ = host.call_method(handle, method, args);
        }
        // Listeners are not left running.
        let _ = host.call("offCompassChange", vec![]);
        while let Some(delivery) = host.try_next() {
            if let Delivery::Settle(s) = delivery {
                *settled.entry(s.call).or_default() += 1;
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while !host.is_idle() {
        assert!(
            Instant::now() < deadline,
            "the host is still busy after 30 s: {} pending",
            host.pending_calls()
        );
        if let Some(Delivery::Settle(s)) = host.next(Some(Duration::from_millis(20))) {
            *settled.entry(s.call).or_default() += 1;
        }
    }
    while let Some(delivery) = host.try_next() {
        if let Delivery::Settle(s) = delivery {
            *settled.entry(s.call).or_default() += 1;
        }
    }
    let twice: Vec<_> = settled.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "settled more than once: {twice:?}");
    assert_eq!(host.pending_calls(), 0);
    println!(
        "fuzz_host: seed {seed}, {calls} calls, {} settlements, {failures} thrown, {} objects, {:?}",
        settled.len(),
        objects.len(),
        started.elapsed()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
