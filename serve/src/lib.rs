//! lexsarah-serve: a browser form on 127.0.0.1 for writing a lex Sarah case file, checked by
//! lexsarah's own rules as it is typed and previewed by the same engine that makes the PDFs.
//!
//! It is its own crate so that the command-line tool that renders and archives has no web stack.

pub mod api;
pub mod assets;
pub mod edit;
pub mod folder;
pub mod guard;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;

use folder::Folder;
use guard::Secrets;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The case folder.
    pub folder: Arc<Folder>,
    /// The token and session of this run.
    pub secrets: Arc<Secrets>,
    /// The port the server listens on, for checking Host and Origin.
    pub port: u16,
}

/// A server bound to its port on 127.0.0.1, not yet answering.
pub struct Server {
    listener: TcpListener,
    router: Router,
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
    let folder = Folder::open(dir)?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|e| {
            format!(
                "porten {port} på 127.0.0.1 kan inte användas: {}\n  = hint: utelämna --port så väljs en ledig port",
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
        address,
        url,
    })
}

impl Server {
    /// Answers requests until `stop` completes.
    pub async fn run(self, stop: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(stop)
            .await
    }
}
