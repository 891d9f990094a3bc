//! `zkCli.sh [-server HOST:PORT] CMD ARGS`: one session running one command, printing what
//! ZooKeeper 3.4's shell prints (the connection's watcher event, then the command's output; the
//! stat block goes to stderr). Its log4j lines are not reproduced.

use super::server::{Op, Reply, Request, Zk};
use crate::exec::images::wire::{call, serve_local};
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;

const USAGE: &str = "ZooKeeper -server host:port cmd args\n\tstat path [watch]\n\tset path data [version]\n\tls path [watch]\n\tdelquota [-n|-b] path\n\tls2 path [watch]\n\tsetAcl path acl\n\tsetquota -n|-b val path\n\thistory \n\tredo cmdno\n\tprintwatches on|off\n\tdelete path [version]\n\tsync path\n\tlistquota path\n\trmr path\n\tget path [watch]\n\tcreate [-s] [-e] path data acl\n\taddauth scheme auth\n\tquit \n\tgetAcl path\n\tclose \n\tconnect host:port\n";

const CONNECTED: &str = "\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n";

/// The operation a command line asks for; `None` for what this shell does not run.
fn operation(words: &[String]) -> Option<Op> {
    let arg = |i: usize| words.get(i).cloned();
    match words.first()?.as_str() {
        "create" => {
            let rest: Vec<&String> = words[1..].iter().filter(|w| *w != "-s" && *w != "-e").collect();
            Some(Op::Create(rest.first()?.to_string(), rest.get(1).map_or(String::new(), |d| d.to_string())))
        }
        "get" => Some(Op::Get(arg(1)?)),
        "ls" => Some(Op::Ls(arg(1)?)),
        "set" => Some(Op::Set(arg(1)?, arg(2)?)),
        "delete" => Some(Op::Delete(arg(1)?)),
        _ => None,
    }
}

pub fn zk_cli(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut server = "localhost:2181".to_string();
    let mut words: Vec<String> = Vec::new();
    let mut it = argv[1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-server" => server = it.next().cloned().unwrap_or(server),
            _ => words.push(a.clone()),
        }
    }
    let _ = io.out(format!("Connecting to {server}\n").as_bytes());
    let Some(op) = operation(&words) else {
        let _ = io.out(USAGE.as_bytes());
        return Ok(0);
    };
    let (host, port) = server.rsplit_once(':').map_or((server.as_str(), 2181), |(h, p)| (h, p.parse().unwrap_or(2181)));
    let req = Request::Session(vec![op.clone()]);
    let reply = if host == "localhost" || host == "127.0.0.1" {
        serve_local::<Zk>(sh, port, req)
    } else {
        call::<Zk>(sh, host, port, req).ok()
    };
    let Some(Reply::Outputs(outputs)) = reply else {
        let path = match op {
            Op::Create(p, _) | Op::Set(p, _) | Op::Get(p) | Op::Ls(p) | Op::Delete(p) => p,
        };
        io.err(&format!("Exception in thread \"main\" org.apache.zookeeper.KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss for {path}\n"));
        return Ok(1);
    };
    let _ = io.out(CONNECTED.as_bytes());
    for out in outputs {
        match out {
            Ok((stdout, stderr)) => {
                let _ = io.out(stdout.as_bytes());
                io.err(&stderr);
            }
            Err(e) => io.err(&format!("{}\n", e.message())),
        }
    }
    Ok(0)
}
