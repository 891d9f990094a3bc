//! The few errno values the simulated kernel returns, with glibc's `strerror` texts.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errno {
    Noent,
    Exist,
    NotDir,
    IsDir,
    NotEmpty,
    Rofs,
    NoSpc,
    Loop,
    Inval,
    Pipe,
    Busy,
    Perm,
    Io,
    NameTooLong,
}

impl Errno {
    /// glibc's message, which both GNU coreutils and busybox print.
    pub fn text(self) -> &'static str {
        match self {
            Errno::Noent => "No such file or directory",
            Errno::Exist => "File exists",
            Errno::NotDir => "Not a directory",
            Errno::IsDir => "Is a directory",
            Errno::NotEmpty => "Directory not empty",
            Errno::Rofs => "Read-only file system",
            Errno::NoSpc => "No space left on device",
            Errno::Loop => "Too many levels of symbolic links",
            Errno::Inval => "Invalid argument",
            Errno::Pipe => "Broken pipe",
            Errno::Busy => "Device or resource busy",
            Errno::Perm => "Operation not permitted",
            Errno::Io => "Input/output error",
            Errno::NameTooLong => "File name too long",
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

pub type FsResult<T> = Result<T, Errno>;
