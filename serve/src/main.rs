//! The `lexsarah-serve` binary: a thin shell around the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Ett formulär i webbläsaren för lex Sarah-ärenden, med kontroll och förhandsvisning medan du
/// skriver. Lyssnar bara på 127.0.0.1.
#[derive(Parser)]
#[command(name = "lexsarah-serve", version)]
struct Args {
    /// Mappen med ärendefilerna (.yaml); den aktuella mappen om den utelämnas.
    #[arg(default_value = ".", value_name = "MAPP")]
    dir: PathBuf,
    /// Porten på 127.0.0.1; en ledig port om den utelämnas.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Tillåt profiler och logotyper i den här mappen också (de läses, skrivs aldrig).
    #[arg(long = "allow-path", value_name = "DIR")]
    allow_paths: Vec<PathBuf>,
}

fn main() -> ExitCode {
    // Help, the version and usage errors, in Swedish, as lexsarah's own.
    let args: Args = match lexsarah::cli::parse_in_swedish() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("fel: lexsarah-serve kan inte starta: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let server = match lexsarah_serve::bind_allowing(
            &args.dir,
            args.port,
            lexsarah_serve::Limits::default(),
            &args.allow_paths,
        )
        .await
        {
            Ok(server) => server,
            Err(e) => {
                eprintln!("fel: {e}");
                return ExitCode::from(2);
            }
        };
        // Ctrl+C and SIGTERM are taken over before the address is printed.
        let stop = lexsarah_serve::stop_signal();
        println!("Öppna formuläret i din webbläsare (länken fungerar en gång):");
        println!();
        println!("    {}", server.url);
        println!();
        println!(
            "Avsluta med Ctrl+C. Ärendefilerna i {} sparas bara när du trycker på Spara.",
            args.dir.display()
        );
        match server.run(stop).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("fel: {e}");
                ExitCode::from(2)
            }
        }
    })
}
