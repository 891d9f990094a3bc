//! /dev/zero, /dev/urandom and /dev/random are read lazily: a reader gets what it asks for, the
//! same bytes as reading the device whole (the device yields one byte more than a command may
//! store), and counting readers go through it chunk by chunk.

use super::super::io::Input;
use super::super::source::Source;
use super::super::special::{endless_read, DeviceStream, CHUNK};
use super::{all, Pod, NOW};

fn stream(p: &str) -> DeviceStream {
    DeviceStream::open(p, NOW).expect("an endless device")
}

#[test]
fn a_short_read_makes_only_its_bytes() {
    let mut s = Source::Device(stream("/dev/urandom"));
    assert_eq!(s.take(10).len(), 10);
    let Source::Device(d) = s else { panic!("still a device") };
    assert_eq!(d.remaining(), endless_read() - 10);
}

#[test]
fn redirected_stdin_is_read_as_far_as_lines_go() {
    let mut input = Input::from_source(Source::Device(stream("/dev/urandom")));
    for _ in 0..3 {
        assert!(input.read_line().is_some());
    }
    assert!(input.data.len() <= CHUNK, "one chunk held, not the device");
}

/// Exact output recorded from the implementation that materialised the whole device.
#[test]
fn lazy_reads_print_what_whole_reads_printed() {
    for mut p in [Pod::nginx(), Pod::busybox()] {
        assert_eq!(p.ok("head -n 3 /dev/urandom | wc"), "      3      18     824\n");
        assert_eq!(p.ok("head -c 300000 /dev/urandom | wc"), "   1098    6845  300000\n");
        assert_eq!(p.ok("{ read a; read b; echo ${#a} ${#b}; head -c 20 | wc -c; } < /dev/urandom"), "134 89\n20\n");
        assert_eq!(p.sh("[ \"$(head -c 70000 /dev/random)\" = \"$(cat /dev/urandom | head -c 70000)\" ]").code, 0);
        assert_eq!(p.ok("head -c 5 /dev/zero | wc -c"), "5\n");
    }
}

#[test]
fn counting_a_device_counts_all_of_it() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("wc -c /dev/zero"), "67108865 /dev/zero\n");
    assert_eq!(all(&p.sh("wc -l < /dev/zero")), ("0\n".into(), String::new(), 0));
}
