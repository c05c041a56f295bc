//! Writing the site's files past the page cache (`O_DIRECT`, on Linux).
//!
//! A build writes its site once and does not read it back: a rebuild knows an unchanged
//! page by its stamp. Written through the page cache, every byte is first copied into
//! cache memory the kernel has to find and map, about 4 GB for 100 000 articles; on a
//! virtual machine whose free memory the host takes back, that copy was the largest
//! single cost of a build (docs/benchmark-history.md, "Direct writes"). Written direct, the
//! device takes the bytes from a buffer of ours that is reused from file to file.
//!
//! Direct writes must start, end and sit in memory on block boundaries, so a file's
//! whole blocks are written direct from an aligned buffer, and the rest of its last
//! block the usual way. A file system that refuses direct I/O (or a device with larger
//! blocks than [`ALIGN`]) gets the same bytes written the usual way: direct writing is
//! an optimisation, never a requirement.

use std::fs::File;
use std::io;

/// The block size writes are aligned to: that of nearly every device (512 or 4096 bytes).
const ALIGN: usize = 4096;

/// Files smaller than this go through the page cache: a direct write waits for the
/// device, which for a few kilobytes costs more than the copy it saves.
pub const MIN_LEN: u64 = 16 * 1024;

/// A file's bytes laid out for a direct write: from the first [`ALIGN`] boundary of a
/// buffer. The buffer is the caller's to reuse afterwards ([`Block::into_buf`]): memory
/// kept mapped costs the kernel nothing to fill again.
pub struct Block {
    buf: Vec<u8>,
    len: usize,
}

impl Block {
    /// `parts`, joined, laid out in `buf` (whatever it held before).
    pub fn new(mut buf: Vec<u8>, parts: &[&[u8]]) -> Block {
        let len = parts.iter().map(|p| p.len()).sum();
        if buf.len() < len + ALIGN {
            buf.resize(len + ALIGN, 0);
        }
        let mut at = buf.as_ptr().align_offset(ALIGN);
        for p in parts {
            buf[at..at + p.len()].copy_from_slice(p);
            at += p.len();
        }
        Block { buf, len }
    }

    /// Where the blocks start in the buffer (the same wherever the buffer is moved: its
    /// memory does not move with it).
    fn start(&self) -> usize {
        self.buf.as_ptr().align_offset(ALIGN)
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.buf[self.start()..self.start() + self.len]
    }

