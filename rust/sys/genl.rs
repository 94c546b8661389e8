// SPDX-License-Identifier: GPL-2.0

//! Generic netlink families (`include/net/genetlink.h`).
//!
//! A family is described by a [`FamilyDesc`]: its name, attribute policy,
//! commands and multicast groups.  Commands are types implementing
//! [`DoIt`]; [`Op::new`] turns one into the C callback genetlink calls,
//! the way `phy::create_phy_driver` turns a `phy::Driver` into a vtable.

use super::net::Net;
use core::sync::atomic::{AtomicPtr, Ordering};
use kernel::{bindings, error::to_result, ffi, prelude::*, str::CStr, types::Opaque};

/// "Message too long": the reply does not fit (not among `kernel::error::code`).
fn emsgsize() -> Error {
    Error::from_errno(-(bindings::EMSGSIZE as i32))
}

/// Who may run a command or join a multicast group.
#[derive(Clone, Copy)]
pub(crate) enum Permission {
    /// Anyone in the namespace.
    Any,
    /// `CAP_NET_ADMIN` in the user namespace owning the network namespace
    /// (`GENL_UNS_ADMIN_PERM`, `GENL_MCAST_CAP_NET_ADMIN`; the spec's
    /// `uns-admin-perm`), as MPTCP's path manager asks.
    UserNsNetAdmin,
}

/// A multicast group and who may join it.
pub(crate) struct MulticastGroup<'a> {
    pub(crate) name: &'a CStr,
    pub(crate) permission: Permission,
}

/// `GENL_MCAST_CAP_NET_ADMIN` (`BIT(0)` in include/net/genetlink.h, a
/// macro bindgen does not translate): joining needs CAP_NET_ADMIN in the
/// user namespace owning the network namespace.
const GENL_MCAST_CAP_NET_ADMIN: u8 = 1 << 0;

/// How the kernel validates one request attribute.
#[derive(Clone, Copy)]
pub(crate) enum AttrPolicy {
    U8,
    U32,
    U64,
    /// An IPv6 address: exactly 16 octets.
    Address,
    /// A nest of repeated [`ADDRESS_ENTRY`] attributes, each an IPv6 address.
    Addresses,
}

/// The attribute number of each entry in an `Addresses` nest.
pub(crate) const ADDRESS_ENTRY: u16 = 1;

/// A command handler.
pub(crate) trait DoIt {
    fn doit(request: &Request<'_>) -> Result;
}

/// A dump handler: fills `dump` from where the previous call stopped.
pub(crate) trait DumpIt {
    fn dumpit(dump: &mut Dump<'_>) -> Result;
}

type DoItFn = unsafe extern "C" fn(*mut bindings::sk_buff, *mut bindings::genl_info) -> ffi::c_int;
type DumpItFn =
    unsafe extern "C" fn(*mut bindings::sk_buff, *mut bindings::netlink_callback) -> ffi::c_int;

/// One command of a family.
pub(crate) struct Op {
    cmd: u8,
    permission: Permission,
    doit: Option<DoItFn>,
    dumpit: Option<DumpItFn>,
}

impl Op {
    pub(crate) fn new<T: DoIt>(cmd: u8, permission: Permission) -> Op {
        Op { cmd, permission, doit: Some(doit_callback::<T>), dumpit: None }
    }

    /// Adds a dump handler to the command (NLM_F_DUMP requests).
    pub(crate) fn with_dump<T: DumpIt>(mut self) -> Op {
        self.dumpit = Some(dumpit_callback::<T>);
        self
    }
}

/// Everything that defines a family.
pub(crate) struct FamilyDesc<'a> {
    pub(crate) name: &'a CStr,
    pub(crate) version: u32,
    /// Highest attribute number; request attributes are validated strictly
    /// against `policy`, and any attribute not in it is rejected.
    pub(crate) max_attr: u16,
    pub(crate) policy: &'a [(u16, AttrPolicy)],
    pub(crate) ops: &'a [Op],
    pub(crate) multicast_groups: &'a [MulticastGroup<'a>],
}

/// The C family and the arrays it points to, kept together in one place.
/// Only genetlink reads the arrays, through the family's pointers.
#[allow(dead_code)]
struct Storage {
    family: Opaque<bindings::genl_family>,
    ops: KVec<bindings::genl_ops>,
    policy: KVec<bindings::nla_policy>,
    address_list_policy: KVec<bindings::nla_policy>,
    groups: KVec<bindings::genl_multicast_group>,
}

