//! What the servers in this test binary log, captured in one buffer, for the checks that
//! secrets never reach the logs.

use std::sync::{Arc, Mutex, OnceLock};

/// Debug everywhere but the chattiest libraries (whose debug lines are protocol noise).
const FILTER: &str = "debug,sqlx=info,hyper=info,hyper_util=info,reqwest=info,h2=info,\
                      tower_sessions_core=info";

/// Whether any log line the servers in this test binary wrote so far contains `needle`.
pub fn logs_contain(needle: &str) -> bool {
    let logs = buffer().lock().unwrap();
    logs.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Asserts that `secret` is in no log line while `witness`, a line the same requests log,
/// is: without that positive control a capture that records nothing (another subscriber
/// installed first) would pass every "never logged" check.
pub fn assert_logged_without(witness: &str, secret: &str) {
    assert!(
        logs_contain(witness),
        "the log capture works: {witness:?} was logged"
    );
    assert!(!logs_contain(secret), "{secret:?} reached the logs");
}

/// Installs the capture (once per test binary) as the global subscriber.
pub fn install() {
    buffer();
}

fn buffer() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        tracing_subscriber::fmt()
            .with_env_filter(FILTER)
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .try_init()
            .expect("the log capture is the only subscriber in the test binary");
        buffer
    })
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
