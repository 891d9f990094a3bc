//! `kstate serve --tls`: HTTPS with a self-signed certificate made at start-up (rcgen, an ECDSA
//! P-256 key, for `127.0.0.1`, `::1` and `localhost`), served with rustls (ring).
//!
//! TLS ends in front of the HTTP server: each accepted TLS connection gets a plain loopback
//! connection to the server's own internal listener, and two threads move bytes between them
//! (decrypting one way, encrypting the other). So every handler (watches, logs, exec over
//! WebSocket) keeps working on a plain `TcpStream`, with or without TLS.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection};

use crate::{Error, Result};

/// The server's TLS configuration and the certificate clients must trust.
pub struct Tls {
    config: Arc<ServerConfig>,
    /// The self-signed certificate, PEM: the kubeconfig's certificate-authority-data.
    pub certificate_pem: String,
}

fn tls_error(e: impl std::fmt::Display) -> Error {
    Error::cli(format!("cannot set up TLS: {e}"))
}

/// Makes a key and a self-signed certificate for the loopback names, and the rustls config.
pub fn generate() -> Result<Tls> {
    let names = vec!["localhost".to_string(), "127.0.0.1".to_string(), "::1".to_string()];
    let mut params = rcgen::CertificateParams::new(names).map_err(tls_error)?;
    params.distinguished_name.push(rcgen::DnType::CommonName, "kstate");
    let key = rcgen::KeyPair::generate().map_err(tls_error)?;
    let cert = params.self_signed(&key).map_err(tls_error)?;
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let chain: Vec<CertificateDer<'static>> = vec![cert.der().clone()];
    // rustls 0.23.48 deprecates its ring provider because ring has no post-quantum key exchange;
    // for a loopback test server that is fine, and aws-lc-rs (the alternative) is a long C build.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(tls_error)?;
    // HTTP/1.1 only: Go clients would otherwise try HTTP/2.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls { config: Arc::new(config), certificate_pem: cert.pem() })
}

/// Accepts TLS connections on `public` until `stop`, each relayed to the plain server at `backend`.
pub fn accept(tls: &Tls, public: TcpListener, backend: SocketAddr, stop: Arc<AtomicBool>) {
    let config = Arc::clone(&tls.config);
    let _ = std::thread::Builder::new().name("tls-accept".into()).spawn(move || {
        for client in public.incoming() {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let Ok(client) = client else {
                std::thread::sleep(std::time::Duration::from_millis(20));
                continue;
            };
            let config = Arc::clone(&config);
            let _ = std::thread::Builder::new().name("tls-conn".into()).spawn(move || relay(config, client, backend));
        }
    });
}

fn lock(tls: &Mutex<ServerConnection>) -> MutexGuard<'_, ServerConnection> {
    tls.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One TLS connection: this thread decrypts what the client sends into the plain connection,
/// another encrypts what the server answers.
fn relay(config: Arc<ServerConfig>, client: TcpStream, backend: SocketAddr) {
    let Ok(conn) = ServerConnection::new(config) else { return };
    let Ok(plain) = TcpStream::connect(backend) else { return };
    let _ = client.set_nodelay(true);
    let _ = plain.set_nodelay(true);
    let (Ok(client_out), Ok(plain_in)) = (client.try_clone(), plain.try_clone()) else { return };
    let tls = Arc::new(Mutex::new(conn));
    let answers = Arc::clone(&tls);
    let Ok(back) = std::thread::Builder::new()
        .name("tls-out".into())
        .spawn(move || server_to_client(&answers, plain_in, client_out))
    else {
        return;
    };
    client_to_server(&tls, client, plain);
    let _ = back.join();
}

/// Writes whatever TLS records are pending (handshake messages, encrypted data, alerts).
fn flush_tls(conn: &mut ServerConnection, client: &mut TcpStream) -> io::Result<()> {
    while conn.wants_write() {
        conn.write_tls(client)?;
    }
    Ok(())
}

fn client_to_server(tls: &Mutex<ServerConnection>, mut client: TcpStream, mut plain: TcpStream) {
    let mut buf = vec![0u8; 16 * 1024];
    'read: loop {
        let n = match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut clear = Vec::new();
        let mut closed = false;
        {
            let mut conn = lock(tls);
            let mut records = &buf[..n];
            while !records.is_empty() {
                if conn.read_tls(&mut records).is_err() {
                    break 'read;
                }
                if conn.process_new_packets().is_err() {
                    // The alert rustls queued tells the client why.
                    let _ = flush_tls(&mut conn, &mut client);
                    break 'read;
                }
                let mut chunk = [0u8; 16 * 1024];
                loop {
                    match conn.reader().read(&mut chunk) {
                        Ok(0) => {
                            closed = true;
                            break;
                        }
                        Ok(k) => clear.extend_from_slice(&chunk[..k]),
                        Err(_) => break,
                    }
                }
            }
            if flush_tls(&mut conn, &mut client).is_err() {
                break;
            }
        }
        if !clear.is_empty() && plain.write_all(&clear).is_err() {
            break;
        }
        if closed {
            break;
        }
    }
    let _ = plain.shutdown(Shutdown::Write);
}

fn server_to_client(tls: &Mutex<ServerConnection>, mut plain: TcpStream, mut client: TcpStream) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match plain.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut conn = lock(tls);
        if conn.writer().write_all(&buf[..n]).is_err() || flush_tls(&mut conn, &mut client).is_err() {
            break;
        }
    }
    let mut conn = lock(tls);
    conn.send_close_notify();
    let _ = flush_tls(&mut conn, &mut client);
    let _ = client.shutdown(Shutdown::Both);
}
