//! `pods/NAME/exec` over WebSocket, subprotocol `v5.channel.k8s.io`: stdin arrives on channel 0
//! (ended by the v5 CLOSE `[255, 0]`), the command runs in the simulated container as `kstate
//! exec` runs it, stdout and stderr go out on channels 1 and 2, the exit Status on channel 3, and
//! the socket closes with code 1000. SPDY is not served.

use std::net::TcpStream;
use std::time::Duration;

use serde_json::{json, Value};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, Role};
use tungstenite::{Message, WebSocket};

use super::http::{Request, Response};
use super::route::Target;
use super::session::{Env, Streams};
use super::status;
use crate::exec::MAX_PIPE_BYTES;
use crate::Error;

const PROTOCOL: &str = "v5.channel.k8s.io";
const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const ERROR: u8 = 3;
const CLOSE: u8 = 255;
/// How long a client may take between frames before the session gives up on it.
const PATIENCE: Duration = Duration::from_secs(120);

/// The answer when the request cannot become an exec session; `None` once upgraded.
fn refusal(env: &Env, req: &Request, target: &Target) -> Option<Response> {
    if !offers_v5(req) {
        return Some(status::bad_request("kstate serve supports exec over WebSocket (v5.channel.k8s.io) only"));
    }
    if req.params("command").next().is_none() {
        return Some(status::bad_request("you must specify at least 1 command"));
    }
    let found = env.read().and_then(|mut c| {
        let r = super::read::object(&mut c, target);
        c.abandon()?;
        r
    });
    found.err().map(|e| status::from_error(&e))
}

/// Whether the request asks for a WebSocket with the v5 subprotocol (exec and attach).
pub fn offers_v5(req: &Request) -> bool {
    let offered = req.header("sec-websocket-protocol").unwrap_or("");
    !req.wants_spdy() && req.wants_websocket() && offered.split(',').any(|p| p.trim() == PROTOCOL)
}

/// Answers the WebSocket handshake with the v5 subprotocol; `None` when the client is gone.
pub fn upgrade(req: &Request, mut conn: TcpStream, leftover: Vec<u8>) -> Option<WebSocket<TcpStream>> {
    let key = req.header("sec-websocket-key").unwrap_or_default();
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: {PROTOCOL}\r\n\r\n"
    );
    if std::io::Write::write_all(&mut conn, head.as_bytes()).is_err() {
        return None;
    }
    let _ = conn.set_read_timeout(Some(PATIENCE));
    Some(WebSocket::from_partially_read(conn, leftover, Role::Server, None))
}

/// Sends the channel-3 Status, closes with code 1000 and waits (bounded) for the client's close.
pub fn end(ws: &mut WebSocket<TcpStream>, status: &Value) {
    let _ = send(ws, ERROR, &super::http::json_line(status));
    let _ = ws.close(Some(CloseFrame { code: CloseCode::Normal, reason: "".into() }));
    for _ in 0..64 {
        if ws.read().is_err() {
            break;
        }
    }
}

/// Upgrades the connection and runs the session. Returns the refusal when there is no upgrade.
pub fn handle(env: &Env, req: &Request, target: &Target, conn: TcpStream, leftover: Vec<u8>) -> Option<Response> {
    if let Some(refused) = refusal(env, req, target) {
        return Some(refused);
    }
    let mut ws = upgrade(req, conn, leftover)?;
    let command: Vec<String> = req.params("command").map(String::from).collect();
    let mut run_one = |cmd: &[String], input: &[u8]| run(env, req, target, cmd, input);
    let status = if req.flag("tty") && req.flag("stdin") {
        terminal(env, req, target, &mut ws, &command, &mut run_one)
    } else {
        let input = if req.flag("stdin") { read_stdin(&mut ws) } else { Vec::new() };
        let outcome = run_one(&command, &input);
        let _ = send(&mut ws, STDOUT, &outcome.stdout);
        let _ = send(&mut ws, if req.flag("tty") { STDOUT } else { STDERR }, &outcome.stderr);
        outcome.status
    };
    end(&mut ws, &status);
    None
}

