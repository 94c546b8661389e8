//! Bounds-checked big-endian readers and 8-octet padding arithmetic shared by
//! the message and option codecs.

use super::Error;
use std::net::Ipv6Addr;

pub(crate) fn slice(buf: &[u8], at: usize, len: usize) -> Result<&[u8], Error> {
    let end = at.checked_add(len).ok_or(Error::Truncated)?;
    buf.get(at..end).ok_or(Error::Truncated)
}

pub(crate) fn array<const N: usize>(buf: &[u8], at: usize) -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    out.copy_from_slice(slice(buf, at, N)?);
    Ok(out)
}

pub(crate) fn u16_at(buf: &[u8], at: usize) -> Result<u16, Error> {
    array::<2>(buf, at).map(u16::from_be_bytes)
}

pub(crate) fn u32_at(buf: &[u8], at: usize) -> Result<u32, Error> {
    array::<4>(buf, at).map(u32::from_be_bytes)
}

pub(crate) fn ipv6_at(buf: &[u8], at: usize) -> Result<Ipv6Addr, Error> {
    array::<16>(buf, at).map(Ipv6Addr::from)
}

/// Writes `bytes` at `at`; the caller has already sized the buffer, so a
/// miss is reported rather than panicking.
pub(crate) fn put(buf: &mut [u8], at: usize, bytes: &[u8]) -> Result<(), Error> {
    let end = at.checked_add(bytes.len()).ok_or(Error::BufferTooSmall)?;
    buf.get_mut(at..end)
        .ok_or(Error::BufferTooSmall)?
        .copy_from_slice(bytes);
    Ok(())
}

/// `len` rounded up to the next multiple of 8.
pub(crate) const fn pad8(len: usize) -> usize {
    (len + 7) & !7
}