/// A registered family.
///
/// # Invariants
///
/// `storage.family` is registered with genetlink for the lifetime of `self`;
/// it and the arrays it points to never move or change while registered.
pub(crate) struct Registration {
    storage: KBox<Storage>,
}

// SAFETY: after registration the storage is only read (by genetlink, under
// its own locking) until `drop` unregisters it.
unsafe impl Send for Registration {}
// SAFETY: as above; `&Registration` gives no access to the storage.
unsafe impl Sync for Registration {}

fn copy_name<const N: usize>(dst: &mut [ffi::c_char; N], name: &CStr) -> Result {
    let bytes = name.as_bytes();
    if bytes.len() >= N {
        return Err(EINVAL);
    }
    for (d, s) in dst.iter_mut().zip(bytes) {
        *d = *s as ffi::c_char;
    }
    Ok(())
}

fn nla_policy(policy: AttrPolicy) -> bindings::nla_policy {
    // SAFETY: `nla_policy` is a C struct of integers and pointers.
    let mut p: bindings::nla_policy = unsafe { super::zeroed() };
    let (kind, len) = match policy {
        AttrPolicy::U8 => (bindings::NLA_U8, 0),
        AttrPolicy::U32 => (bindings::NLA_U32, 0),
        AttrPolicy::U64 => (bindings::NLA_U64, 0),
        AttrPolicy::Address => (bindings::NLA_BINARY, 16),
        // The nested policy pointer is filled in by the caller.
        AttrPolicy::Addresses => (bindings::NLA_NESTED, ADDRESS_ENTRY),
    };
    p.type_ = kind as u8;
    p.len = len;
    if let AttrPolicy::Address = policy {
        exact_len(&mut p, 16);
    }
    p
}

/// NLA_POLICY_EXACT_LEN(): a binary attribute of exactly `n` octets.
fn exact_len(p: &mut bindings::nla_policy, n: u16) {
    let n = n as i16;
    p.len = 0;
    p.validation_type = bindings::nla_policy_validation_NLA_VALIDATE_RANGE as u8;
    p.__bindgen_anon_1.__bindgen_anon_1 =
        bindings::nla_policy__bindgen_ty_1__bindgen_ty_1 { min: n, max: n };
}

/// The family while it is registered, for events and dumps (which have no
/// request to take it from).
static FAMILY: AtomicPtr<bindings::genl_family> = AtomicPtr::new(core::ptr::null_mut());

