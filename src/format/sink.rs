//! Where formatted bytes go. Padding is written as runs, so a width of two billion costs time
//! only until the sink refuses more, and never an allocation of the width.

/// A destination for formatted bytes that may refuse them (full, closed pipe).
pub trait Sink {
    type Error;

    fn put(&mut self, bytes: &[u8]) -> Result<(), Self::Error>;

    /// `n` copies of `byte`, written in chunks.
    fn repeat(&mut self, byte: u8, mut n: usize) -> Result<(), Self::Error> {
        let chunk = [byte; 4096];
        while n > 0 {
            let k = n.min(chunk.len());
            self.put(&chunk[..k])?;
            n -= k;
        }
        Ok(())
    }
}

/// The sink refused further bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

/// Bytes kept in memory up to a limit; a write past it stores what fits and fails.
#[derive(Debug, Default)]
pub struct Capped {
    pub buf: Vec<u8>,
    limit: usize,
}

impl Capped {
    pub fn new(limit: usize) -> Capped {
        Capped { buf: Vec::new(), limit }
    }
}

impl Sink for Capped {
    type Error = Full;

    fn put(&mut self, bytes: &[u8]) -> Result<(), Full> {
        let room = self.limit.saturating_sub(self.buf.len());
        if bytes.len() > room {
            self.buf.extend_from_slice(&bytes[..room]);
            return Err(Full);
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }
}