/// A terminal session (`exec -it`, `attach -it`): a shell as the CLI's interactive session,
/// another program fed what is typed. Returns the channel-3 Status.
pub fn terminal(
    env: &Env,
    req: &Request,
    target: &Target,
    ws: &mut WebSocket<TcpStream>,
    command: &[String],
    run_one: &mut dyn FnMut(&[String], &[u8]) -> Outcome,
) -> Value {
    let success = || json!({"metadata": {}, "status": "Success"});
    if !super::exec_tty::is_shell(command) {
        return super::exec_tty::program_session(ws, command, run_one).unwrap_or_else(success);
    }
    let exec_req = exec_request(req, target, command);
    let pod = target.name.clone().unwrap_or_default();
    let mut streams = Streams::new();
    let mut ctx = env.context(&mut streams, target.namespace.as_deref());
    match crate::cmd::exec::start_session(&mut ctx, &exec_req, &pod, command) {
        Ok((session, prompt)) => {
            let mut shell = PodShell { env, req: exec_req, namespace: target.namespace.clone(), pod, session };
            super::exec_tty::shell_session(ws, &mut shell, &prompt).unwrap_or_else(success)
        }
        Err(e) => json!({"metadata": {}, "status": "Failure", "message": failure_message(&e)}),
    }
}

/// The shell of a terminal session, one line per transaction as `kstate exec -it` runs it.
struct PodShell<'a> {
    env: &'a Env,
    req: crate::cmd::exec::Request,
    namespace: Option<String>,
    pod: String,
    session: crate::exec::Session,
}

impl super::exec_tty::Shell for PodShell<'_> {
    fn line(&mut self, text: &str) -> Option<super::exec_tty::Step> {
        let mut streams = Streams::new();
        let mut ctx = self.env.context(&mut streams, self.namespace.as_deref());
        let (out, prompt) =
            crate::cmd::exec::session_line(&mut ctx, &self.req, &self.pod, &mut self.session, text).ok()?;
        Some(super::exec_tty::Step { stdout: out.stdout, stderr: out.stderr, prompt, exited: self.session.exited })
    }

    fn status(&self) -> i32 {
        self.session.status()
    }
}

fn failure_message(e: &Error) -> String {
    match e {
        Error::Cli(m) => m.clone(),
        other => other.server_message(),
    }
}

fn exec_request(req: &Request, target: &Target, command: &[String]) -> crate::cmd::exec::Request {
    crate::cmd::exec::Request {
        target: vec![target.name.clone().unwrap_or_default()],
        container: req.param("container").map(String::from),
        stdin: req.flag("stdin"),
        tty: req.flag("tty"),
        quiet: true,
        command: command.to_vec(),
    }
}

/// What one command left: its output and the channel-3 Status.
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: Value,
}

/// One binary frame on `channel` (nothing for no data).
pub fn send(ws: &mut WebSocket<TcpStream>, channel: u8, data: &[u8]) -> tungstenite::Result<()> {
    if data.is_empty() {
        return Ok(());
    }
    let mut frame = Vec::with_capacity(data.len() + 1);
    frame.push(channel);
    frame.extend_from_slice(data);
    ws.send(Message::Binary(frame.into()))
}

/// Channel-0 bytes until the client closes stdin (or the socket), at most a pipe's worth.
fn read_stdin(ws: &mut WebSocket<TcpStream>) -> Vec<u8> {
    let mut input = Vec::new();
    loop {
        match ws.read() {
            Ok(Message::Binary(data)) => match data.split_first() {
                Some((&STDIN, rest)) => {
                    let room = MAX_PIPE_BYTES.saturating_sub(input.len());
                    input.extend_from_slice(&rest[..rest.len().min(room)]);
                }
                Some((&CLOSE, [STDIN, ..])) => return input,
                _ => {}
            },
            Ok(Message::Close(_)) | Err(_) => return input,
            Ok(_) => {}
        }
    }
}

/// Runs `command` in the target pod's container with `input` as its stdin.
pub fn run(env: &Env, req: &Request, target: &Target, command: &[String], input: &[u8]) -> Outcome {
    let exec_req = exec_request(req, target, command);
    let mut streams = Streams::new();
    let mut ctx = env.context(&mut streams, target.namespace.as_deref());
    let pod = exec_req.target[0].clone();
    match crate::cmd::exec::execute(&mut ctx, &pod, &exec_req, command, input, exec_req.tty) {
        Ok(out) => {
            let status = match out.code {
                0 => json!({"metadata": {}, "status": "Success"}),
                code => exit_status(code.clamp(1, 255)),
            };
            Outcome { stdout: out.stdout, stderr: out.stderr, status }
        }
        Err(e) => {
            let status = json!({"metadata": {}, "status": "Failure", "message": failure_message(&e)});
            Outcome { stdout: Vec::new(), stderr: Vec::new(), status }
        }
    }
}

/// The Status kubectl turns into `command terminated with exit code N`.
pub fn exit_status(code: i32) -> Value {
    json!({
        "metadata": {},
        "status": "Failure",
        "message": format!("command terminated with non-zero exit code: error executing command [...], exit code {code}"),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]},
    })
}