impl Registration {
    pub(crate) fn register(desc: &FamilyDesc<'_>, module: &'static ThisModule) -> Result<Self> {
        let mut policy: KVec<bindings::nla_policy> = KVec::with_capacity(usize::from(desc.max_attr) + 1, GFP_KERNEL)?;
        for _ in 0..=desc.max_attr {
            // SAFETY: `nla_policy` is a C struct of integers and pointers.
            policy.push(unsafe { super::zeroed() }, GFP_KERNEL)?;
        }
        // Strict validation from attribute 1 on: unknown attributes, and
        // attributes whose policy is left NLA_UNSPEC, are rejected.
        policy[0].__bindgen_anon_1.strict_start_type = 1;
        // The policy inside an `Addresses` nest: ADDRESS_ENTRY, 16 octets.
        let mut address_list_policy: KVec<bindings::nla_policy> = KVec::with_capacity(2, GFP_KERNEL)?;
        for _ in 0..ADDRESS_ENTRY {
            // SAFETY: `nla_policy` is a C struct of integers and pointers.
            address_list_policy.push(unsafe { super::zeroed() }, GFP_KERNEL)?;
        }
        address_list_policy.push(nla_policy(AttrPolicy::Address), GFP_KERNEL)?;
        address_list_policy[0].__bindgen_anon_1.strict_start_type = 1;
        for &(attr, kind) in desc.policy {
            let slot = policy.get_mut(usize::from(attr)).ok_or(EINVAL)?;
            *slot = nla_policy(kind);
            if let AttrPolicy::Addresses = kind {
                slot.__bindgen_anon_1.nested_policy = address_list_policy.as_ptr();
            }
        }

        let mut ops = KVec::with_capacity(desc.ops.len(), GFP_KERNEL)?;
        for op in desc.ops {
            // SAFETY: `genl_ops` is a C struct of integers and pointers.
            let mut raw: bindings::genl_ops = unsafe { super::zeroed() };
            raw.cmd = op.cmd;
            raw.doit = op.doit;
            raw.dumpit = op.dumpit;
            raw.flags = match op.permission {
                Permission::Any => 0,
                Permission::UserNsNetAdmin => bindings::GENL_UNS_ADMIN_PERM as u8,
            };
            ops.push(raw, GFP_KERNEL)?;
        }

        let mut groups = KVec::with_capacity(desc.multicast_groups.len(), GFP_KERNEL)?;
        for group in desc.multicast_groups {
            // SAFETY: `genl_multicast_group` is a C struct of integers.
            let mut raw: bindings::genl_multicast_group = unsafe { super::zeroed() };
            copy_name(&mut raw.name, group.name)?;
            raw.flags = match group.permission {
                Permission::Any => 0,
                Permission::UserNsNetAdmin => GENL_MCAST_CAP_NET_ADMIN,
            };
            groups.push(raw, GFP_KERNEL)?;
        }

        // SAFETY: `genl_family` is a C struct of integers and pointers.
        let mut family: bindings::genl_family = unsafe { super::zeroed() };
        copy_name(&mut family.name, desc.name)?;
        family.version = desc.version;
        family.maxattr = u32::from(desc.max_attr);
        family.set_netnsok(1);
        family.set_parallel_ops(1);
        family.policy = policy.as_ptr();
        family.ops = ops.as_ptr();
        family.n_ops = u8::try_from(ops.len()).map_err(|_| EINVAL)?;
        family.mcgrps = groups.as_ptr();
        family.n_mcgrps = u8::try_from(groups.len()).map_err(|_| EINVAL)?;
        family.module = module.as_ptr();

        let storage = KBox::new(
            Storage { family: Opaque::new(family), ops, policy, address_list_policy, groups },
            GFP_KERNEL,
        )?;
        // SAFETY: the family and its arrays live in `storage`, which stays
        // allocated and unchanged until `genl_unregister_family` in `drop`.
        to_result(unsafe { bindings::genl_register_family(storage.family.get()) })?;
        FAMILY.store(storage.family.get(), Ordering::Release);
        // INVARIANT: registered above, unregistered in `drop`.
        Ok(Registration { storage })
    }

}

impl Drop for Registration {
    fn drop(&mut self) {
        FAMILY.store(core::ptr::null_mut(), Ordering::Release);
        // SAFETY: registered in `register` (type invariant).  This waits for
        // running handlers, so nothing uses the storage after it returns.
        unsafe { bindings::genl_unregister_family(self.storage.family.get()) };
    }
}

/// Starts an event message for multicast group 0 of the registered family.
/// `None` when the family is not registered or memory is short: events are
/// best effort.
pub(crate) fn event(cmd: u8) -> Option<Message> {
    let family = FAMILY.load(Ordering::Acquire);
    if family.is_null() {
        return None;
    }
    // SAFETY: no preconditions; NULL is checked below.  Events may be sent
    // from softirq context, hence GFP_ATOMIC.
    let skb = unsafe { bindings::genlmsg_new(Message::SIZE, bindings::GFP_ATOMIC) };
    if skb.is_null() {
        return None;
    }
    // SAFETY: `family` is registered (it is cleared before unregistering,
    // and the module's event sources stop before that); `skb` is fresh.
    let hdr = unsafe { bindings::genlmsg_put(skb, 0, 0, family, 0, cmd) };
    let msg = Message { skb, hdr, info: core::ptr::null_mut(), owned: true };
    if hdr.is_null() { None } else { Some(msg) }
}

/// Sends an event to the `events` group listeners in `net`.
pub(crate) fn multicast(net: &Net, msg: Message) {
    let family = FAMILY.load(Ordering::Acquire);
    if family.is_null() {
        return;
    }
    let skb = msg.finish();
    // SAFETY: the family is registered (see `event`); the call consumes
    // `skb` whatever it returns, and having no listener is not an error.
    unsafe {
        bindings::genlmsg_multicast_netns(family, net.as_ptr(), skb, 0, 0, bindings::GFP_ATOMIC)
    };
}

