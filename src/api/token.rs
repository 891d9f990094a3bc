//! A service account token as the TokenRequest API issues it: a JWT whose header and claims are a
//! real token's (audiences, issue and expiry times, the account's namespace, name and uid). kstate
//! holds no signing key, so the signature is the bytes the caller passes (random ones).

use serde_json::{json, Value};

use super::ObjectExt;

/// The API server's default audience and issuer.
pub const API_AUDIENCE: &str = "https://kubernetes.default.svc.cluster.local";
/// The lifetime of a token requested without one (`SetDefaults_TokenRequestSpec`).
pub const DEFAULT_SECONDS: i64 = 3600;
/// The shortest lifetime the server accepts.
pub const MIN_SECONDS: i64 = 600;

/// The JWT for `sa`, issued at `now` (seconds) for `seconds`.
pub fn jwt(sa: &Value, now: i64, seconds: i64, audiences: &[String], jti: &str, signature: &[u8]) -> String {
    let audiences: Vec<&str> =
        if audiences.is_empty() { vec![API_AUDIENCE] } else { audiences.iter().map(String::as_str).collect() };
    let ns = sa.namespace();
    let claims = json!({
        "aud": audiences,
        "exp": now + seconds,
        "iat": now,
        "iss": API_AUDIENCE,
        "jti": jti,
        "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": sa.name(), "uid": sa.uid()}},
        "nbf": now,
        "sub": format!("system:serviceaccount:{ns}:{}", sa.name()),
    });
    let header = json!({"alg": "RS256", "kid": "kstate"});
    format!(
        "{}.{}.{}",
        base64url(header.to_string().as_bytes()),
        base64url(claims.to_string().as_bytes()),
        base64url(signature)
    )
}

/// The server's refusal of a lifetime under ten minutes, if `seconds` is one.
pub fn too_short(account: &str, seconds: i64) -> Option<String> {
    (seconds < MIN_SECONDS).then(|| {
        format!("TokenRequest.authentication.k8s.io \"{account}\" is invalid: spec.expirationSeconds: Invalid value: {seconds}: may not specify a duration less than 10 minutes")
    })
}

/// Base64 with the URL alphabet and no padding, as JWTs are written.
fn base64url(bytes: &[u8]) -> String {
    crate::cluster::base64(bytes).trim_end_matches('=').replace('+', "-").replace('/', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_name_the_account() {
        let sa = json!({"metadata": {"name": "bot", "namespace": "ci", "uid": "u-1"}});
        let token = jwt(&sa, 100, 3600, &[], "j", &[1, 2, 3]);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2], "AQID");
        assert!(too_short("bot", 60).is_some() && too_short("bot", 600).is_none());
    }
}
