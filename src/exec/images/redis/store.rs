//! The keyspace a Redis server keeps in `/data` (saved after every change, as a JSON document
//! under the RDB file's name), with expiry in cluster time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exec::images::data;
use crate::exec::interp::Shell;

pub const DUMP: &str = "/data/dump.rdb";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Entry {
    pub value: String,
    /// When the key expires (ms of cluster time).
    pub expires: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    pub keys: BTreeMap<String, Entry>,
    /// `REPLICAOF host port` given at run time.
    pub replicaof: Option<(String, u16)>,
    /// Replicas that synchronized from this server, by address.
    pub replicas: Vec<String>,
}

impl Store {
    pub fn load(sh: &mut Shell) -> Store {
        let mut s: Store = data::load(sh, DUMP).unwrap_or_default();
        let now = sh.fs.now * 1000;
        s.keys.retain(|_, e| e.expires.is_none_or(|t| t > now));
        s
    }

    pub fn save(&self, sh: &mut Shell) {
        let _ = data::save(sh, DUMP, self);
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.keys.get(key).map(|e| &e.value)
    }
}
