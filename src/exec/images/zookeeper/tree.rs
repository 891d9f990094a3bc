//! The data tree a ZooKeeper member keeps: znodes with their stat, and the last transaction id
//! (zxid: the election epoch in the high 32 bits, a counter in the low ones).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exec::clock_fmt::strftime;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Znode {
    pub data: String,
    pub czxid: u64,
    pub mzxid: u64,
    pub pzxid: u64,
    /// Creation and modification times, in seconds.
    pub ctime: i64,
    pub mtime: i64,
    pub version: u32,
    pub cversion: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tree {
    pub zxid: u64,
    /// Every znode but `/` and `/zookeeper`, which always exist, by path.
    pub nodes: BTreeMap<String, Znode>,
}

/// Why an operation failed, as zkCli names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZkError {
    NoNode(String),
    NodeExists(String),
    NotEmpty(String),
    BadArguments(String),
}

impl ZkError {
    /// The line zkCli prints for it.
    pub fn message(&self) -> String {
        match self {
            ZkError::NoNode(p) => format!("Node does not exist: {p}"),
            ZkError::NodeExists(p) => format!("Node already exists: {p}"),
            ZkError::NotEmpty(p) => format!("Node not empty: {p}"),
            ZkError::BadArguments(p) => format!("Command failed: java.lang.IllegalArgumentException: {p}"),
        }
    }
}

const BUILT_IN: [&str; 2] = ["/", "/zookeeper"];

fn parent(p: &str) -> &str {
    match p.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &p[..i],
    }
}

/// ZooKeeper's path rules: absolute, no trailing slash, no empty or relative segments.
fn check(p: &str) -> Result<(), ZkError> {
    let bad = |why: &str| Err(ZkError::BadArguments(format!("Path {why}")));
    if !p.starts_with('/') {
        return bad("must start with / character");
    }
    if p.len() > 1 && p.ends_with('/') {
        return bad("must not end with / character");
    }
    if p.len() > 1 && p[1..].split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Err(ZkError::BadArguments(format!("Invalid path string \"{p}\"")));
    }
    Ok(())
}

impl Tree {
    /// Starts a transaction: the zxid it is given (the first of epoch 1 on a fresh tree).
    pub fn next_zxid(&mut self) -> u64 {
        if self.zxid >> 32 == 0 {
            self.zxid = 1 << 32;
        }
        self.zxid += 1;
        self.zxid
    }

    fn exists(&self, p: &str) -> bool {
        BUILT_IN.contains(&p) || self.nodes.contains_key(p)
    }

    pub fn children(&self, p: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .nodes
            .keys()
            .filter(|k| parent(k) == p && k.as_str() != p)
            .filter_map(|k| k.rsplit('/').next().map(str::to_string))
            .collect();
        if p == "/" {
            names.push("zookeeper".into());
        }
        names.sort();
        names
    }

    pub fn create(&mut self, p: &str, data: &str, now: i64) -> Result<(), ZkError> {
        check(p)?;
        if self.exists(p) {
            return Err(ZkError::NodeExists(p.into()));
        }
        if !self.exists(parent(p)) {
            return Err(ZkError::NoNode(p.into()));
        }
        let zxid = self.next_zxid();
        if let Some(up) = self.nodes.get_mut(parent(p)) {
            up.pzxid = zxid;
            up.cversion += 1;
        }
        let node = Znode {
            data: data.into(),
            czxid: zxid,
            mzxid: zxid,
            pzxid: zxid,
            ctime: now,
            mtime: now,
            ..Znode::default()
        };
        self.nodes.insert(p.into(), node);
        Ok(())
    }

    pub fn set(&mut self, p: &str, data: &str, now: i64) -> Result<(), ZkError> {
        check(p)?;
        if !self.nodes.contains_key(p) {
            return Err(ZkError::NoNode(p.into()));
        }
        let zxid = self.next_zxid();
        if let Some(node) = self.nodes.get_mut(p) {
            node.data = data.into();
            node.mzxid = zxid;
            node.mtime = now;
            node.version += 1;
        }
        Ok(())
    }

    pub fn delete(&mut self, p: &str) -> Result<(), ZkError> {
        check(p)?;
        if !self.nodes.contains_key(p) {
            return Err(ZkError::NoNode(p.into()));
        }
        if !self.children(p).is_empty() {
            return Err(ZkError::NotEmpty(p.into()));
        }
        let zxid = self.next_zxid();
        self.nodes.remove(p);
        if let Some(up) = self.nodes.get_mut(parent(p)) {
            up.pzxid = zxid;
            up.cversion += 1;
        }
        Ok(())
    }

    /// `get`: the data and the stat block, as zkCli prints them.
    pub fn get(&self, p: &str) -> Result<(String, String), ZkError> {
        check(p)?;
        if !self.exists(p) {
            return Err(ZkError::NoNode(p.into()));
        }
        let node = self.nodes.get(p).cloned().unwrap_or_default();
        Ok((node.data.clone(), self.stat(p, &node)))
    }

    /// `ls`: the children, as Java prints a list.
    pub fn ls(&self, p: &str) -> Result<String, ZkError> {
        check(p)?;
        if !self.exists(p) {
            return Err(ZkError::NoNode(p.into()));
        }
        Ok(format!("[{}]\n", self.children(p).join(", ")))
    }

    fn stat(&self, p: &str, n: &Znode) -> String {
        let time = |t: i64| strftime("%a %b %d %H:%M:%S UTC %Y", t);
        format!(
            "cZxid = {:#x}\nctime = {}\nmZxid = {:#x}\nmtime = {}\npZxid = {:#x}\ncversion = {}\ndataVersion = {}\naclVersion = 0\nephemeralOwner = 0x0\ndataLength = {}\nnumChildren = {}\n",
            n.czxid,
            time(n.ctime),
            n.mzxid,
            time(n.mtime),
            n.pzxid,
            n.cversion,
            n.version,
            n.data.len(),
            self.children(p).len()
        )
    }
}
