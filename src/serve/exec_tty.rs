//! `exec -it` (and `attach -it`): a terminal session over the v5 channels. kubectl puts the local
//! terminal in raw mode and sends keystrokes on channel 0, so the server plays the terminal's
//! line discipline: it echoes, edits the line (backspace, Ctrl-C, Ctrl-D) and sends output with
//! CR LF. A shell runs as the CLI's interactive session (`exec::Session`, through
//! `cmd::exec::start_session`/`session_line`): its prompt, continuation lines, and variables,
//! functions and working directory kept between lines, each line in its own transaction. Other
//! programs get the typed text as their input once Ctrl-D ends it.

use std::net::TcpStream;

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

use super::exec::{send, Outcome};

const CTRL_C: u8 = 0x03;
const CTRL_D: u8 = 0x04;
const BACKSPACE: [u8; 2] = [0x08, 0x7f];
/// A line longer than this is cut (a terminal's line buffer is finite too).
const MAX_LINE: usize = 64 * 1024;

/// Whether `command` starts an interactive shell (`sh`, `/bin/bash -l`, …) rather than a program.
pub fn is_shell(command: &[String]) -> bool {
    let Some(first) = command.first() else { return false };
    let base = first.rsplit('/').next().unwrap_or(first);
    matches!(base, "sh" | "bash" | "ash" | "dash") && command[1..].iter().all(|a| a.starts_with('-') && a != "-c")
}

/// Terminal output: newlines become CR LF, as a tty's ONLCR does.
fn onlcr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// What one entered line of a shell did.
pub struct Step {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The prompt for the next line.
    pub prompt: String,
    /// The shell's exit code, once it ran `exit`.
    pub exited: Option<i32>,
}

/// A shell in the container: runs entered lines; `None` when the pod is gone.
pub trait Shell {
    fn line(&mut self, text: &str) -> Option<Step>;
    /// The exit code of the last line (for Ctrl-D at the prompt).
    fn status(&self) -> i32;
}

/// The channel-3 Status of an exit code.
pub fn exit_status(code: i32) -> Value {
    match code {
        0 => json!({"metadata": {}, "status": "Success"}),
        code => super::exec::exit_status(code.clamp(1, 255)),
    }
}

/// What a keystroke did to the line being typed.
enum Key {
    /// Enter: the line.
    Line(String),
    Interrupt,
    /// Ctrl-D on an empty line.
    Eof,
    Edited,
}

/// The line discipline: echo, backspace, Ctrl-C, Ctrl-D, Enter.
#[derive(Default)]
struct Editor {
    line: Vec<u8>,
}

impl Editor {
    fn key(&mut self, ws: &mut WebSocket<TcpStream>, b: u8) -> Option<Key> {
        match b {
            CTRL_C => {
                self.line.clear();
                send(ws, 1, b"^C\r\n").ok()?;
                Some(Key::Interrupt)
            }
            CTRL_D if self.line.is_empty() => Some(Key::Eof),
            b if BACKSPACE.contains(&b) => {
                // Drop one whole UTF-8 character.
                while let Some(c) = self.line.pop() {
                    if c & 0xC0 != 0x80 {
                        break;
                    }
                }
                send(ws, 1, b"\x08 \x08").ok()?;
                Some(Key::Edited)
            }
            b'\r' | b'\n' => {
                send(ws, 1, b"\r\n").ok()?;
                let text = String::from_utf8_lossy(&self.line).into_owned();
                self.line.clear();
                Some(Key::Line(text))
            }
            b => {
                if self.line.len() < MAX_LINE {
                    self.line.push(b);
                    send(ws, 1, &[b]).ok()?;
                }
                Some(Key::Edited)
            }
        }
    }
}

/// The keystrokes of the next stdin frame; `None` when the client closed stdin or the socket.
fn keystrokes(ws: &mut WebSocket<TcpStream>) -> Option<Vec<u8>> {
    loop {
        let data = match ws.read() {
            Ok(Message::Binary(data)) => data,
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        };
        match data.split_first() {
            Some((0, bytes)) => return Some(bytes.to_vec()),
            Some((255, _)) => return None,
            _ => continue, // resize and others
        }
    }
}

/// A shell session: prompt, lines (with `> ` continuation lines), until `exit` or Ctrl-D.
/// Returns the channel-3 Status.
pub fn shell_session(ws: &mut WebSocket<TcpStream>, shell: &mut dyn Shell, first_prompt: &str) -> Option<Value> {
    let mut editor = Editor::default();
    let mut prompt = first_prompt.to_string();
    let mut pending = String::new();
    send(ws, 1, prompt.as_bytes()).ok()?;
    while let Some(bytes) = keystrokes(ws) {
        for b in bytes {
            match editor.key(ws, b)? {
                Key::Edited => {}
                Key::Interrupt => {
                    pending.clear();
                    send(ws, 1, prompt.as_bytes()).ok()?;
                }
                Key::Eof => {
                    send(ws, 1, b"\r\n").ok()?;
                    return Some(exit_status(shell.status()));
                }
                Key::Line(text) => {
                    pending.push_str(&text);
                    pending.push('\n');
                    if crate::exec::Session::incomplete(&pending) {
                        send(ws, 1, b"> ").ok()?;
                        continue;
                    }
                    let step = shell.line(&std::mem::take(&mut pending))?;
                    send(ws, 1, &onlcr(&step.stdout)).ok()?;
                    send(ws, 1, &onlcr(&step.stderr)).ok()?;
                    if let Some(code) = step.exited {
                        return Some(exit_status(code));
                    }
                    prompt = step.prompt;
                    send(ws, 1, prompt.as_bytes()).ok()?;
                }
            }
        }
    }
    Some(exit_status(shell.status()))
}

/// A program that is not a shell: what is typed (echoed, line-edited) is its input once Ctrl-D
/// ends it; `run` executes it. Returns the channel-3 Status.
pub fn program_session(
    ws: &mut WebSocket<TcpStream>,
    command: &[String],
    run: &mut dyn FnMut(&[String], &[u8]) -> Outcome,
) -> Option<Value> {
    let mut editor = Editor::default();
    let mut typed: Vec<u8> = Vec::new();
    while let Some(bytes) = keystrokes(ws) {
        for b in bytes {
            match editor.key(ws, b)? {
                Key::Edited | Key::Interrupt => {}
                Key::Line(text) => {
                    typed.extend_from_slice(text.as_bytes());
                    typed.push(b'\n');
                }
                Key::Eof => {
                    let outcome = run(command, &typed);
                    send(ws, 1, &onlcr(&outcome.stdout)).ok()?;
                    send(ws, 1, &onlcr(&outcome.stderr)).ok()?;
                    return Some(outcome.status);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shells_are_recognised() {
        let cmd = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(is_shell(&cmd("sh")));
        assert!(is_shell(&cmd("/bin/bash -l")));
        assert!(!is_shell(&cmd("sh -c ls")));
        assert!(!is_shell(&cmd("cat")));
    }

    #[test]
    fn newlines_become_crlf() {
        assert_eq!(onlcr(b"a\nb\n"), b"a\r\nb\r\n");
    }
}
