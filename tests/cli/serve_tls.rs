//! `kstate serve --tls`: HTTPS with the self-signed certificate the kubeconfig trusts, checked with
//! a rustls client from the test crate (verifying the certificate for 127.0.0.1) and with the real
//! kubectl v1.32 (skipped, saying so, where none is installed).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

use crate::harness::Cluster;
use crate::serve::Server;
use crate::serve_kubectl::{kubectl, Kubectl};

/// The certificate the kubeconfig's certificate-authority-data holds, PEM.
fn authority(kubeconfig: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(kubeconfig).expect("kubeconfig");
    let line = text.lines().find_map(|l| l.trim().strip_prefix("certificate-authority-data: "));
    let encoded = line.expect("certificate-authority-data in the kubeconfig");
    decode_base64(encoded)
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).expect("base64") as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// One HTTPS GET, trusting only `ca_pem`; the whole response.
fn https_get(port: u16, ca_pem: &[u8], path: &str) -> Result<String, String> {
    let mut roots = rustls::RootCertStore::empty();
    let cert = CertificateDer::from_pem_slice(ca_pem).map_err(|e| e.to_string())?;
    roots.add(cert).map_err(|e| e.to_string())?;
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let tcp = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept: application/json\r\n\r\n");
    tls.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    // The server ends with close_notify; a plain EOF would also do for this check.
    let _ = tls.read_to_end(&mut out);
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[test]
fn serves_https_with_the_certificate_it_writes_into_the_kubeconfig() {
    let cluster = Cluster::new();
    let server = Server::start_tls(&cluster);
    let kubeconfig = std::fs::read_to_string(&server.kubeconfig).expect("kubeconfig");
    assert!(kubeconfig.contains(&format!("    server: https://127.0.0.1:{}\n", server.port)), "{kubeconfig}");
    let ca = authority(&server.kubeconfig);
    assert!(ca.starts_with(b"-----BEGIN CERTIFICATE-----"), "{}", String::from_utf8_lossy(&ca));
    let reply = https_get(server.port, &ca, "/version").expect("HTTPS request");
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    assert!(reply.contains("\"gitVersion\":\"v1.32.1\""), "{reply}");
    let pods = https_get(server.port, &ca, "/api/v1/namespaces/kube-system/pods").expect("HTTPS request");
    assert!(pods.contains("\"kind\":\"PodList\""), "{pods}");
    // A client that does not trust the certificate is refused during the handshake.
    let key = rcgen::KeyPair::generate().expect("key");
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).expect("params");
    let stranger = params.self_signed(&key).expect("certificate").pem();
    let refused = https_get(server.port, stranger.as_bytes(), "/version");
    assert!(refused.as_ref().is_err_and(|e| e.contains("certificate")), "{refused:?}");
    // Plain HTTP on the TLS port gets no API answer.
    let mut plain = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    plain.write_all(b"GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").expect("send");
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer);
    assert!(!String::from_utf8_lossy(&answer).contains("gitVersion"));
    assert!(server.stop(), "a clean stop");
}

#[test]
fn real_kubectl_over_https() {
    let Some(bin) = kubectl() else {
        crate::serve::skipped("real_kubectl_over_https: no kubectl v1.32 installed (set KUBECTL_1_32)");
        return;
    };
    let cluster = Cluster::new();
    let server = Server::start_tls(&cluster);
    let k = Kubectl { bin, server: &server, cluster: &cluster };
    assert_eq!(
        k.ok(&["get", "ns", "-o", "name"]),
        "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n"
    );
    assert_eq!(k.ok(&["create", "deployment", "web", "--image=nginx"]), "deployment.apps/web created\n");
    assert_eq!(k.ok(&["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"]), "1");
    // exec over WebSocket through TLS, with stdin.
    let pod = cluster.ok(&["get", "pods", "-o", "name"]);
    let pod = pod.trim();
    let (out, err, code) = k.run(&["exec", "-i", pod, "--", "sh", "-c", "cat; exit 3"], "over tls\n");
    assert_eq!((out.as_str(), err.as_str(), code), ("over tls\n", "command terminated with exit code 3\n", 3));
}
