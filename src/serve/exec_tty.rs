//! `exec -it`: a terminal session over the v5 channels. kubectl puts the local terminal in raw
//! mode and sends keystrokes on channel 0, so the server plays the terminal's line discipline:
//! it echoes, edits the line (backspace, Ctrl-C, Ctrl-D), and for a shell runs each entered line
//! as `sh -c LINE` in the container, printing a `# ` prompt between them. Other programs get the
//! typed text as their input once Ctrl-D ends it. Each line is its own exec: files persist,
//! variables and the working directory do not.

use std::net::TcpStream;

use serde_json::Value;
use tungstenite::{Message, WebSocket};

use super::exec::{send, Outcome};

const CTRL_C: u8 = 0x03;
const CTRL_D: u8 = 0x04;
const BACKSPACE: [u8; 2] = [0x08, 0x7f];
const PROMPT: &[u8] = b"# ";
/// A line longer than this is cut (a terminal's line buffer is finite too).
const MAX_LINE: usize = 64 * 1024;

/// Whether `command` starts an interactive shell (`sh`, `/bin/bash -l`, …) rather than a program.
fn is_shell(command: &[String]) -> bool {
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

/// Runs the session until the user exits; `run` executes one command line with its input and
/// returns stdout, stderr and the exit code. Returns the last exit code.
pub fn session(
    ws: &mut WebSocket<TcpStream>,
    command: &[String],
    run: &mut dyn FnMut(&[String], &[u8]) -> Outcome,
) -> Option<Value> {
    let shell = is_shell(command);
    let mut line: Vec<u8> = Vec::new();
    let mut typed: Vec<u8> = Vec::new();
    let mut last = None;
    if shell {
        send(ws, 1, PROMPT).ok()?;
    }
    loop {
        let data = match ws.read() {
            Ok(Message::Binary(data)) => data,
            Ok(Message::Close(_)) | Err(_) => return last,
            Ok(_) => continue,
        };
        let Some((&channel, bytes)) = data.split_first() else { continue };
        match channel {
            0 => {}
            255 => return last,
            _ => continue, // resize and others
        }
        for &b in bytes {
            match b {
                CTRL_C => {
                    line.clear();
                    send(ws, 1, b"^C\r\n").ok()?;
                    if shell {
                        send(ws, 1, PROMPT).ok()?;
                    }
                }
                CTRL_D if line.is_empty() => {
                    if shell {
                        send(ws, 1, b"\r\n").ok()?;
                        return last;
                    }
                    let outcome = run(command, &typed);
                    send(ws, 1, &onlcr(&outcome.stdout)).ok()?;
                    send(ws, 1, &onlcr(&outcome.stderr)).ok()?;
                    return Some(outcome.status);
                }
                b if BACKSPACE.contains(&b) => {
                    // Drop one whole UTF-8 character.
                    while let Some(c) = line.pop() {
                        if c & 0xC0 != 0x80 {
                            break;
                        }
                    }
                    send(ws, 1, b"\x08 \x08").ok()?;
                }
                b'\r' | b'\n' => {
                    send(ws, 1, b"\r\n").ok()?;
                    let text = String::from_utf8_lossy(&line).into_owned();
                    line.clear();
                    if !shell {
                        typed.extend_from_slice(text.as_bytes());
                        typed.push(b'\n');
                        continue;
                    }
                    let trimmed = text.trim();
                    if trimmed == "exit" || trimmed.starts_with("exit ") {
                        let outcome = run(&["sh".to_string(), "-c".to_string(), trimmed.to_string()], &[]);
                        return Some(outcome.status);
                    }
                    if !trimmed.is_empty() {
                        let outcome = run(&["sh".to_string(), "-c".to_string(), text], &[]);
                        send(ws, 1, &onlcr(&outcome.stdout)).ok()?;
                        send(ws, 1, &onlcr(&outcome.stderr)).ok()?;
                        last = Some(outcome.status);
                    }
                    send(ws, 1, PROMPT).ok()?;
                }
                b => {
                    if line.len() < MAX_LINE {
                        line.push(b);
                        send(ws, 1, &[b]).ok()?;
                    }
                }
            }
        }
    }
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
