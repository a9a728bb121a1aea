//! lexsarah-serve: a browser form on 127.0.0.1 for writing a lex Sarah case file, checked by
//! lexsarah's own rules as it is typed and previewed by the same engine that makes the PDFs.
//!
//! It is its own crate so that the command-line tool that renders and archives has no web stack.

pub mod api;
pub mod assets;
pub mod edit;
pub mod folder;
pub mod guard;
pub mod profiles;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use folder::Folder;
use guard::Secrets;

/// How much of the machine the server lets its visitors take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client may take to send a request's headers before its connection is closed.
    pub header_timeout: Duration,
    /// How many connections may be open at once; a connection past them is closed at once.
    pub connections: usize,
    /// How many checks, previews and renders may run at once.
    pub busy: usize,
    /// How many more may wait for their turn; past them a request gets 503.
    pub waiting: usize,
}

impl Default for Limits {
    /// Headers within 10 s, 64 connections, one check or preview per core with four per core
    /// waiting.
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            connections: 64,
            busy: busy_limit(),
            waiting: 4 * busy_limit(),
        }
    }
}

/// How many checks and previews run at once by default: one per core.
pub fn busy_limit() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The case folder.
    pub folder: Arc<Folder>,
    /// The token and session of this run.
    pub secrets: Arc<Secrets>,
    /// The port the server listens on, for checking Host and Origin.
    pub port: u16,
    /// One permit per check, preview or render that may run at once.
    pub busy: Arc<Semaphore>,
    /// One permit per request admitted to run or to wait for `busy`: as many as run at once
    /// and may wait; a request that finds none left gets 503.
    pub admitted: Arc<Semaphore>,
    /// The folders given with `--allow-path`: their profiles (and logos) may be used and
    /// viewed, never written.
    pub allowed: Arc<lexsarah::profile::AllowedPaths>,
}

/// A server bound to its port on 127.0.0.1, not yet answering.
pub struct Server {
    listener: TcpListener,
    router: Router,
    limits: Limits,
    /// Where it listens.
    pub address: SocketAddr,
    /// The address to open once, with the one-time token.
    pub url: String,
}

/// Binds to `port` on 127.0.0.1 (0 for a free one) to serve the case files in `dir`.
///
/// There is no way to listen on another address: there is no TLS, and the case data is
/// confidential.
pub async fn bind(dir: &Path, port: u16) -> Result<Server, String> {
    bind_with(dir, port, Limits::default()).await
}

/// [`bind`] with other limits (the tests use short ones).
pub async fn bind_with(dir: &Path, port: u16, limits: Limits) -> Result<Server, String> {
    bind_allowing(dir, port, limits, &[]).await
}

/// [`bind_with`], with folders besides `dir` whose profiles may be read (`--allow-path`).
pub async fn bind_allowing(
    dir: &Path,
    port: u16,
    limits: Limits,
    allow_paths: &[std::path::PathBuf],
) -> Result<Server, String> {
    let allowed = lexsarah::profile::AllowedPaths::new(allow_paths)
        .map_err(|m| format!("{m}\n  = tips: ange en mapp som finns"))?;
    let folder = Folder::open(dir)?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|e| {
            format!(
                "porten {port} på 127.0.0.1 kan inte användas: {}\n  = tips: utelämna --port så väljs en ledig port",
                lexsarah::source::io_reason(&e)
            )
        })?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("adressen kan inte läsas: {e}"))?;
    let secrets = Secrets::new().map_err(|e| format!("ingen slumpkälla: {e}"))?;
    let url = format!(
        "http://{address}/?token={}",
        secrets.token().unwrap_or_default()
    );
    let state = AppState {
        folder: Arc::new(folder),
        secrets: Arc::new(secrets),
        port: address.port(),
        busy: Arc::new(Semaphore::new(limits.busy)),
        admitted: Arc::new(Semaphore::new(limits.busy + limits.waiting)),
        allowed: Arc::new(allowed),
    };
    let router = api::routes()
        .layer(DefaultBodyLimit::max(
            2 * lexsarah::source::MAX_FILE_BYTES as usize,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state);
    Ok(Server {
        listener,
        router,
        limits,
        address,
        url,
    })
}

impl Server {
    /// Answers requests until `stop` completes, then lets the requests under way finish (for
    /// at most five seconds).
    ///
    /// Each connection must send a request's headers within the header timeout, and at most
    /// `connections` are open at once: a client that opens many and sends slowly cannot keep
    /// the form from its user.
    pub async fn run(self, stop: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let open = Arc::new(Semaphore::new(self.limits.connections));
        let graceful = GracefulShutdown::new();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let Ok(permit) = open.clone().try_acquire_owned() else {
                        // Past the limit: closed at once, nothing read.
                        drop(stream);
                        continue;
                    };
                    let mut http = hyper::server::conn::http1::Builder::new();
                    http.timer(TokioTimer::new())
                        .header_read_timeout(self.limits.header_timeout);
                    let connection = http.serve_connection(
                        TokioIo::new(stream),
                        TowerToHyperService::new(self.router.clone()),
                    );
                    let watched = graceful.watch(connection);
                    tokio::spawn(async move {
                        let _ = watched.await;
                        drop(permit);
                    });
                }
                () = &mut stop => break,
            }
        }
        drop(self.listener);
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
        Ok(())
    }
}

/// Completes when the process is asked to stop: Ctrl+C (SIGINT) or, on Unix, SIGTERM (what a
/// service manager and `kill` send).
///
/// The signals are taken over when this is called, not when it is first awaited: call it
/// before telling anyone the server is there, so that a stop asked for at once is a clean one.
pub fn stop_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).ok();
        let mut interrupt = signal(SignalKind::interrupt()).ok();
        async move {
            tokio::select! {
                () = received(term.as_mut()) => {}
                () = received(interrupt.as_mut()) => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Completes when the signal comes; never without one to wait for.
#[cfg(unix)]
async fn received(signal: Option<&mut tokio::signal::unix::Signal>) {
    match signal {
        Some(signal) => {
            signal.recv().await;
        }
        None => std::future::pending().await,
    }
}