    /// Write the file's bytes to `file`, just created and empty: its whole blocks past
    /// the page cache, the rest (less than a block) the usual way. Cutting a padded last
    /// block instead would make the file system read that block back to zero its end.
    /// `Ok(false)` when the file system or device refuses: the file is left empty, for
    /// the caller to write [`Block::bytes`] the usual way.
    pub fn write(&self, file: &File) -> io::Result<bool> {
        if !set_direct(file, true) {
            return Ok(false);
        }
        let start = self.start();
        let whole = self.len / ALIGN * ALIGN;
        match write_at(file, &self.buf[start..start + whole], 0) {
            Ok(()) => {
                set_direct(file, false);
                write_at(
                    file,
                    &self.buf[start + whole..start + self.len],
                    whole as u64,
                )?;
                Ok(true)
            }
            Err(e) if refused(&e) => {
                file.set_len(0)?;
                set_direct(file, false);
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// The buffer, for the next block.
    pub fn into_buf(self) -> Vec<u8> {
        self.buf
    }
}

/// Write `bytes` at `offset` (past the page cache when the file is set so).
#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(not(unix))]
fn write_at(_file: &File, _bytes: &[u8], _offset: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether a direct write failed for want of alignment (`EINVAL`): the device's blocks
/// are larger than [`ALIGN`].
fn refused(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidInput
}

/// Turn `O_DIRECT` on or off for an open file; whether the file system allowed it.
#[cfg(target_os = "linux")]
fn set_direct(file: &File, on: bool) -> bool {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: the descriptor is open for the calls' duration (`file` is borrowed), and
    // F_GETFL/F_SETFL only read and set its status flags: no memory of ours is touched.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 {
            return false;
        }
        let flags = if on {
            flags | libc::O_DIRECT
        } else {
            flags & !libc::O_DIRECT
        };
        libc::fcntl(fd, libc::F_SETFL, flags) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn set_direct(_file: &File, _on: bool) -> bool {
    false
}

/// Whether direct writes pay on the file system `file` is on: a local disk file system
/// (ext4, XFS, Btrfs, F2FS). Elsewhere pages are written the usual way: on a network file
/// system every direct write would wait for the server, and a tmpfs is memory anyway.
#[cfg(target_os = "linux")]
pub fn suits(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    /// The `f_type` of ext4 (and ext2, ext3), XFS, Btrfs and F2FS.
    const LOCAL: [u32; 4] = [0xef53, 0x5846_5342, 0x9123_683e, 0xf2f5_2010];
    let mut fs = std::mem::MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: the descriptor is open for the call's duration (`file` is borrowed), and
    // `fstatfs` writes a whole `statfs` into `fs`, which is read only when it succeeded.
    let kind = unsafe {
        if libc::fstatfs(file.as_raw_fd(), fs.as_mut_ptr()) != 0 {
            return false;
        }
        fs.assume_init().f_type
    };
    // `f_type`'s integer type varies with the platform; the magic numbers are 32 bits.
    LOCAL.contains(&(kind as u32))
}

#[cfg(not(target_os = "linux"))]
pub fn suits(_file: &File) -> bool {
    false
}

/// Whether files in `dir` can be written direct (for tests: where they cannot, pages are
/// written the usual way, and a test cannot expect direct writes).
#[cfg(test)]
pub fn allowed_in(dir: &std::path::Path) -> bool {
    let probe = dir.join(".direct-probe");
    let allowed = File::create(&probe).is_ok_and(|f| suits(&f) && set_direct(&f, true));
    let _ = std::fs::remove_file(&probe);
    allowed
}

/// A file written in a stream (report.json) past the page cache: what it is given is
/// gathered into an aligned buffer and written a whole buffer at a time. Where direct
/// writing is refused, it writes to the file as it is given.
pub struct Writer {
    file: File,
    /// Direct: the aligned buffer, how much of it is filled, and where in the file its
    /// first byte goes. `None`: written the usual way.
    direct: Option<Direct>,
}

struct Direct {
    buf: Vec<u8>,
    filled: usize,
    offset: u64,
}

/// How much a [`Writer`] gathers before it writes: whole blocks, enough to keep the
/// device busy.
const CHUNK: usize = 1 << 20;

impl Writer {
    /// A writer to `file`, just created and empty; direct when `try_direct` and the file
    /// system allows it.
    pub fn new(file: File, try_direct: bool) -> Writer {
        let direct = (try_direct && set_direct(&file, true)).then(|| Direct {
            buf: vec![0; CHUNK + ALIGN],
            filled: 0,
            offset: 0,
        });
        Writer { file, direct }
    }

    /// Write the buffer's whole blocks, keeping the rest (less than a block) for later;
    /// at the end (`last`), write the rest the usual way (see [`Block::write`]).
    fn drain(&mut self, last: bool) -> io::Result<()> {
        let Some(d) = &mut self.direct else {
            return Ok(());
        };
        let start = d.buf.as_ptr().align_offset(ALIGN);
        let whole = d.filled / ALIGN * ALIGN;
        match write_at(&self.file, &d.buf[start..start + whole], d.offset) {
            Ok(()) => {}
            Err(e) if refused(&e) => {
                // Refused (larger blocks than ALIGN): from here the usual way, starting
                // with what the buffer holds.
                let (offset, end) = (d.offset, d.offset + d.filled as u64);
                set_direct(&self.file, false);
                write_at(&self.file, &d.buf[start..start + d.filled], offset)?;
                self.direct = None;
                io::Seek::seek(&mut self.file, io::SeekFrom::Start(end))?;
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        d.buf.copy_within(start + whole..start + d.filled, start);
        d.offset += whole as u64;
        d.filled -= whole;
        if last {
            set_direct(&self.file, false);
            write_at(&self.file, &d.buf[start..start + d.filled], d.offset)?;
            d.offset += d.filled as u64;
            d.filled = 0;
        }
        Ok(())
    }

    /// Write what is left and give the file back.
    pub fn finish(mut self) -> io::Result<File> {
        self.drain(true)?;
        Ok(self.file)
    }
}

impl io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(d) = &mut self.direct else {
            return self.file.write(buf);
        };
        let start = d.buf.as_ptr().align_offset(ALIGN);
        let n = buf.len().min(CHUNK - d.filled);
        d.buf[start + d.filled..start + d.filled + n].copy_from_slice(&buf[..n]);
        d.filled += n;
        if d.filled == CHUNK {
            self.drain(false)?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Direct: whole blocks go out as the buffer fills; the rest waits for `finish`.
        match self.direct {
            Some(_) => Ok(()),
            None => self.file.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Write as _};

    fn read(path: &std::path::Path) -> Vec<u8> {
        let mut v = Vec::new();
        File::open(path).unwrap().read_to_end(&mut v).unwrap();
        v
    }

    /// Bytes of every length around the block size, direct or not (a file system
    /// without direct I/O writes them the usual way), come back exactly as given, from
    /// a buffer reused from one file to the next.
    #[test]
    fn blocks_of_any_length_come_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let mut buf = Vec::new();
        for len in [70_000, 0, 1, 4095, 4096, 4097] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let (a, b) = bytes.split_at(len / 3);
            let path = dir.path().join(format!("f{len}"));
            let file = File::create(&path).unwrap();
            let block = Block::new(buf, &[a, b]);
            assert_eq!(block.bytes(), bytes);
            if !block.write(&file).unwrap() {
                (&file).write_all(block.bytes()).unwrap();
            }
            buf = block.into_buf();
            drop(file);
            assert_eq!(read(&path), bytes, "{len} bytes");
        }
    }

    /// A stream written in pieces of odd sizes, past several buffers, comes back exactly.
    #[test]
    fn a_stream_comes_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        for try_direct in [true, false] {
            let bytes: Vec<u8> = (0..(2 * CHUNK + 12_345)).map(|i| (i % 253) as u8).collect();
            let path = dir.path().join(format!("s{try_direct}"));
            let mut w = Writer::new(File::create(&path).unwrap(), try_direct);
            for piece in bytes.chunks(7_777) {
                w.write_all(piece).unwrap();
            }
            drop(w.finish().unwrap());
            assert_eq!(read(&path), bytes, "direct tried: {try_direct}");
        }
    }
}
