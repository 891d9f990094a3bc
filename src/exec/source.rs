//! What a reader reads: a file's bytes, already in memory, or an endless device whose bytes are
//! made only as they are taken. Readers that need a prefix or a running count ask for chunks;
//! readers that need everything materialise it, bounded by the device's length.

use super::special::{DeviceStream, CHUNK};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Bytes(Vec<u8>),
    Device(DeviceStream),
}

impl Source {
    /// The first `n` bytes (fewer at the end), consumed.
    pub fn take(&mut self, n: usize) -> Vec<u8> {
        match self {
            Source::Bytes(v) => {
                let rest = v.split_off(n.min(v.len()));
                std::mem::replace(v, rest)
            }
            Source::Device(d) => d.read(n),
        }
    }

    /// The next piece, or `None` at the end: a file's bytes in one piece, a device's in chunks.
    pub fn next_chunk(&mut self) -> Option<Vec<u8>> {
        let chunk = match self {
            Source::Bytes(v) => std::mem::take(v),
            Source::Device(d) => d.read(CHUNK),
        };
        (!chunk.is_empty()).then_some(chunk)
    }

    /// Everything left.
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Source::Bytes(v) => v,
            Source::Device(mut d) => d.read(usize::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urandom() -> Source {
        Source::Device(DeviceStream::open("/dev/urandom", 1_795_770_000).expect("a device"))
    }

    #[test]
    fn a_prefix_costs_only_its_length() {
        let mut s = urandom();
        let first = s.take(10);
        assert_eq!(first.len(), 10);
        let Source::Device(d) = &s else { panic!("still a device") };
        assert_eq!(d.remaining(), super::super::special::endless_read() - 10);
    }

    #[test]
    fn chunks_and_prefixes_continue_one_stream() {
        let whole = urandom().take(3 * CHUNK);
        let mut s = urandom();
        let mut pieces = s.take(5);
        while pieces.len() < 3 * CHUNK {
            pieces.extend(s.next_chunk().expect("more"));
        }
        assert_eq!(&pieces[..3 * CHUNK], &whole[..]);
    }

    #[test]
    fn files_come_in_one_piece() {
        let mut s = Source::Bytes(b"abcdef".to_vec());
        assert_eq!(s.take(2), b"ab");
        assert_eq!(s.next_chunk(), Some(b"cdef".to_vec()));
        assert_eq!(s.next_chunk(), None);
    }
}
