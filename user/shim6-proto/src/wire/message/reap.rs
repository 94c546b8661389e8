//! REAP messages: Keepalive (type 66) and Probe (type 67), RFC 5534 §5.

use std::net::Ipv6Addr;

use super::super::field;
use super::super::{ContextTag, ControlPacket, Error, OptionSet, Options};
use super::body::Body;
use super::msg_type;
use super::views::{KeepalivePacket, ProbePacket};

const REPORTS_AT: usize = ProbePacket::<&[u8]>::FIXED_LEN;

/// Size of one probe report: source (16), destination (16), nonce, data.
pub const PROBE_REPORT_LEN: usize = 40;
/// Precvd and Psent are 4-bit fields.
pub const MAX_PROBE_REPORTS: usize = 15;

/// Keepalive (type 66): "I still hear you" on the current pair.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keepalive {
    pub receiver_tag: ContextTag,
    /// None are defined; unknown non-critical ones are kept here.
    pub options: Options,
}

impl Body for Keepalive {
    const TYPE: u8 = msg_type::KEEPALIVE;
    const FIXED_LEN: usize = KeepalivePacket::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = OptionSet::NONE;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = KeepalivePacket::new_checked(p.header())?;
        Ok(Keepalive {
            receiver_tag: v.receiver_context_tag(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        KeepalivePacket::new_checked(p.header_mut())?.set_receiver_context_tag(self.receiver_tag);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

/// The Sta field: the sender's REAP state after sending the probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReapState {
    #[default]
    Operational,
    Exploring,
    InboundOk,
}

impl ReapState {
    pub const fn to_wire(self) -> u8 {
        match self {
            ReapState::Operational => 0,
            ReapState::Exploring => 1,
            ReapState::InboundOk => 2,
        }
    }

    /// Sta = 3 is undefined and rejected.
    pub fn from_wire(value: u8) -> Result<ReapState, Error> {
        match value {
            0 => Ok(ReapState::Operational),
            1 => Ok(ReapState::Exploring),
            2 => Ok(ReapState::InboundOk),
            _ => Err(Error::InvalidField("Probe Sta value 3 is undefined")),
        }
    }
}

/// One 40-octet probe report (sent or received).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProbeReport {
    pub src: Ipv6Addr,
    pub dst: Ipv6Addr,
    pub nonce: u32,
    /// No defined meaning; echoed unchanged.
    pub data: u32,
}

impl ProbeReport {
    fn parse(bytes: &[u8], at: usize) -> Result<ProbeReport, Error> {
        Ok(ProbeReport {
            src: field::ipv6_at(bytes, at)?,
            dst: field::ipv6_at(bytes, at + 16)?,
            nonce: field::u32_at(bytes, at + 32)?,
            data: field::u32_at(bytes, at + 36)?,
        })
    }

    fn emit(&self, out: &mut [u8], at: usize) -> Result<(), Error> {
        field::put(out, at, &self.src.octets())?;
        field::put(out, at + 16, &self.dst.octets())?;
        field::put(out, at + 32, &self.nonce.to_be_bytes())?;
        field::put(out, at + 36, &self.data.to_be_bytes())
    }
}

/// Probe (type 67). Octet 12 holds Precvd (high nibble) and Psent (low
/// nibble); Sta is the top two bits of octet 13. The sent reports come
/// first, the first of them describing this very probe.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Probe {
    pub receiver_tag: ContextTag,
    pub state: ReapState,
    /// 1..=15 reports; `sent[0]` is this probe.
    pub sent: Vec<ProbeReport>,
    /// 0..=15 reports of probes received from the peer.
    pub received: Vec<ProbeReport>,
    pub options: Options,
}

impl Probe {
    fn reports_len(&self) -> usize {
        PROBE_REPORT_LEN * (self.sent.len() + self.received.len())
    }

    pub(crate) fn parse_probe(p: &ControlPacket<&[u8]>) -> Result<Probe, Error> {
        let v = ProbePacket::new_checked(p.header())?;
        if v.psent() == 0 {
            return Err(Error::InvalidField("Probe with Psent = 0"));
        }
        let state = ReapState::from_wire(v.sta())?;
        v.check_reports_len()?;
        let header = p.header();
        let report_at = |index: usize| REPORTS_AT + PROBE_REPORT_LEN * index;
        let sent_count = usize::from(v.psent());
        let all_count = sent_count + usize::from(v.precvd());
        let sent = (0..sent_count)
            .map(|i| ProbeReport::parse(header, report_at(i)))
            .collect::<Result<Vec<_>, _>>()?;
        let received = (sent_count..all_count)
            .map(|i| ProbeReport::parse(header, report_at(i)))
            .collect::<Result<Vec<_>, _>>()?;
        let options = Options::parse(header, v.reports_end(), Self::ALLOWED)?;
        Ok(Probe {
            receiver_tag: v.receiver_context_tag(),
            state,
            sent,
            received,
            options,
        })
    }
}

impl Body for Probe {
    const TYPE: u8 = msg_type::PROBE;
    /// Without reports; see `fixed_len`.
    const FIXED_LEN: usize = REPORTS_AT;
    const ALLOWED: OptionSet = OptionSet::NONE;

    fn parse_fields(p: &ControlPacket<&[u8]>, _options: Options) -> Result<Self, Error> {
        Probe::parse_probe(p)
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        if self.sent.is_empty() {
            return Err(Error::InvalidField("Probe with Psent = 0"));
        }
        if self.sent.len() > MAX_PROBE_REPORTS || self.received.len() > MAX_PROBE_REPORTS {
            return Err(Error::TooLong);
        }
        let mut v = ProbePacket::new_checked(p.header_mut())?;
        v.set_receiver_context_tag(self.receiver_tag);
        // Both counts are at most 15, checked above.
        v.set_counts(self.received.len() as u8, self.sent.len() as u8);
        v.set_sta(self.state.to_wire());
        let header = p.header_mut();
        for (index, report) in self.sent.iter().chain(&self.received).enumerate() {
            report.emit(header, REPORTS_AT + PROBE_REPORT_LEN * index)?;
        }
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }

    fn fixed_len(&self) -> usize {
        REPORTS_AT + self.reports_len()
    }
}
