//! How long signing a beslut takes beside rendering it, measured in one run: the Mjölby
//! example's beslut rendered as `render` makes it (check, data, layout, PDF/A with its fields),
//! then signed with an RSA-2048 key from a PKCS#12 file (OpenSSL makes it) as `sign` signs it
//! (the stamp laid out, the incremental update, the CMS). Run with `cargo bench --bench sign`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use lexsarah::check::{CheckSettings, check_case};
use lexsarah::document::DocKind;
use lexsarah::render::{PdfSettings, Templates, compile, prepare};
use lexsarah::sign::key::Pkcs12Key;
use lexsarah::sign::{SignRequest, sign};
use zeroize::Zeroizing;

const ROUNDS: usize = 21;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "k.pem",
            "-out",
            "c.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Eva Exempel",
        ])
        .current_dir(dir.path())
        .output()
        .is_ok_and(|o| o.status.success())
        && Command::new("openssl")
            .args([
                "pkcs12",
                "-export",
                "-inkey",
                "k.pem",
                "-in",
                "c.pem",
                "-out",
                "k.p12",
                "-passout",
                "pass:bench",
            ])
            .current_dir(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
    if !made {
        println!("openssl is missing: no key to sign with");
        return;
    }
    let case =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/mjolby-borttappade-handlingar.yaml");
    let settings = CheckSettings::new();
    let mut rendering = Vec::new();
    let mut pdf = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let checked = check_case(&case, &settings).expect("the example passes");
        let prepared =
            prepare(&checked.loaded.case, &checked.profile, DocKind::Beslut).expect("data");
        let rendered = compile(
            &prepared,
            &Templates::embedded(),
            &PdfSettings::default_for(DocKind::Beslut),
        )
        .expect("a PDF");
        rendering.push(start.elapsed());
        pdf = rendered.pdf;
    }
    let p12 = std::fs::read(dir.path().join("k.p12")).expect("the key");
    let start = Instant::now();
    let key = Pkcs12Key::open(&p12, &Zeroizing::new("bench".to_string())).expect("the key opens");
    let opening = start.elapsed();
    let mut signing = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let signed = sign(SignRequest {
            pdf: pdf.clone(),
            field: "Underskrift_beslutsfattare",
            signer: &key,
            now: chrono::Local::now().fixed_offset(),
            allow_personnummer: false,
        })
        .expect("signed");
        signing.push(start.elapsed());
        assert!(signed.len() > pdf.len());
    }
    let render = median(&mut rendering);
    let signed = median(&mut signing);
    println!("a beslut (Mjölby's example), {ROUNDS} rounds each, medians:");
    println!("  render (check and PDF/A with its fields): {}", ms(render));
    println!(
        "  sign (stamp, update and CMS, RSA-2048 from PKCS#12): {}",
        ms(signed)
    );
    println!("  opening the PKCS#12 file once: {}", ms(opening));
    println!(
        "  ratio sign / render: {:.2} (the target: at most about 1)",
        signed.as_secs_f64() / render.as_secs_f64()
    );
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
