//! A ZooKeeper member's side: the `zoo.cfg` it runs with, the tree in its data directory, and
//! the ensemble. Members reach each other on their quorum port; before answering, a member
//! takes the newest tree among the members it reaches, and after a write it hands its tree to
//! them, so every member serves the same data. Without a majority of the ensemble it serves none.

use super::tree::{Tree, ZkError};
use crate::exec::images::data;
use crate::exec::images::wire::{call, Protocol};
use crate::exec::interp::Shell;

/// Where zkServer.sh and zkCli.sh find `zoo.cfg` (`$ZOOBINDIR/../etc/zookeeper`).
pub const CONF: &str = "/usr/etc/zookeeper/zoo.cfg";

/// What `zoo.cfg` says.
#[derive(Debug, Clone)]
pub struct Config {
    pub client_port: u16,
    pub data_dir: String,
    /// `server.N=host:quorum:election`, by N.
    pub servers: Vec<(u32, String, u16)>,
}

impl Config {
    pub fn read(sh: &mut Shell) -> Option<Config> {
        let text = data::read_text(sh, CONF)?;
        let mut c = Config { client_port: 2181, data_dir: "/var/lib/zookeeper/data".into(), servers: Vec::new() };
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((key, value)) = line.split_once('=') else { continue };
            let (key, value) = (key.trim(), value.trim());
            match key {
                "clientPort" => c.client_port = value.parse().unwrap_or(2181),
                "dataDir" => c.data_dir = value.into(),
                _ => {
                    let Some(id) = key.strip_prefix("server.").and_then(|n| n.parse().ok()) else { continue };
                    let mut parts = value.split(':');
                    let host = parts.next().unwrap_or_default().to_string();
                    let port = parts.next().and_then(|p| p.parse().ok()).unwrap_or(2888);
                    c.servers.push((id, host, port));
                }
            }
        }
        Some(c)
    }

    fn snapshot(&self) -> String {
        format!("{}/version-2/snapshot.json", self.data_dir)
    }
}

/// This member's id (`myid`, 1 when it runs alone).
pub fn myid(sh: &mut Shell, cfg: &Config) -> u32 {
    let text = data::read_text(sh, &format!("{}/myid", cfg.data_dir)).unwrap_or_default();
    text.trim().parse().unwrap_or(1)
}

/// One client operation.
#[derive(Debug, Clone)]
pub enum Op {
    Create(String, String),
    Set(String, String),
    Get(String),
    Ls(String),
    Delete(String),
}

pub enum Request {
    /// The four-letter `ruok`.
    Ruok,
    /// A client session running operations; its opening and closing are transactions too.
    Session(Vec<Op>),
    /// Whether this member leads (`zkServer.sh status`).
    Mode,
    /// From a peer: its tree (`None` asks for ours).
    Sync(Option<Tree>),
}

pub enum Reply {
    /// No server runs, or it is not in a quorum.
    Down,
    Imok,
    /// Each operation's stdout and stderr (zkCli prints a stat block on stderr).
    Outputs(Vec<Result<(String, String), ZkError>>),
    Mode(&'static str),
    Tree(Box<Tree>),
}

pub struct Zk;

impl Protocol for Zk {
    type Request = Request;
    type Reply = Reply;

    fn serve(sh: &mut Shell, req: Request) -> Reply {
        let Some(cfg) = Config::read(sh) else { return Reply::Down };
        match req {
            Request::Ruok => Reply::Imok,
            Request::Sync(theirs) => {
                let mut mine = load(sh, &cfg);
                if let Some(t) = theirs.filter(|t| t.zxid > mine.zxid) {
                    mine = t;
                    save(sh, &cfg, &mine);
                }
                Reply::Tree(Box::new(mine))
            }
            Request::Mode => match ensemble(sh, &cfg) {
                None => Reply::Down,
                Some(_) if cfg.servers.len() < 2 => Reply::Mode("standalone"),
                Some(e) => Reply::Mode(if e.leader == myid(sh, &cfg) { "leader" } else { "follower" }),
            },
            Request::Session(ops) => {
                let Some(e) = ensemble(sh, &cfg) else { return Reply::Down };
                let mut tree = e.tree;
                let now = sh.fs.now;
                tree.next_zxid();
                let outputs = ops.into_iter().map(|op| apply(&mut tree, op, now)).collect();
                tree.next_zxid();
                save(sh, &cfg, &tree);
                for (_, host, port) in e.peers {
                    let _ = call::<Zk>(sh, &host, port, Request::Sync(Some(tree.clone())));
                }
                Reply::Outputs(outputs)
            }
        }
    }
}

fn apply(tree: &mut Tree, op: Op, now: i64) -> Result<(String, String), ZkError> {
    match op {
        Op::Create(p, d) => tree.create(&p, &d, now).map(|()| (format!("Created {p}\n"), String::new())),
        Op::Set(p, d) => {
            tree.set(&p, &d, now)?;
            tree.get(&p).map(|(_, stat)| (String::new(), stat))
        }
        Op::Get(p) => tree.get(&p).map(|(data, stat)| (format!("{data}\n"), stat)),
        Op::Ls(p) => tree.ls(&p).map(|list| (list, String::new())),
        Op::Delete(p) => tree.delete(&p).map(|()| Default::default()),
    }
}

/// The members this one reaches, the newest tree among them, and who leads.
struct Ensemble {
    peers: Vec<(u32, String, u16)>,
    tree: Tree,
    leader: u32,
}

/// Gathers the ensemble, or `None` without a majority. The leader is the reachable member
/// with the highest id, as the election settles when all start with the same data.
fn ensemble(sh: &mut Shell, cfg: &Config) -> Option<Ensemble> {
    let me = myid(sh, cfg);
    let mut tree = load(sh, cfg);
    let mut peers = Vec::new();
    let mut leader = me;
    for (id, host, port) in cfg.servers.iter().filter(|(id, _, _)| *id != me) {
        if let Ok(Reply::Tree(t)) = call::<Zk>(sh, host, *port, Request::Sync(None)) {
            if t.zxid > tree.zxid {
                tree = *t;
            }
            leader = leader.max(*id);
            peers.push((*id, host.clone(), *port));
        }
    }
    let members = cfg.servers.len().max(1);
    (2 * (peers.len() + 1) > members).then_some(Ensemble { peers, tree, leader })
}

fn load(sh: &mut Shell, cfg: &Config) -> Tree {
    data::load(sh, &cfg.snapshot()).unwrap_or_default()
}

fn save(sh: &mut Shell, cfg: &Config, tree: &Tree) {
    let _ = data::save(sh, &cfg.snapshot(), tree);
}
