// SPDX-License-Identifier: GPL-2.0

//! Generic netlink families (`include/net/genetlink.h`).
//!
//! A family is described by a [`FamilyDesc`]: its name, attribute policy,
//! commands and multicast groups.  Commands are types implementing
//! [`DoIt`]; [`Op::new`] turns one into the C callback genetlink calls,
//! the way `phy::create_phy_driver` turns a `phy::Driver` into a vtable.

use super::net::Net;
use kernel::{bindings, error::to_result, ffi, prelude::*, str::CStr, types::Opaque};

/// "Message too long": the reply does not fit (not among `kernel::error::code`).
fn emsgsize() -> Error {
    Error::from_errno(-(bindings::EMSGSIZE as i32))
}

/// Who may run a command.
#[derive(Clone, Copy)]
pub(crate) enum Permission {
    /// Anyone in the namespace.
    Any,
    /// `CAP_NET_ADMIN` in the user namespace owning the network namespace.
    #[allow(dead_code)] // For the commands that change state.
    NetAdmin,
}

/// How the kernel validates one request attribute.
#[derive(Clone, Copy)]
#[allow(dead_code)]
pub(crate) enum AttrPolicy {
    U8,
    U32,
    U64,
    Flag,
    /// Exactly this many octets.
    Binary(u16),
    /// A NUL-terminated string of at most this many octets.
    String(u16),
    Nested,
}

/// A command handler.
pub(crate) trait DoIt {
    fn doit(request: &Request<'_>) -> Result;
}

/// One command of a family.
pub(crate) struct Op {
    cmd: u8,
    permission: Permission,
    doit: unsafe extern "C" fn(*mut bindings::sk_buff, *mut bindings::genl_info) -> ffi::c_int,
}

impl Op {
    pub(crate) fn new<T: DoIt>(cmd: u8, permission: Permission) -> Op {
        Op { cmd, permission, doit: doit_callback::<T> }
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
    pub(crate) multicast_groups: &'a [&'a CStr],
}

/// The C family and the arrays it points to, kept together in one place.
/// Only genetlink reads the arrays, through the family's pointers.
#[allow(dead_code)]
struct Storage {
    family: Opaque<bindings::genl_family>,
    ops: KVec<bindings::genl_ops>,
    policy: KVec<bindings::nla_policy>,
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
        AttrPolicy::Flag => (bindings::NLA_FLAG, 0),
        AttrPolicy::Binary(n) => (bindings::NLA_BINARY, n),
        AttrPolicy::String(n) => (bindings::NLA_NUL_STRING, n),
        AttrPolicy::Nested => (bindings::NLA_NESTED, 0),
    };
    p.type_ = kind as u8;
    p.len = len;
    if let AttrPolicy::Binary(_) = policy {
        // Exact length, not just a maximum.
        p.validation_type = bindings::nla_policy_validation_NLA_VALIDATE_RANGE as u8;
    }
    p
}

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
        for &(attr, kind) in desc.policy {
            let slot = policy.get_mut(usize::from(attr)).ok_or(EINVAL)?;
            *slot = nla_policy(kind);
        }

        let mut ops = KVec::with_capacity(desc.ops.len(), GFP_KERNEL)?;
        for op in desc.ops {
            // SAFETY: `genl_ops` is a C struct of integers and pointers.
            let mut raw: bindings::genl_ops = unsafe { super::zeroed() };
            raw.cmd = op.cmd;
            raw.doit = Some(op.doit);
            raw.flags = match op.permission {
                Permission::Any => 0,
                Permission::NetAdmin => bindings::GENL_UNS_ADMIN_PERM as u8,
            };
            ops.push(raw, GFP_KERNEL)?;
        }

        let mut groups = KVec::with_capacity(desc.multicast_groups.len(), GFP_KERNEL)?;
        for name in desc.multicast_groups {
            // SAFETY: `genl_multicast_group` is a C struct of integers.
            let mut raw: bindings::genl_multicast_group = unsafe { super::zeroed() };
            copy_name(&mut raw.name, name)?;
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
            Storage { family: Opaque::new(family), ops, policy, groups },
            GFP_KERNEL,
        )?;
        // SAFETY: the family and its arrays live in `storage`, which stays
        // allocated and unchanged until `genl_unregister_family` in `drop`.
        to_result(unsafe { bindings::genl_register_family(storage.family.get()) })?;
        // INVARIANT: registered above, unregistered in `drop`.
        Ok(Registration { storage })
    }

    /// Sends `msg` to the listeners of multicast group `group` in `net`.
    #[allow(dead_code)]
    pub(crate) fn multicast(&self, net: &Net, msg: Message, group: u32) -> Result {
        let skb = msg.finish();
        // SAFETY: the family is registered (type invariant); the call
        // consumes `skb` whatever it returns.
        let ret = unsafe {
            bindings::genlmsg_multicast_netns(
                self.storage.family.get(),
                net.as_ptr(),
                skb,
                0,
                group,
                bindings::GFP_ATOMIC,
            )
        };
        // No listener is not an error for an event.
        if ret == -(bindings::ESRCH as i32) { Ok(()) } else { to_result(ret) }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // SAFETY: registered in `register` (type invariant).  This waits for
        // running handlers, so nothing uses the storage after it returns.
        unsafe { bindings::genl_unregister_family(self.storage.family.get()) };
    }
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
        let msg = Message { skb, hdr, info };
        if hdr.is_null() {
            return Err(emsgsize());
        }
        Ok(msg)
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
}

/// An attribute nest opened by [`Message::nest_start`].
pub(crate) struct Nest(*mut bindings::nlattr);

impl Message {
    /// Room for a reply: the family's largest message plus headers.
    const SIZE: usize = 3840;

    pub(crate) fn put_string(&mut self, attr: u16, value: &CStr) -> Result {
        let bytes = value.as_bytes_with_nul();
        let len = i32::try_from(bytes.len()).map_err(|_| emsgsize())?;
        // SAFETY: `skb` is owned (type invariant); `bytes` is valid for `len`.
        to_result(unsafe { bindings::nla_put(self.skb, attr.into(), len, bytes.as_ptr().cast()) })
    }

    pub(crate) fn put_u64(&mut self, attr: u16, value: u64, pad: u16) -> Result {
        // SAFETY: `skb` is owned (type invariant).
        to_result(unsafe { bindings::nla_put_64bit(self.skb, attr.into(), 8, (&value as *const u64).cast(), pad.into()) })
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
        // SAFETY: an unsent message still owns its `skb` (type invariant).
        unsafe { bindings::kfree_skb(self.skb) };
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
