//! Where a command's output goes: bounded sinks (the caller's buffers, pipes, files) and the
//! file-descriptor table that redirections rearrange.

use super::errno::Errno;
use super::source::Source;
use super::special::{DeviceStream, CHUNK};

/// What a sink's bytes become when it is closed.
#[derive(Debug, Clone, PartialEq)]
pub enum SinkKind {
    /// Kept in memory: the caller's stdout/stderr, a pipe, a command substitution.
    Buffer,
    /// Written to this canonical path when closed (`append` for `>>`).
    File { path: String, append: bool },
    /// /dev/null.
    Null,
}

#[derive(Debug)]
pub struct Sink {
    pub kind: SinkKind,
    pub buf: Vec<u8>,
    /// Bytes this sink accepts in all; a write past it fails with `full`.
    pub limit: usize,
    pub full: Errno,
    /// Opened by `exec` for the rest of the shell: its bytes are stored before each program
    /// runs, so that program can read them.
    pub held: bool,
}

impl Sink {
    pub fn buffer(limit: usize, full: Errno) -> Sink {
        Sink { kind: SinkKind::Buffer, buf: Vec::new(), limit, full, held: false }
    }

    pub fn write(&mut self, data: &[u8]) -> Result<(), Errno> {
        if self.kind == SinkKind::Null {
            return Ok(());
        }
        let room = self.limit.saturating_sub(self.buf.len());
        if data.len() > room {
            self.buf.extend_from_slice(&data[..room]);
            return Err(self.full);
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }
}

/// Standard input: bytes consumed front to back by the commands that share it. Redirected from
/// an endless device, its bytes are made as they are read.
#[derive(Debug, Default, Clone)]
pub struct Input {
    pub data: Vec<u8>,
    pub pos: usize,
    device: Option<DeviceStream>,
}

impl Input {
    pub fn new(data: Vec<u8>) -> Input {
        Input { data, pos: 0, device: None }
    }

    pub fn from_source(source: Source) -> Input {
        match source {
            Source::Bytes(data) => Input::new(data),
            Source::Device(d) => Input { data: Vec::new(), pos: 0, device: Some(d) },
        }
    }

    /// Everything not read yet (as `cat` would read it).
    pub fn take_all(&mut self) -> Vec<u8> {
        self.take_source().into_bytes()
    }

    /// Everything not read yet, as a source its reader may take only part of.
    pub fn take_source(&mut self) -> Source {
        let rest = self.data.get(self.pos..).unwrap_or_default().to_vec();
        self.pos = self.data.len();
        match self.device.take() {
            Some(d) if rest.is_empty() => Source::Device(d),
            Some(mut d) => Source::Bytes([rest, d.read(usize::MAX)].concat()),
            None => Source::Bytes(rest),
        }
    }

    /// One line without its newline, or None at end of input.
    pub fn read_line(&mut self) -> Option<String> {
        while !self.data[self.pos.min(self.data.len())..].contains(&b'\n') && self.refill() {}
        let rest = self.data.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let end = rest.iter().position(|b| *b == b'\n');
        let line = String::from_utf8_lossy(&rest[..end.unwrap_or(rest.len())]).to_string();
        self.pos += end.map_or(rest.len(), |e| e + 1);
        Some(line)
    }

    /// Moves the device's next chunk into `data`; false when there is none.
    fn refill(&mut self) -> bool {
        let Some(chunk) = self.device.as_mut().map(|d| d.read(CHUNK)).filter(|c| !c.is_empty()) else {
            return false;
        };
        self.data.drain(..self.pos.min(self.data.len()));
        self.pos = 0;
        self.data.extend(chunk);
        true
    }
}

/// Number of file descriptors a script may use (0-9, as POSIX requires of redirections).
pub const NFDS: usize = 10;

/// The open sinks and which one each output fd writes to.
pub struct Io {
    pub sinks: Vec<Sink>,
    /// fd → index into `sinks` (fd 0 is `stdin`; None for a closed fd).
    pub fds: [Option<usize>; NFDS],
    pub stdin: Input,
    /// Descriptors 1-9 opened for reading (`exec 3<FILE`); `<&3` lends one to `stdin`.
    pub in_fds: [Option<Input>; NFDS],
}

impl Io {
    /// The caller's view: fd 1 and 2 into bounded buffers.
    pub fn new(stdin: &[u8], limit: usize) -> Io {
        let sinks = vec![Sink::buffer(limit, Errno::Pipe), Sink::buffer(limit, Errno::Pipe)];
        let mut fds = [None; NFDS];
        fds[1] = Some(0);
        fds[2] = Some(1);
        Io { sinks, fds, stdin: Input::new(stdin.to_vec()), in_fds: Default::default() }
    }

    pub fn write_fd(&mut self, fd: usize, data: &[u8]) -> Result<(), Errno> {
        match self.fds.get(fd).copied().flatten().and_then(|i| self.sinks.get_mut(i)) {
            Some(s) => s.write(data),
            None => Err(Errno::Inval),
        }
    }

    pub fn out(&mut self, data: &[u8]) -> Result<(), Errno> {
        self.write_fd(1, data)
    }

    /// Diagnostics: a full stderr is not worth reporting anywhere.
    pub fn err(&mut self, text: &str) {
        let _ = self.write_fd(2, text.as_bytes());
    }

    /// Opens a new sink and points `fd` at it; returns the saved state for [`Io::restore`].
    pub fn push(&mut self, sink: Sink) -> usize {
        self.sinks.push(sink);
        self.sinks.len() - 1
    }

    /// Closes sinks opened after `mark`, returning them in order.
    pub fn pop_to(&mut self, mark: usize) -> Vec<Sink> {
        self.sinks.split_off(mark)
    }
}