/// A request being handled: the `genl_info` of one `doit` call.
pub(crate) struct Request<'a> {
    info: &'a Opaque<bindings::genl_info>,
}

impl Request<'_> {
    /// The namespace of the socket that sent the request.
    pub(crate) fn net(&self) -> &Net {
        // SAFETY: the requesting socket, and so its namespace, is alive for
        // the duration of the `doit` call that `self` borrows from.
        unsafe { Net::from_raw(bindings::genl_info_net(self.info.get())) }
    }

    /// The attribute `attr` of the request, already validated against the
    /// family's policy.
    fn attr(&self, attr: u16) -> Option<Attr<'_>> {
        // SAFETY: `info` is valid for the `doit` call; `attrs` has
        // `maxattr + 1` entries, and `attr` is checked against the family's
        // `maxattr` before indexing.
        unsafe {
            let info = self.info.get();
            let max = (*(*info).family).maxattr;
            if u32::from(attr) > max || (*info).attrs.is_null() {
                return None;
            }
            let nla = *(*info).attrs.add(usize::from(attr));
            Attr::from_raw(nla)
        }
    }

    pub(crate) fn u64(&self, attr: u16) -> Option<u64> {
        self.attr(attr)?.u64()
    }

    pub(crate) fn u32(&self, attr: u16) -> Option<u32> {
        self.attr(attr)?.u32()
    }

    pub(crate) fn u8(&self, attr: u16) -> Option<u8> {
        self.attr(attr)?.payload.first().copied()
    }

    pub(crate) fn address(&self, attr: u16) -> Option<[u8; 16]> {
        self.attr(attr)?.address()
    }

    /// The addresses of an `Addresses` nest, or `None` if it is absent.
    pub(crate) fn addresses(&self, attr: u16) -> Option<AddressIter<'_>> {
        let nest = self.attr(attr)?;
        Some(AddressIter { rest: nest.payload })
    }

    /// Sets the extended-ack message the requester sees with the error.
    pub(crate) fn set_error_message(&self, msg: &'static CStr) {
        // SAFETY: `info` is valid for the call; `extack` is either NULL or
        // valid for the call, and the message is static.
        unsafe {
            let extack = (*self.info.get()).extack;
            if !extack.is_null() {
                (*extack)._msg = msg.as_char_ptr();
            }
        }
    }

    /// Starts the reply to this request.
    pub(crate) fn reply(&self, cmd: u8) -> Result<Message> {
        let info = self.info.get();
        // SAFETY: `genlmsg_new` has no preconditions; NULL is checked below.
        let skb = unsafe { bindings::genlmsg_new(Message::SIZE, bindings::GFP_KERNEL) };
        if skb.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: `info` is valid for the call (see `doit_callback`), `skb`
        // was just allocated with room for the headers.
        let hdr = unsafe {
            bindings::genlmsg_put(skb, (*info).snd_portid, (*info).snd_seq, (*info).family, 0, cmd)
        };
        let msg = Message { skb, hdr, info, owned: true };
        if hdr.is_null() {
            return Err(emsgsize());
        }
        Ok(msg)
    }
}

/// One attribute: its payload.
struct Attr<'a> {
    payload: &'a [u8],
}

const NLA_HDRLEN: usize = 4;

impl<'a> Attr<'a> {
    /// # Safety
    ///
    /// `nla` is NULL or points to an attribute whose `nla_len` octets are
    /// readable for `'a`.
    unsafe fn from_raw(nla: *const bindings::nlattr) -> Option<Attr<'a>> {
        if nla.is_null() {
            return None;
        }
        // SAFETY: `nla` is valid per the caller.
        let len = usize::from(unsafe { (*nla).nla_len });
        let payload_len = len.checked_sub(NLA_HDRLEN)?;
        // SAFETY: the attribute's `len` octets are readable per the caller.
        let payload = unsafe { core::slice::from_raw_parts(nla.cast::<u8>().add(NLA_HDRLEN), payload_len) };
        Some(Attr { payload })
    }

    fn u64(&self) -> Option<u64> {
        Some(u64::from_ne_bytes(self.payload.get(..8)?.try_into().ok()?))
    }

    fn u32(&self) -> Option<u32> {
        Some(u32::from_ne_bytes(self.payload.get(..4)?.try_into().ok()?))
    }

    fn address(&self) -> Option<[u8; 16]> {
        if self.payload.len() != 16 {
            return None;
        }
        self.payload.try_into().ok()
    }
}

