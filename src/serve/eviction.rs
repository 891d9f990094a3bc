//! `POST …/pods/NAME/eviction` (what `kubectl drain` sends): the pod is deleted as a DELETE would
//! delete it, unless a PodDisruptionBudget selecting it allows no disruption now, which is a 429
//! with the API server's words.

use serde_json::{json, Value};

use super::http::{Request, Response};
use super::route::Target;
use super::session::{self, Env};
use super::status;
use crate::api::kinds::PDB;
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Key, Propagation};
use crate::{Error, Result};

const BLOCKED: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

pub fn evict(env: &Env, req: &Request, target: &Target) -> Result<Response> {
    let body: Value = if req.body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(&req.body)
            .map_err(|e| Error::BadRequest(format!("the eviction is not valid JSON: {e}")))?
    };
    let grace = body.at("deleteOptions.gracePeriodSeconds").and_then(Value::as_i64);
    let dry_run = req.params("dryRun").any(|v| v == "All")
        || body.array_at("deleteOptions.dryRun").iter().any(|v| v.as_str() == Some("All"));
    let namespace = target.namespace.clone().unwrap_or_default();
    let name = target.name.clone().unwrap_or_default();
    let mut cluster = env.write()?;
    let blocked = (|| -> Result<Option<String>> {
        let pod = super::read::object(&mut cluster, target)?;
        cluster.load(&PDB, Some(&namespace))?;
        let blocking = cluster.iter(&PDB, Some(&namespace)).find(|pdb| {
            let selects = pdb
                .at("spec.selector")
                .and_then(|s| Selector::from_label_selector(s).ok())
                .is_some_and(|s| !s.is_empty() && s.matches_object(&pod));
            selects && pdb.i64_at("status.disruptionsAllowed").unwrap_or(0) < 1
        });
        Ok(blocking.map(|pdb| pdb.name().to_string()))
    })();
    match blocked {
        Err(e) => {
            cluster.abandon()?;
            Err(e)
        }
        Ok(Some(_budget)) => {
            cluster.abandon()?;
            let mut s = status::failure(429, "TooManyRequests", BLOCKED);
            s["details"] = json!({"causes": [{"reason": "DisruptionBudget", "message": "The disruption budget needs more healthy pods"}]});
            Ok(Response::json(429, &s))
        }
        Ok(None) => {
            let key = Key::new(target.kind, &namespace, &name);
            if let Err(e) = cluster.delete(&key, Propagation::Background, grace) {
                cluster.abandon()?;
                return Err(e);
            }
            session::finish(cluster, dry_run)?;
            Ok(Response::json(201, &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"})))
        }
    }
}