/// The addresses in an `Addresses` nest.  Entries of the wrong size end
/// the iteration (the policy has rejected them already).
pub(crate) struct AddressIter<'a> {
    rest: &'a [u8],
}

impl Iterator for AddressIter<'_> {
    type Item = [u8; 16];

    fn next(&mut self) -> Option<[u8; 16]> {
        let header = self.rest.get(..NLA_HDRLEN)?;
        let len = usize::from(u16::from_ne_bytes([header[0], header[1]]));
        let entry = self.rest.get(NLA_HDRLEN..len)?;
        let aligned = (len + 3) & !3;
        self.rest = self.rest.get(aligned..).unwrap_or(&[]);
        entry.try_into().ok()
    }
}

/// A netlink message under construction.
///
/// # Invariants
///
/// `skb` is owned by the message and `hdr` is its genetlink header.
pub(crate) struct Message {
    skb: *mut bindings::sk_buff,
    hdr: *mut ffi::c_void,
    info: *mut bindings::genl_info,
    /// False for an entry of a dump, whose buffer belongs to netlink.
    owned: bool,
}

/// An attribute nest opened by [`Message::nest_start`].
pub(crate) struct Nest(*mut bindings::nlattr);

impl Message {
    /// Room for a reply: the family's largest message plus headers.
    const SIZE: usize = 3840;

    pub(crate) fn put_string(&mut self, attr: u16, value: &CStr) -> Result {
        self.put(attr, value.as_bytes_with_nul())
    }

    pub(crate) fn put_u64(&mut self, attr: u16, value: u64, pad: u16) -> Result {
        // SAFETY: `skb` is owned (type invariant).
        to_result(unsafe { bindings::nla_put_64bit(self.skb, attr.into(), 8, (&value as *const u64).cast(), pad.into()) })
    }

    fn put(&mut self, attr: u16, bytes: &[u8]) -> Result {
        let len = i32::try_from(bytes.len()).map_err(|_| emsgsize())?;
        // SAFETY: `skb` is owned (type invariant); `bytes` is valid for `len`.
        to_result(unsafe { bindings::nla_put(self.skb, attr.into(), len, bytes.as_ptr().cast()) })
    }

    pub(crate) fn put_u32(&mut self, attr: u16, value: u32) -> Result {
        self.put(attr, &value.to_ne_bytes())
    }

    pub(crate) fn put_u8(&mut self, attr: u16, value: u8) -> Result {
        self.put(attr, &[value])
    }

    pub(crate) fn put_address(&mut self, attr: u16, value: &[u8; 16]) -> Result {
        self.put(attr, value)
    }

    /// An `Addresses` nest.
    pub(crate) fn put_addresses<'b>(&mut self, attr: u16, values: impl Iterator<Item = &'b [u8; 16]>) -> Result {
        let nest = self.nest_start(attr)?;
        for value in values {
            self.put_address(ADDRESS_ENTRY, value)?;
        }
        self.nest_end(nest);
        Ok(())
    }

    pub(crate) fn nest_start(&mut self, attr: u16) -> Result<Nest> {
        // SAFETY: `skb` is owned (type invariant).
        let start = unsafe { bindings::nla_nest_start(self.skb, attr.into()) };
        if start.is_null() { Err(emsgsize()) } else { Ok(Nest(start)) }
    }

    pub(crate) fn nest_end(&mut self, nest: Nest) {
        // SAFETY: `nest` was opened in this message's `skb`.
        unsafe { bindings::nla_nest_end(self.skb, nest.0) };
    }

    /// Ends the message and sends it to the requester.
    pub(crate) fn send(self) -> Result {
        let info = self.info;
        if info.is_null() {
            return Err(EINVAL);
        }
        let skb = self.finish();
        // SAFETY: `info` is valid for the `doit` call this reply belongs to;
        // `genlmsg_reply` consumes `skb`.
        to_result(unsafe { bindings::genlmsg_reply(skb, info) })
    }

    /// Ends the message and hands the buffer over.
    fn finish(self) -> *mut bindings::sk_buff {
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: `hdr` is this message's header (type invariant).
        unsafe { bindings::genlmsg_end(this.skb, this.hdr) };
        this.skb
    }
}

impl Drop for Message {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: an unsent message owns its `skb` (type invariant).
            unsafe { bindings::kfree_skb(self.skb) };
        } else {
            // SAFETY: a dump entry that was not finished is removed from
            // the dump's buffer, which stays valid for the callback.
            unsafe { bindings::genlmsg_cancel(self.skb, self.hdr) };
        }
    }
}

unsafe extern "C" fn doit_callback<T: DoIt>(
    _skb: *mut bindings::sk_buff,
    info: *mut bindings::genl_info,
) -> ffi::c_int {
    // SAFETY: genetlink passes a `genl_info` that is valid until `doit`
    // returns; `Opaque` has the same layout.
    let info = unsafe { &*info.cast::<Opaque<bindings::genl_info>>() };
    match T::doit(&Request { info }) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// One call of a dump: room for as many entries as fit in the buffer.
pub(crate) struct Dump<'a> {
    skb: *mut bindings::sk_buff,
    cb: &'a mut bindings::netlink_callback,
}

impl<'a> Dump<'a> {
    /// The namespace of the requesting socket.
    pub(crate) fn net(&self) -> &'a Net {
        // SAFETY: `cb->skb` is the request, whose socket (and namespace)
        // lives for the duration of the dump callback.
        unsafe { Net::from_raw(bindings::sock_net((*self.cb.skb).sk)) }
    }

    /// Where the previous call stopped (0 on the first call).
    pub(crate) fn cursor(&self) -> u64 {
        // SAFETY: `args` is the view of `ctx` that this module uses.
        unsafe { self.cb.__bindgen_anon_1.args[0] as u64 }
    }

    pub(crate) fn set_cursor(&mut self, cursor: u64) {
        // SAFETY: `args` is the view of `ctx` that this module uses; every
        // bit pattern is a valid `long`.
        unsafe { self.cb.__bindgen_anon_1.args[0] = cursor as _ };
    }

    /// Starts one entry; `Err` when the buffer is full.
    pub(crate) fn entry(&mut self, cmd: u8) -> Result<Message> {
        let family = FAMILY.load(Ordering::Acquire);
        if family.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: `cb->skb` is the request skb; its control buffer holds
        // the netlink parameters (NETLINK_CB); `cb->nlh` is the request
        // header.  Both are valid during the callback.
        let (portid, seq) = unsafe {
            let parms = (*self.cb.skb).cb.as_ptr().cast::<bindings::netlink_skb_parms>();
            ((*parms).portid, (*self.cb.nlh).nlmsg_seq)
        };
        // SAFETY: `skb` is the dump buffer, `family` is registered.
        let hdr = unsafe {
            bindings::genlmsg_put(self.skb, portid, seq, family, bindings::NLM_F_MULTI as i32, cmd)
        };
        if hdr.is_null() {
            return Err(emsgsize());
        }
        Ok(Message { skb: self.skb, hdr, info: core::ptr::null_mut(), owned: false })
    }

    /// Ends an entry started with [`Dump::entry`].
    pub(crate) fn finish_entry(&mut self, msg: Message) {
        let this = core::mem::ManuallyDrop::new(msg);
        // SAFETY: `hdr` is the entry's header in the dump buffer.
        unsafe { bindings::genlmsg_end(this.skb, this.hdr) };
    }

    fn len(&self) -> ffi::c_int {
        // SAFETY: the dump buffer is valid for the callback.
        unsafe { (*self.skb).len as ffi::c_int }
    }
}

unsafe extern "C" fn dumpit_callback<T: DumpIt>(
    skb: *mut bindings::sk_buff,
    cb: *mut bindings::netlink_callback,
) -> ffi::c_int {
    // SAFETY: netlink passes a valid buffer and callback state, exclusively
    // ours until the callback returns.
    let mut dump = Dump { skb, cb: unsafe { &mut *cb } };
    match T::dumpit(&mut dump) {
        // More may follow while the buffer got something; an empty buffer
        // ends the dump.
        Ok(()) => dump.len(),
        Err(e) => e.to_errno(),
    }
}
