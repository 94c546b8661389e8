//! The family is described three times: by the module (`rust/genl.rs`), by
//! its netlink spec (`rust/shim6.yaml`) and by this crate
//! (`shim6_netlink::family`).  This test reads the first two as text and
//! checks all three agree, number by number.
//!
//! Mapping between the three:
//! - `FAMILY_NAME`/`FAMILY_VERSION` ↔ the spec's `name` and `version`
//!   (plain `genetlink` specs have no `version` key: 1 is implied);
//! - the `multicast_groups` of the family description ↔ `mcast-groups`;
//! - `mod cmd` ↔ `operations`;
//! - `mod attr` ↔ the attribute set named after the family, and
//!   `mod foo_attr` ↔ every attribute set whose name starts with `foo`
//!   (`stat_attr` ↔ `stats` and `stats-entry`);
//! - constant `SOME_NAME` ↔ spec name `some-name`;
//! - `MAX` (the policy size) is no attribute: it must equal the highest
//!   attribute number of its sets;
//! - the client's modules carry the same names as the module's;
//! - `evt-*` operations are events on a spec multicast group, the others
//!   requests;
//! - `REQUEST_POLICY` ↔ the types of the spec's attributes (`Address` is
//!   `binary` with `exact-len: 16`, `Addresses` a nest of a `multi-attr`
//!   address), and every attribute a spec request carries is in it;
//! - `Op::new::<_>(cmd::X, Permission::UserNsNetAdmin)` ↔ `flags:
//!   [uns-admin-perm]` (CAP_NET_ADMIN in the namespace's own user
//!   namespace; `admin-perm`, the initial one's, is not what it does),
//!   `.with_dump` ↔ a `dump`;
//! - `MulticastGroup { name, permission: Permission::UserNsNetAdmin }` ↔ a
//!   group with `flags: [uns-admin-perm]`.
//!
//! The client is also held to the spec: each request type sends exactly
//! the attributes the spec lists, each reply and event decoder accepts
//! the message the spec describes, and `ADMIN_COMMANDS` and
//! `EVENTS_GROUP_NEEDS_ADMIN` say what the spec's flags say.

use std::collections::BTreeMap;

/// The spec's flag for what the module's `Permission::UserNsNetAdmin`
/// registers (GENL_UNS_ADMIN_PERM; genetlink-legacy, as MPTCP's spec).
const SPEC_ADMIN_FLAG: &str = "uns-admin-perm";
const MODULE_ADMIN_PERMISSION: &str = "UserNsNetAdmin";
const SPEC_PROTOCOL: &str = "genetlink-legacy";
use std::path::PathBuf;

use serde::Deserialize;
use shim6_netlink::family::{
    ConstantTable, ADMIN_COMMANDS, CONSTANT_TABLES, EVENTS_GROUP, EVENTS_GROUP_NEEDS_ADMIN,
    FAMILY_NAME, FAMILY_VERSION,
};

// ---------------------------------------------------------------- the spec

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    name: String,
    protocol: Option<String>,
    version: Option<u64>,
    #[serde(default)]
    definitions: Vec<Definition>,
    attribute_sets: Vec<AttrSet>,
    operations: Operations,
    mcast_groups: Option<NameList>,
}

#[derive(Debug, Clone, Deserialize)]
struct Definition {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    entries: Vec<Named>,
}

#[derive(Debug, Clone, Deserialize)]
struct AttrSet {
    name: String,
    attributes: Vec<SpecAttr>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SpecAttr {
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Option<u64>,
    nested_attributes: Option<String>,
    #[serde(default)]
    multi_attr: bool,
    checks: Option<Checks>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Checks {
    exact_len: Option<u64>,
    max_len: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
struct Operations {
    list: Vec<Operation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Operation {
    name: String,
    value: Option<u64>,
    attribute_set: Option<String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(rename = "do")]
    do_: Option<SubOperation>,
    dump: Option<SubOperation>,
    event: Option<AttrNames>,
    mcgrp: Option<String>,
}

impl Operation {
    fn admin(&self) -> bool {
        self.flags.iter().any(|flag| flag == SPEC_ADMIN_FLAG)
    }
}

#[derive(Debug, Clone, Deserialize)]
struct SubOperation {
    request: Option<AttrNames>,
    reply: Option<AttrNames>,
}

#[derive(Debug, Clone, Deserialize)]
struct AttrNames {
    #[serde(default)]
    attributes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct NameList {
    list: Vec<Group>,
}

#[derive(Debug, Clone, Deserialize)]
struct Group {
    name: String,
    #[serde(default)]
    flags: Vec<String>,
}

impl Group {
    fn admin(&self) -> bool {
        self.flags.iter().any(|flag| flag == SPEC_ADMIN_FLAG)
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Named {
    name: String,
}

/// Attribute types the genetlink schema allows.
const ATTR_TYPES: &[&str] = &[
    "unused",
    "pad",
    "flag",
    "binary",
    "uint",
    "sint",
    "u8",
    "u16",
    "u32",
    "u64",
    "s32",
    "s64",
    "string",
    "nest",
    "indexed-array",
    "nest-type-value",
];

/// Numbers as ynl assigns them: an explicit `value`, else one more than
/// the previous entry, starting at 1.
fn numbered<'a>(entries: impl Iterator<Item = (&'a str, Option<u64>)>) -> Vec<(String, u64)> {
    let mut next = 1;
    entries
        .map(|(name, value)| {
            let value = value.unwrap_or(next);
            next = value + 1;
            (name.to_owned(), value)
        })
        .collect()
}

impl Spec {
    fn operations(&self) -> Vec<(String, u64)> {
        numbered(
            self.operations
                .list
                .iter()
                .map(|op| (op.name.as_str(), op.value)),
        )
    }

    fn set(&self, name: &str) -> Option<&AttrSet> {
        self.attribute_sets.iter().find(|set| set.name == name)
    }
}

impl AttrSet {
    fn numbered(&self) -> Vec<(String, u64)> {
        numbered(
            self.attributes
                .iter()
                .map(|attr| (attr.name.as_str(), attr.value)),
        )
    }
}

// --------------------------------------------------------- the module source

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Int(u64),
    Str(String),
}

/// What the test reads out of `genl.rs`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Source {
    /// Constants outside any module, such as `FAMILY_NAME`.
    top: BTreeMap<String, Value>,
    /// `mod name { const ...; }` blocks, constants in source order.
    modules: BTreeMap<String, Vec<(String, u64)>>,
    /// The groups in `multicast_groups: &[...]`: each `c_str!` name with
    /// the `Permission::P` after it (`Any` when none follows).
    multicast_groups: Vec<RegisteredGroup>,
    /// `REQUEST_POLICY`, if the module declares one.
    policy: Option<Vec<PolicyEntry>>,
    /// The registered operations (`Op::new::<_>(cmd::NAME, Permission::P)`).
    ops: Vec<RegisteredOp>,
}

/// `(attr::NAME, AttrPolicy::KIND)` or `(attr::NAME, AttrPolicy::KIND(N))`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PolicyEntry {
    attr: String,
    kind: String,
    len: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct RegisteredGroup {
    name: String,
    permission: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct RegisteredOp {
    cmd: String,
    permission: String,
    dump: bool,
}

/// Reads the entries of `&[(attr::NAME, AttrPolicy::KIND), ...]`.
fn parse_policy(expr: &[Token]) -> Result<Vec<PolicyEntry>, String> {
    use Token::{Ident, Number, Punct};
    let inner = match expr {
        [Punct('&'), Punct('['), inner @ .., Punct(']')] => inner,
        _ => return Err("REQUEST_POLICY is not a `&[...]` table".into()),
    };
    let mut entries = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        let (entry, after) = match rest {
            [Punct('('), Ident(a), Punct(':'), Punct(':'), Ident(name), Punct(','), Ident(p), Punct(':'), Punct(':'), Ident(kind), Punct('('), Number(len), Punct(')'), Punct(')'), after @ ..]
                if a == "attr" && p == "AttrPolicy" =>
            {
                let len = parse_int(len)?;
                (
                    PolicyEntry {
                        attr: name.clone(),
                        kind: kind.clone(),
                        len: Some(len),
                    },
                    after,
                )
            }
            [Punct('('), Ident(a), Punct(':'), Punct(':'), Ident(name), Punct(','), Ident(p), Punct(':'), Punct(':'), Ident(kind), Punct(')'), after @ ..]
                if a == "attr" && p == "AttrPolicy" =>
            {
                (
                    PolicyEntry {
                        attr: name.clone(),
                        kind: kind.clone(),
                        len: None,
                    },
                    after,
                )
            }
            _ => {
                return Err(format!(
                    "REQUEST_POLICY: cannot read the entry at {:?}",
                    rest.iter().take(12).collect::<Vec<_>>()
                ))
            }
        };
        entries.push(entry);
        rest = match after {
            [Punct(','), after @ ..] => after,
            [] => after,
            _ => {
                return Err(format!(
                    "REQUEST_POLICY: expected `,` at {:?}",
                    after.iter().take(4).collect::<Vec<_>>()
                ))
            }
        };
    }
    Ok(entries)
}

/// Finds every `Op::new::<_>(cmd::NAME, Permission::P)`, and whether
/// `.with_dump::<_>()` follows it before the next operation.
fn parse_ops(tokens: &[Token]) -> Vec<RegisteredOp> {
    use Token::{Ident, Punct};
    let is = |t: &Token, name: &str| matches!(t, Ident(i) if i == name);
    let starts: Vec<usize> = tokens
        .windows(4)
        .enumerate()
        .filter(|(_, w)| {
            is(&w[0], "Op") && w[1] == Punct(':') && w[2] == Punct(':') && is(&w[3], "new")
        })
        .map(|(i, _)| i)
        .collect();
    let mut ops = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(tokens.len());
        let span = &tokens[start..end];
        let found = span.windows(9).find_map(|w| match w {
            [Ident(c), Punct(':'), Punct(':'), Ident(cmd), Punct(','), Ident(p), Punct(':'), Punct(':'), Ident(permission)]
                if c == "cmd" && p == "Permission" =>
            {
                Some((cmd.clone(), permission.clone()))
            }
            _ => None,
        });
        if let Some((cmd, permission)) = found {
            // The operation ends at the `,` or `]` closing its expression.
            let mut depth = 0usize;
            let mut own = span.len();
            for (i, token) in span.iter().enumerate() {
                match token {
                    Punct('(') | Punct('[') | Punct('{') => depth += 1,
                    Punct(')') | Punct('}') => depth = depth.saturating_sub(1),
                    Punct(']') if depth == 0 => {
                        own = i;
                        break;
                    }
                    Punct(']') => depth -= 1,
                    Punct(',') if depth == 0 => {
                        own = i;
                        break;
                    }
                    _ => {}
                }
            }
            let dump = span[..own].iter().any(|t| is(t, "with_dump"));
            ops.push(RegisteredOp {
                cmd,
                permission,
                dump,
            });
        }
    }
    ops
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Number(String),
    Str(String),
    Punct(char),
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            let end = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == '*' && chars[j + 1] == '/')
                .ok_or("unterminated block comment")?;
            i = end + 2;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Number(chars[start..i].iter().collect()));
        } else if c == '"' {
            let mut value = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("unterminated string literal".into()),
                    Some('"') => break,
                    Some('\\') => {
                        value.push(*chars.get(i + 1).ok_or("unterminated string literal")?);
                        i += 2;
                    }
                    Some(&other) => {
                        value.push(other);
                        i += 1;
                    }
                }
            }
            i += 1;
            tokens.push(Token::Str(value));
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            // A character literal such as '{': not a brace.
            i += 3;
        } else if c == '\'' && chars.get(i + 1) == Some(&'\\') {
            let end = (i + 2..chars.len())
                .find(|&j| chars[j] == '\'')
                .ok_or("unterminated char literal")?;
            i = end + 1;
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    Ok(tokens)
}

fn parse_int(literal: &str) -> Result<u64, String> {
    let digits: String = literal.chars().filter(|&c| c != '_').collect();
    let (radix, digits) = match digits.get(..2) {
        Some("0x") => (16, &digits[2..]),
        Some("0o") => (8, &digits[2..]),
        Some("0b") => (2, &digits[2..]),
        _ => (10, digits.as_str()),
    };
    // Drop a type suffix (`1u16`), which hex digits cannot be confused with
    // because suffixes start with `u` or `i`.
    let digits = digits.find(['u', 'i']).map_or(digits, |at| &digits[..at]);
    u64::from_str_radix(digits, radix).map_err(|e| format!("bad integer literal `{literal}`: {e}"))
}

/// Evaluates the right-hand side of a constant: a literal, a `c_str!`, or
/// the name of a constant defined before it in the same scope.
fn evaluate(expr: &[Token], scope: &BTreeMap<String, Value>) -> Result<Value, String> {
    match expr {
        [Token::Number(literal)] => parse_int(literal).map(Value::Int),
        [Token::Str(text)] => Ok(Value::Str(text.clone())),
        [Token::Ident(macro_name), Token::Punct('!'), Token::Punct('('), Token::Str(text), Token::Punct(')')]
            if macro_name == "c_str" =>
        {
            Ok(Value::Str(text.clone()))
        }
        [Token::Ident(name)] => scope
            .get(name)
            .cloned()
            .ok_or(format!("`{name}` is not a constant defined before")),
        _ => Err(format!("cannot evaluate `{expr:?}`")),
    }
}

fn parse_source(text: &str) -> Result<Source, String> {
    let tokens = tokenize(text)?;
    let mut source = Source::default();
    // (module name, brace depth of its body, its constants so far)
    let mut module: Option<(String, usize, BTreeMap<String, Value>)> = None;
    let mut depth: usize = 0;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth = depth.checked_sub(1).ok_or("unbalanced braces")?;
                if module.as_ref().is_some_and(|(_, body, _)| depth < *body) {
                    module = None;
                }
            }
            Token::Ident(keyword) if keyword == "mod" && depth == 0 => {
                if let [Token::Ident(name), Token::Punct('{'), ..] = &tokens[i + 1..] {
                    source.modules.entry(name.clone()).or_default();
                    module = Some((name.clone(), depth + 1, BTreeMap::new()));
                    depth += 1;
                    i += 3;
                    continue;
                }
            }
            Token::Ident(keyword) if keyword == "const" => {
                let at_top = depth == 0;
                let in_module_body = module.as_ref().is_some_and(|(_, body, _)| depth == *body);
                if let (true, [Token::Ident(name), Token::Punct(':'), rest @ ..]) =
                    (at_top || in_module_body, &tokens[i + 1..])
                {
                    let equals = rest
                        .iter()
                        .position(|t| *t == Token::Punct('='))
                        .ok_or(format!("const {name} has no value"))?;
                    let semicolon = rest
                        .iter()
                        .position(|t| *t == Token::Punct(';'))
                        .ok_or(format!("const {name} has no `;`"))?;
                    let expr = rest
                        .get(equals + 1..semicolon)
                        .ok_or(format!("const {name} is garbled"))?;
                    match &mut module {
                        Some((module_name, _, scope)) => {
                            let value = evaluate(expr, scope)
                                .map_err(|e| format!("{module_name}::{name}: {e}"))?;
                            let Value::Int(number) = value else {
                                return Err(format!("{module_name}::{name} is not a number"));
                            };
                            scope.insert(name.clone(), value);
                            source
                                .modules
                                .get_mut(module_name.as_str())
                                .unwrap()
                                .push((name.clone(), number));
                        }
                        None if name == "REQUEST_POLICY" => {
                            source.policy = Some(parse_policy(expr)?);
                        }
                        None => {
                            // Only literals matter at the top (FAMILY_NAME,
                            // FAMILY_VERSION); other tables are not ours.
                            if let Ok(value) = evaluate(expr, &source.top) {
                                source.top.insert(name.clone(), value);
                            }
                        }
                    }
                    i += 2 + semicolon + 1;
                    continue;
                }
            }
            Token::Ident(field) if field == "multicast_groups" => {
                if let [Token::Punct(':'), Token::Punct('&'), Token::Punct('['), rest @ ..] =
                    &tokens[i + 1..]
                {
                    let end = rest
                        .iter()
                        .position(|t| *t == Token::Punct(']'))
                        .ok_or("multicast_groups: no `]`")?;
                    for window in rest[..end].windows(4) {
                        if let [Token::Ident(m), Token::Punct('!'), Token::Punct('('), Token::Str(group)] =
                            window
                        {
                            if m == "c_str" {
                                source.multicast_groups.push(RegisteredGroup {
                                    name: group.clone(),
                                    permission: "Any".into(),
                                });
                            }
                        }
                        if let [Token::Ident(p), Token::Punct(':'), Token::Punct(':'), Token::Ident(permission)] =
                            window
                        {
                            if let (true, Some(group)) =
                                (p == "Permission", source.multicast_groups.last_mut())
                            {
                                group.permission = permission.clone();
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    source.modules.retain(|_, constants| !constants.is_empty());
    source.ops = parse_ops(&tokens);
    Ok(source)
}

// ------------------------------------------------------------ the comparison

fn kebab(constant: &str) -> String {
    constant.to_ascii_lowercase().replace('_', "-")
}

fn screaming(spec_name: &str) -> String {
    spec_name.to_ascii_uppercase().replace('-', "_")
}

/// The attribute sets a `mod ..._attr` of genl.rs describes.
fn sets_of_module<'a>(spec: &'a Spec, module: &str) -> Option<Vec<&'a AttrSet>> {
    let prefix = if module == "attr" {
        return spec.set(&spec.name).map(|set| vec![set]);
    } else {
        kebab(module.strip_suffix("_attr")?)
    };
    let sets: Vec<_> = spec
        .attribute_sets
        .iter()
        .filter(|set| set.name.starts_with(&prefix))
        .collect();
    (!sets.is_empty()).then_some(sets)
}

/// Compares a list of constants with a list of entries named the spec's
/// way (kebab-case) by `other`, both ways.
fn compare(
    problems: &mut Vec<String>,
    what: &str,
    other: &str,
    constants: &[(String, u64)],
    entries: &[(String, u64)],
) {
    for (constant, value) in constants {
        let name = kebab(constant);
        let matches: Vec<_> = entries.iter().filter(|(entry, _)| *entry == name).collect();
        if matches.is_empty() {
            problems.push(format!(
                "{what}: {constant} = {value} has no '{name}' in {other}"
            ));
        }
        for (_, spec_value) in matches {
            if spec_value != value {
                problems.push(format!(
                    "{what}: {constant} is {value} but {other} says '{name}' is {spec_value}"
                ));
            }
        }
    }
    for (entry, value) in entries {
        let constant = screaming(entry);
        if !constants.iter().any(|(name, _)| *name == constant) {
            problems.push(format!(
                "{what}: '{entry}' = {value} of {other} has no constant {constant}"
            ));
        }
    }
}

fn client_table(module: &str) -> Option<Vec<(String, u64)>> {
    CONSTANT_TABLES
        .iter()
        .find(|(name, _): &&ConstantTable| *name == module)
        .map(|(_, constants)| {
            constants
                .iter()
                .map(|(name, value)| (kebab(name), *value))
                .collect()
        })
}

/// The spec on its own: references resolve and types exist.
fn check_spec_consistency(spec: &Spec, problems: &mut Vec<String>) {
    if let Some(protocol) = &spec.protocol {
        if protocol != SPEC_PROTOCOL {
            problems.push(format!(
                "spec: protocol is '{protocol}', expected '{SPEC_PROTOCOL}'"
            ));
        }
    }
    for set in &spec.attribute_sets {
        let numbered = set.numbered();
        for (i, (name, value)) in numbered.iter().enumerate() {
            if numbered[..i]
                .iter()
                .any(|(other, other_value)| other == name || other_value == value)
            {
                problems.push(format!(
                    "spec: set '{}' has '{name}' = {value} twice",
                    set.name
                ));
            }
        }
        for attr in &set.attributes {
            match attr.kind.as_deref() {
                Some(kind) if ATTR_TYPES.contains(&kind) => {}
                other => problems.push(format!(
                    "spec: {}.{} has type {other:?}",
                    set.name, attr.name
                )),
            }
            if let Some(nested) = &attr.nested_attributes {
                if spec.set(nested).is_none() {
                    problems.push(format!(
                        "spec: {}.{} nests unknown set '{nested}'",
                        set.name, attr.name
                    ));
                }
            }
        }
    }
    for op in &spec.operations.list {
        let set = op.attribute_set.as_deref().and_then(|name| spec.set(name));
        if op.attribute_set.is_some() && set.is_none() {
            problems.push(format!(
                "spec: operation '{}' uses unknown set {:?}",
                op.name, op.attribute_set
            ));
        }
        let messages = [&op.do_, &op.dump]
            .into_iter()
            .flatten()
            .flat_map(|sub| [&sub.request, &sub.reply])
            .flatten()
            .chain(&op.event);
        for names in messages {
            for name in &names.attributes {
                if !set.is_some_and(|set| set.attributes.iter().any(|attr| attr.name == *name)) {
                    problems.push(format!(
                        "spec: operation '{}' names unknown attribute '{name}'",
                        op.name
                    ));
                }
            }
        }
    }
}

/// Events are the `evt-*` operations: an `event` message on a spec
/// multicast group and nothing else; requests have a `do` or a `dump`.
fn check_event_operations(spec: &Spec, problems: &mut Vec<String>) {
    let groups: Vec<&str> = spec
        .mcast_groups
        .iter()
        .flat_map(|groups| &groups.list)
        .map(|group| group.name.as_str())
        .collect();
    for op in &spec.operations.list {
        let is_event = op.name.starts_with("evt-");
        let is_request = op.do_.is_some() || op.dump.is_some();
        if is_event {
            if op.event.is_none() || is_request {
                problems.push(format!(
                    "spec: '{}' must have an `event` and no do/dump",
                    op.name
                ));
            }
            match op.mcgrp.as_deref() {
                Some(group) if groups.contains(&group) => {}
                other => problems.push(format!(
                    "spec: event '{}' has mcgrp {other:?}, not one of {groups:?}",
                    op.name
                )),
            }
        } else if !is_request || op.event.is_some() || op.mcgrp.is_some() {
            problems.push(format!(
                "spec: request '{}' must have a do or dump and no event/mcgrp",
                op.name
            ));
        }
    }
}

/// How the spec describes an attribute of each `AttrPolicy` kind.
fn policy_mismatch(spec: &Spec, attr: &SpecAttr, entry: &PolicyEntry) -> Option<String> {
    let kind = attr.kind.as_deref().unwrap_or("");
    let exact_len = attr.checks.as_ref().and_then(|c| c.exact_len);
    let is_address = |a: &SpecAttr| {
        a.kind.as_deref() == Some("binary")
            && a.checks.as_ref().and_then(|c| c.exact_len) == Some(16)
    };
    let ok = match (entry.kind.as_str(), entry.len) {
        ("U8", None) => kind == "u8",
        ("U32", None) => kind == "u32",
        ("U64", None) => kind == "u64",
        ("Flag", None) => kind == "flag",
        ("Binary", Some(len)) => kind == "binary" && exact_len == Some(len),
        ("String", Some(len)) => {
            kind == "string"
                && attr
                    .checks
                    .as_ref()
                    .and_then(|c| c.max_len)
                    .map_or(true, |max| max <= len)
        }
        ("Address", None) => is_address(attr),
        ("Addresses", None) => {
            kind == "nest"
                && attr
                    .nested_attributes
                    .as_deref()
                    .and_then(|name| spec.set(name))
                    .is_some_and(|set| {
                        let numbered = set.numbered();
                        set.attributes
                            .iter()
                            .zip(&numbered)
                            .any(|(a, (_, value))| *value == 1 && a.multi_attr && is_address(a))
                    })
        }
        _ => {
            return Some(format!(
                "AttrPolicy::{}{:?} is unknown to this test",
                entry.kind, entry.len
            ))
        }
    };
    (!ok).then(|| {
        format!(
            "genl.rs REQUEST_POLICY has {} as AttrPolicy::{}{}, the spec's '{}' is type {kind} (checks {:?}, multi-attr {}, nests {:?})",
            entry.attr,
            entry.kind,
            entry.len.map(|n| format!("({n})")).unwrap_or_default(),
            attr.name,
            attr.checks,
            attr.multi_attr,
            attr.nested_attributes
        )
    })
}

/// The module's request policy against the spec: the same types, and
/// exactly the attributes some request of the spec carries (the module's
/// strict validation refuses any other).
fn check_policy(spec: &Spec, policy: &[PolicyEntry], problems: &mut Vec<String>) {
    let Some(top) = spec.set(&spec.name) else {
        return;
    };
    for entry in policy {
        let name = kebab(&entry.attr);
        match top.attributes.iter().find(|a| a.name == name) {
            Some(attr) => problems.extend(policy_mismatch(spec, attr, entry)),
            None => problems.push(format!(
                "genl.rs REQUEST_POLICY names {}, which the spec's set '{}' lacks",
                entry.attr, top.name
            )),
        }
    }
    let requested: Vec<(&str, &str)> = spec
        .operations
        .list
        .iter()
        .flat_map(|op| {
            [&op.do_, &op.dump]
                .into_iter()
                .flatten()
                .filter_map(|sub| sub.request.as_ref())
                .flat_map(|names| &names.attributes)
                .map(move |name| (op.name.as_str(), name.as_str()))
        })
        .collect();
    for (op, name) in &requested {
        if !policy.iter().any(|entry| kebab(&entry.attr) == *name) {
            problems.push(format!(
                "spec: '{op}' requests carry '{name}', which genl.rs REQUEST_POLICY refuses"
            ));
        }
    }
}

/// Attributes the module's policy accepts but no request of the spec
/// carries: harmless, worth a look.
fn policy_extras(spec: &Spec, policy: &[PolicyEntry]) -> Vec<String> {
    policy
        .iter()
        .filter(|entry| {
            let name = kebab(&entry.attr);
            !spec.operations.list.iter().any(|op| {
                [&op.do_, &op.dump]
                    .into_iter()
                    .flatten()
                    .filter_map(|sub| sub.request.as_ref())
                    .any(|names| names.attributes.contains(&name))
            })
        })
        .map(|entry| entry.attr.clone())
        .collect()
}

/// The module's registered operations against the spec: uns-admin-perm where
/// the module asks for CAP_NET_ADMIN, a dump where it has one.  Spec
/// requests the module does not register yet are not problems.
fn check_registered_ops(spec: &Spec, ops: &[RegisteredOp], problems: &mut Vec<String>) {
    for registered in ops {
        let name = kebab(&registered.cmd);
        let Some(op) = spec.operations.list.iter().find(|op| op.name == name) else {
            problems.push(format!(
                "genl.rs registers cmd::{}, which the spec lacks",
                registered.cmd
            ));
            continue;
        };
        let admin = registered.permission == MODULE_ADMIN_PERMISSION;
        if admin != op.admin() {
            problems.push(format!(
                "genl.rs registers '{name}' with Permission::{}, the spec's flags are {:?}",
                registered.permission, op.flags
            ));
        }
        if registered.dump != op.dump.is_some() {
            problems.push(format!(
                "genl.rs registers '{name}' {} a dump, the spec {}",
                if registered.dump { "with" } else { "without" },
                if op.dump.is_some() {
                    "has one"
                } else {
                    "has none"
                }
            ));
        }
    }
}

/// The client's `ADMIN_COMMANDS` against the spec's `uns-admin-perm` flags.
fn check_client_permissions(spec: &Spec, problems: &mut Vec<String>) {
    let numbers = spec.operations();
    for op in &spec.operations.list {
        if op.event.is_some() {
            continue;
        }
        let Some((_, number)) = numbers.iter().find(|(name, _)| *name == op.name) else {
            continue;
        };
        let listed = ADMIN_COMMANDS.iter().any(|&cmd| u64::from(cmd) == *number);
        if listed != op.admin() {
            problems.push(format!(
                "shim6_netlink::family::ADMIN_COMMANDS {} '{}', the spec's flags are {:?}",
                if listed { "lists" } else { "leaves out" },
                op.name,
                op.flags
            ));
        }
    }
    for &cmd in ADMIN_COMMANDS {
        if !numbers.iter().any(|(_, number)| *number == u64::from(cmd)) {
            problems.push(format!(
                "shim6_netlink::family::ADMIN_COMMANDS lists command {cmd}, which the spec lacks"
            ));
        }
    }
}

/// Everything that disagrees, as readable sentences.
fn disagreements(spec: &Spec, source: &Source) -> Vec<String> {
    let mut problems = Vec::new();
    check_spec_consistency(spec, &mut problems);
    check_event_operations(spec, &mut problems);
    if let Some(policy) = &source.policy {
        check_policy(spec, policy, &mut problems);
    }
    check_registered_ops(spec, &source.ops, &mut problems);

    match source.top.get("FAMILY_NAME") {
        Some(Value::Str(name)) if *name == spec.name && name == FAMILY_NAME => {}
        other => problems.push(format!(
            "family name: genl.rs has {other:?}, the spec '{}', the client '{FAMILY_NAME}'",
            spec.name
        )),
    }
    let spec_version = spec.version.unwrap_or(1);
    match source.top.get("FAMILY_VERSION") {
        Some(Value::Int(version)) if *version == spec_version && *version == u64::from(FAMILY_VERSION) => {}
        other => problems.push(format!(
            "family version: genl.rs has {other:?}, the spec {spec_version}, the client {FAMILY_VERSION}"
        )),
    }

    let spec_groups: Vec<&Group> = spec
        .mcast_groups
        .iter()
        .flat_map(|groups| &groups.list)
        .collect();
    let spec_names: Vec<&str> = spec_groups.iter().map(|g| g.name.as_str()).collect();
    let module_names: Vec<&str> = source
        .multicast_groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    if module_names != spec_names {
        problems.push(format!(
            "multicast groups: genl.rs has {module_names:?}, the spec {spec_names:?}"
        ));
    }
    for (registered, group) in source.multicast_groups.iter().zip(&spec_groups) {
        if (registered.permission == MODULE_ADMIN_PERMISSION) != group.admin() {
            problems.push(format!(
                "genl.rs registers group '{}' with Permission::{}, the spec's flags are {:?}",
                registered.name, registered.permission, group.flags
            ));
        }
    }
    match spec_groups.iter().find(|group| group.name == EVENTS_GROUP) {
        None => problems.push(format!(
            "multicast groups: the client's '{EVENTS_GROUP}' is not in the spec"
        )),
        Some(group) if group.admin() != EVENTS_GROUP_NEEDS_ADMIN => problems.push(format!(
            "the client's EVENTS_GROUP_NEEDS_ADMIN is {EVENTS_GROUP_NEEDS_ADMIN}, the spec's flags of '{EVENTS_GROUP}' are {:?}",
            group.flags
        )),
        Some(_) => {}
    }
    check_client_permissions(spec, &mut problems);

    let mut claimed_sets = Vec::new();
    for (module, constants) in &source.modules {
        let (attributes, max): (Vec<_>, Vec<_>) = constants
            .iter()
            .cloned()
            .partition(|(name, _)| name != "MAX");
        if module == "cmd" {
            compare(
                &mut problems,
                "genl.rs mod cmd",
                "the spec's operations",
                &attributes,
                &spec.operations(),
            );
        } else if let Some(sets) = sets_of_module(spec, module) {
            let entries: Vec<_> = sets.iter().flat_map(|set| set.numbered()).collect();
            let set_names: Vec<_> = sets.iter().map(|set| set.name.as_str()).collect();
            let other = format!("the spec's sets {set_names:?}");
            compare(
                &mut problems,
                &format!("genl.rs mod {module}"),
                &other,
                &attributes,
                &entries,
            );
            let highest = entries.iter().map(|(_, value)| *value).max().unwrap_or(0);
            for (_, value) in &max {
                if *value != highest {
                    problems.push(format!("genl.rs {module}::MAX is {value}, the highest attribute of {set_names:?} is {highest}"));
                }
            }
            claimed_sets.extend(set_names);
        } else {
            problems.push(format!(
                "genl.rs mod {module}: no matching part of the spec (see the mapping at the top of tests/spec.rs)"
            ));
        }

        match client_table(module) {
            Some(client) => {
                let other = format!("shim6_netlink::family::{module}");
                compare(
                    &mut problems,
                    &format!("genl.rs mod {module}"),
                    &other,
                    &attributes,
                    &client,
                );
            }
            None => problems.push(format!(
                "genl.rs mod {module} has no counterpart in shim6_netlink::family"
            )),
        }
    }
    for set in &spec.attribute_sets {
        if !claimed_sets.contains(&set.name.as_str()) {
            problems.push(format!(
                "spec: attribute set '{}' matches no module of genl.rs",
                set.name
            ));
        }
    }
    for (module, _) in CONSTANT_TABLES {
        if !source.modules.contains_key(*module) {
            problems.push(format!(
                "shim6_netlink::family::{module} has no counterpart in genl.rs"
            ));
        }
    }
    problems
}

// ------------------------------------------------------------------- tests

fn rust_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rust")
}

fn read(name: &str) -> String {
    let path = rust_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn real_spec() -> Spec {
    serde_yaml::from_str(&read("shim6.yaml"))
        .unwrap_or_else(|e| panic!("rust/shim6.yaml does not parse: {e}"))
}

fn real_source() -> Source {
    parse_source(&read("genl.rs")).unwrap_or_else(|e| panic!("rust/genl.rs: {e}"))
}

#[test]
fn spec_module_and_client_agree() {
    let (spec, source) = (real_spec(), real_source());
    match &source.policy {
        Some(policy) => {
            let extras = policy_extras(&spec, policy);
            if !extras.is_empty() {
                eprintln!("note: REQUEST_POLICY accepts {extras:?}, which no request carries");
            }
        }
        None => eprintln!("note: genl.rs declares no REQUEST_POLICY: attribute types unchecked"),
    }
    let problems = disagreements(&spec, &source);
    assert!(
        problems.is_empty(),
        "rust/shim6.yaml, rust/genl.rs and shim6_netlink::family disagree:\n  - {}",
        problems.join("\n  - ")
    );
}

#[test]
fn module_source_has_the_expected_shape() {
    let source = real_source();
    assert_eq!(
        source.top.get("FAMILY_NAME"),
        Some(&Value::Str("shim6".into()))
    );
    for module in ["cmd", "attr", "stat_attr"] {
        assert!(
            source.modules.contains_key(module),
            "mod {module} not found in genl.rs: {source:?}"
        );
    }
    assert!(
        !source.multicast_groups.is_empty(),
        "no multicast groups found in genl.rs"
    );
}

#[test]
fn a_wrong_operation_number_is_caught() {
    let mut spec = real_spec();
    spec.operations.list[0].value = Some(200);
    let problems = disagreements(&spec, &real_source());
    assert!(
        problems
            .iter()
            .any(|p| p.contains("GET_INFO") && p.contains("200")),
        "{problems:?}"
    );
}

#[test]
fn a_wrong_attribute_number_is_caught() {
    let mut source = real_source();
    source
        .modules
        .get_mut("stat_attr")
        .unwrap()
        .iter_mut()
        .find(|(n, _)| n == "VALUE")
        .unwrap()
        .1 = 9;
    let problems = disagreements(&real_spec(), &source);
    assert!(
        problems.iter().any(|p| p.contains("VALUE is 9")),
        "{problems:?}"
    );
    // The client still says 2: that disagreement is reported as well.
    assert!(
        problems
            .iter()
            .any(|p| p.contains("shim6_netlink::family::stat_attr")),
        "{problems:?}"
    );
}

#[test]
fn a_missing_constant_and_an_unknown_module_are_caught() {
    let mut source = real_source();
    source
        .modules
        .get_mut("attr")
        .unwrap()
        .retain(|(n, _)| n != "PAD");
    source
        .modules
        .insert("timer_knob".into(), vec![("X".into(), 1)]);
    let problems = disagreements(&real_spec(), &source);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("'pad' = 3 of the spec's sets") && p.contains("no constant PAD")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("mod timer_knob")),
        "{problems:?}"
    );
}

#[test]
fn a_dangling_spec_reference_is_caught() {
    let mut spec = real_spec();
    spec.operations.list[0]
        .do_
        .as_mut()
        .unwrap()
        .reply
        .as_mut()
        .unwrap()
        .attributes
        .push("nonesuch".into());
    let problems = disagreements(&spec, &real_source());
    assert!(
        problems
            .iter()
            .any(|p| p.contains("unknown attribute 'nonesuch'")),
        "{problems:?}"
    );
}

#[test]
fn source_parser_reads_constants_in_their_modules() {
    let text = r#"
        pub(crate) const FAMILY_NAME: &CStr = c_str!("fam"); // name
        pub(crate) const FAMILY_VERSION: u32 = 0x2;
        /// Commands.
        mod cmd {
            pub(crate) const A: u8 = 1;
            pub(crate) const B_C: u8 = 1_0u8; /* ten */
        }
        mod attr {
            pub(crate) const X: u16 = 3;
            pub(crate) const MAX: u16 = X;
        }
        fn f() { const NOT_ME: u8 = 7; let c = '{'; }
        impl Foo { fn g() { let groups = Desc { multicast_groups: &[MulticastGroup { name: c_str!("ev"), permission: Permission::NetAdmin }, MulticastGroup { name: c_str!("two"), permission: Permission::Any }] }; } }
    "#;
    let source = parse_source(text).unwrap();
    assert_eq!(
        source.top.get("FAMILY_NAME"),
        Some(&Value::Str("fam".into()))
    );
    assert_eq!(source.top.get("FAMILY_VERSION"), Some(&Value::Int(2)));
    assert_eq!(
        source.modules["cmd"],
        vec![("A".into(), 1), ("B_C".into(), 10)]
    );
    assert_eq!(
        source.modules["attr"],
        vec![("X".into(), 3), ("MAX".into(), 3)]
    );
    assert_eq!(source.modules.len(), 2);
    assert!(!source.top.contains_key("NOT_ME"));
    assert_eq!(
        source.multicast_groups,
        vec![
            RegisteredGroup {
                name: "ev".into(),
                permission: "NetAdmin".into()
            },
            RegisteredGroup {
                name: "two".into(),
                permission: "Any".into()
            }
        ]
    );
}

#[test]
fn source_parser_rejects_what_it_cannot_evaluate() {
    let error = parse_source("mod attr { pub(crate) const A: u16 = B + 1; }").unwrap_err();
    assert!(error.contains("attr::A"), "{error}");
    let error = parse_source("mod attr { pub(crate) const A: u16 = UNDEFINED; }").unwrap_err();
    assert!(error.contains("UNDEFINED"), "{error}");
}

#[test]
fn module_policy_and_operations_are_read() {
    let source = real_source();
    let policy = source.policy.expect("genl.rs declares REQUEST_POLICY");
    assert!(
        policy
            .iter()
            .any(|e| e.attr == "LOCAL_TAG" && e.kind == "U64"),
        "{policy:?}"
    );
    assert!(
        source
            .ops
            .iter()
            .any(|op| op.cmd == "GET_INFO" && op.permission == "Any" && !op.dump),
        "{:?}",
        source.ops
    );
    assert!(
        source.ops.iter().any(|op| op.cmd == "CTX_GET" && op.dump),
        "{:?}",
        source.ops
    );
}

#[test]
fn policy_and_ops_parsers_read_their_entries() {
    let text = r#"
        pub(crate) const REQUEST_POLICY: &[(u16, AttrPolicy)] = &[
            (attr::A, AttrPolicy::U8),
            (attr::B_C, AttrPolicy::Binary(6)),
        ];
        fn register() {
            let ops = [
                Op::new::<X>(cmd::ONE, Permission::Any),
                Op::new::<Y>(cmd::TWO, Permission::NetAdmin).with_dump::<Y>(),
                Op::new::<Z>(cmd::THREE, Permission::NetAdmin),
            ];
        }
    "#;
    let source = parse_source(text).unwrap();
    assert_eq!(
        source.policy,
        Some(vec![
            PolicyEntry {
                attr: "A".into(),
                kind: "U8".into(),
                len: None
            },
            PolicyEntry {
                attr: "B_C".into(),
                kind: "Binary".into(),
                len: Some(6)
            },
        ])
    );
    let ops: Vec<_> = source
        .ops
        .iter()
        .map(|op| (op.cmd.as_str(), op.permission.as_str(), op.dump))
        .collect();
    assert_eq!(
        ops,
        vec![
            ("ONE", "Any", false),
            ("TWO", "NetAdmin", true),
            ("THREE", "NetAdmin", false)
        ]
    );
    let error = parse_source("const REQUEST_POLICY: &[(u16, P)] = &[(other::A, AttrPolicy::U8)];")
        .unwrap_err();
    assert!(error.contains("cannot read the entry"), "{error}");
}

#[test]
fn a_wrong_policy_type_is_caught() {
    let mut source = real_source();
    let policy = source.policy.as_mut().expect("REQUEST_POLICY");
    for entry in policy.iter_mut() {
        match entry.attr.as_str() {
            "LOCAL_TAG" => entry.kind = "U32".into(),
            "LOCAL_ULID" => entry.kind = "Addresses".into(),
            "LOCAL_LOCATORS" => entry.kind = "Address".into(),
            _ => {}
        }
    }
    let problems = disagreements(&real_spec(), &source);
    for name in [
        "LOCAL_TAG as AttrPolicy::U32",
        "LOCAL_ULID as AttrPolicy::Addresses",
        "LOCAL_LOCATORS as AttrPolicy::Address",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(name)),
            "{name}: {problems:?}"
        );
    }
}

#[test]
fn a_request_attribute_the_policy_refuses_is_caught() {
    let mut source = real_source();
    source
        .policy
        .as_mut()
        .expect("REQUEST_POLICY")
        .retain(|entry| entry.attr != "TRIGGER_POLICY");
    let problems = disagreements(&real_spec(), &source);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("'set-peer-policy' requests carry 'trigger-policy'")),
        "{problems:?}"
    );
}

#[test]
fn an_address_without_its_length_check_is_caught() {
    let mut spec = real_spec();
    let top = spec
        .attribute_sets
        .iter_mut()
        .find(|set| set.name == "shim6")
        .unwrap();
    let ulid = top
        .attributes
        .iter_mut()
        .find(|a| a.name == "peer-ulid")
        .unwrap();
    ulid.checks = None;
    let locators = spec
        .attribute_sets
        .iter_mut()
        .find(|set| set.name == "locators")
        .unwrap();
    locators.attributes[0].multi_attr = false;
    let problems = disagreements(&spec, &real_source());
    assert!(
        problems
            .iter()
            .any(|p| p.contains("PEER_ULID as AttrPolicy::Address")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("PEER_LOCATORS as AttrPolicy::Addresses")),
        "{problems:?}"
    );
}

#[test]
fn an_event_without_its_group_is_caught() {
    let mut spec = real_spec();
    let event = spec
        .operations
        .list
        .iter_mut()
        .find(|op| op.name == "evt-path-changed")
        .unwrap();
    event.mcgrp = None;
    let request = spec
        .operations
        .list
        .iter_mut()
        .find(|op| op.name == "ctx-del")
        .unwrap();
    request.mcgrp = Some("events".into());
    let problems = disagreements(&spec, &real_source());
    assert!(
        problems
            .iter()
            .any(|p| p.contains("event 'evt-path-changed' has mcgrp None")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("request 'ctx-del'")),
        "{problems:?}"
    );
}

#[test]
fn a_permission_or_dump_mismatch_is_caught() {
    let mut source = real_source();
    for op in &mut source.ops {
        match op.cmd.as_str() {
            "CTX_DEL" => op.permission = "Any".into(),
            "CTX_GET" => op.dump = false,
            _ => {}
        }
    }
    let problems = disagreements(&real_spec(), &source);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("'ctx-del' with Permission::Any")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("'ctx-get' without a dump")),
        "{problems:?}"
    );
}

#[test]
fn a_group_or_client_permission_mismatch_is_caught() {
    let mut source = real_source();
    source.multicast_groups[0].permission = "Any".into();
    let mut spec = real_spec();
    for op in &mut spec.operations.list {
        if op.name == "get-info" {
            op.flags = vec![SPEC_ADMIN_FLAG.into()];
        }
        if op.name == "ctx-get" {
            op.flags.clear();
        }
    }
    let problems = disagreements(&spec, &source);
    for wanted in [
        "group 'events' with Permission::Any",
        "ADMIN_COMMANDS leaves out 'get-info'",
        "ADMIN_COMMANDS lists 'ctx-get'",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(wanted)),
            "{wanted}: {problems:?}"
        );
    }
    let mut spec = real_spec();
    spec.mcast_groups.as_mut().unwrap().list[0].flags.clear();
    let problems = disagreements(&spec, &real_source());
    assert!(
        problems
            .iter()
            .any(|p| p.contains("EVENTS_GROUP_NEEDS_ADMIN is true")),
        "{problems:?}"
    );
}

// ------------------------------------------------- the client against the spec

use shim6_netlink::message::{GenlMessage, Messages};
use shim6_netlink::{
    Context, CtxAdd, CtxDel, CtxDump, CtxGet, CtxSetPath, CtxSetTimers, CtxUpdate, Event, GetInfo,
    GetParams, Info, MessageBuilder, OwnedGenlMessage, Params, ReapState, Request, SetParams,
    SetPeerPolicy, TriggerPolicy,
};

const FAMILY_ID: u16 = 0x1d;

fn decode_single(bytes: &[u8]) -> OwnedGenlMessage {
    let raw = Messages::new(bytes)
        .next()
        .expect("one message")
        .expect("valid message");
    GenlMessage::parse(raw).expect("genl header").to_owned()
}

/// The spec's name of top-level attribute `kind`.
fn spec_attr_name(kind: u16) -> String {
    client_table("attr")
        .unwrap()
        .into_iter()
        .find(|(_, value)| *value == u64::from(kind))
        .map_or(format!("#{kind}"), |(name, _)| name)
}

/// Every request type of the client, each with every option set: (cmd,
/// dump, the kinds of its top-level attributes).
fn client_requests() -> Vec<(u8, bool, Vec<String>)> {
    let a: std::net::Ipv6Addr = "2001:db8::1".parse().unwrap();
    fn encoded<R: Request>(request: R) -> (u8, bool, Vec<String>) {
        let bytes = request.to_message(FAMILY_ID).finish(1).expect("encodes");
        let message = decode_single(&bytes);
        let kinds = message
            .attrs()
            .map(|attr| spec_attr_name(attr.expect("valid").kind()))
            .collect();
        (R::COMMAND, R::DUMP, kinds)
    }
    vec![
        encoded(GetInfo),
        encoded(CtxAdd {
            local_locator: Some(a),
            peer_locator: Some(a),
            local_locators: Some(vec![a]),
            peer_locators: Some(vec![a]),
            send_timeout_ms: Some(1),
            keepalive_timeout_ms: Some(1),
            ..CtxAdd::new(1, 2, a, a)
        }),
        encoded(CtxDel { local_tag: 1 }),
        encoded(CtxGet { local_tag: 1 }),
        encoded(CtxDump),
        encoded(CtxSetPath {
            local_tag: 1,
            local_locator: a,
            peer_locator: a,
        }),
        encoded(CtxSetTimers {
            local_tag: 1,
            send_timeout_ms: Some(1),
            keepalive_timeout_ms: Some(1),
        }),
        encoded(CtxUpdate {
            local_tag: 1,
            peer_tag: Some(2),
            local_locators: Some(vec![a]),
            peer_locators: Some(vec![a]),
        }),
        encoded(SetParams {
            trigger_bytes: Some(1),
            trigger_seconds: Some(1),
        }),
        encoded(GetParams),
        encoded(SetPeerPolicy {
            peer_address: a,
            policy: TriggerPolicy::Never,
        }),
    ]
}

#[test]
fn client_requests_carry_exactly_what_the_spec_lists() {
    let spec = real_spec();
    let requests = client_requests();
    let mut problems = Vec::new();
    for (op, value) in spec.operations() {
        let Some(op) = spec.operations.list.iter().find(|o| o.name == op) else {
            continue;
        };
        for (sub, dump) in [(&op.do_, false), (&op.dump, true)] {
            let Some(sub) = sub else { continue };
            let listed: Vec<String> = sub
                .request
                .iter()
                .flat_map(|r| r.attributes.clone())
                .collect();
            match requests
                .iter()
                .find(|(cmd, d, _)| u64::from(*cmd) == value && *d == dump)
            {
                None => problems.push(format!(
                    "the client has no request for '{}' (dump {dump})",
                    op.name
                )),
                Some((_, _, sent)) => {
                    let mut sent_sorted = sent.clone();
                    sent_sorted.sort();
                    let mut listed_sorted = listed.clone();
                    listed_sorted.sort();
                    if sent_sorted != listed_sorted {
                        problems.push(format!("'{}' (dump {dump}): the client sends {sent:?}, the spec lists {listed:?}", op.name));
                    }
                }
            }
        }
    }
    for (cmd, dump, _) in &requests {
        if !spec
            .operations()
            .iter()
            .any(|(_, value)| *value == u64::from(*cmd))
        {
            problems.push(format!(
                "the client sends cmd {cmd} (dump {dump}), which the spec lacks"
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Puts attribute `name` of `set` the way the spec types it.
fn put_as_spec_says(
    spec: &Spec,
    message: &mut MessageBuilder,
    set: &AttrSet,
    name: &str,
    depth: usize,
) {
    let numbered = set.numbered();
    let (attr, (_, value)) = set
        .attributes
        .iter()
        .zip(&numbered)
        .find(|(attr, _)| attr.name == name)
        .unwrap_or_else(|| panic!("no attribute '{name}' in set '{}'", set.name));
    let kind = u16::try_from(*value).unwrap();
    match attr.kind.as_deref() {
        Some("u8") => message.put_u8(kind, 0),
        Some("u32") => message.put_u32(kind, 7),
        Some("u64") => message.put_u64(kind, 7),
        Some("string") => message.put_str(kind, "x"),
        Some("binary") => {
            let len = attr.checks.as_ref().and_then(|c| c.exact_len).unwrap_or(4);
            message.put_bytes(kind, &vec![0x20; usize::try_from(len).unwrap()])
        }
        Some("nest") => {
            let inner = spec
                .set(attr.nested_attributes.as_deref().unwrap())
                .unwrap();
            let nest = message.nest_start(kind);
            if depth < 3 {
                for inner_attr in &inner.attributes {
                    if inner_attr.kind.as_deref() != Some("pad") {
                        put_as_spec_says(spec, message, inner, &inner_attr.name, depth + 1);
                    }
                }
            }
            message.nest_end(nest)
        }
        other => panic!("{name}: no sample for type {other:?}"),
    };
}

/// The message the spec describes for `op`: `names` of its set, typed.
fn spec_message(spec: &Spec, cmd: u64, names: &[String]) -> OwnedGenlMessage {
    let mut message = MessageBuilder::new(FAMILY_ID, u8::try_from(cmd).unwrap(), 1);
    let set = spec.set(&spec.name).unwrap();
    for name in names {
        put_as_spec_says(spec, &mut message, set, name, 0);
    }
    decode_single(&message.finish(1).expect("encodes"))
}

#[test]
fn client_decoders_accept_every_reply_and_event_of_the_spec() {
    let spec = real_spec();
    let mut checked = Vec::new();
    for (name, value) in spec.operations() {
        let op = spec
            .operations
            .list
            .iter()
            .find(|o| o.name == name)
            .unwrap();
        let replies = [&op.do_, &op.dump]
            .into_iter()
            .flatten()
            .filter_map(|sub| sub.reply.as_ref());
        for reply in replies.chain(&op.event) {
            let message = spec_message(&spec, value, &reply.attributes);
            let decoded: Result<String, _> = match name.as_str() {
                "get-info" => Info::parse(&message).map(|i| i.version),
                "ctx-get" => Context::parse(&message).map(|c| format!("{:#x}", c.local_tag)),
                "get-params" => Params::parse(&message).map(|p| p.trigger_bytes.to_string()),
                event if event.starts_with("evt-") => Event::parse(&message).map(|e| {
                    assert_eq!(format!("evt-{}", e.name()), event, "{e:?}");
                    e.name().to_owned()
                }),
                other => panic!("the client has no decoder for the reply of '{other}'"),
            };
            assert!(
                decoded.is_ok(),
                "'{name}' as the spec describes it: {decoded:?}"
            );
            checked.push(name.clone());
        }
    }
    for expected in [
        "get-info",
        "ctx-get",
        "get-params",
        "evt-trigger",
        "evt-path-changed",
    ] {
        assert!(
            checked.iter().any(|n| n == expected),
            "{expected} not checked: {checked:?}"
        );
    }
}

#[test]
fn spec_enums_match_the_client() {
    let spec = real_spec();
    let definition = |name: &str| {
        let d = spec
            .definitions
            .iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("no definition {name}"));
        assert_eq!(d.kind, "enum");
        d.entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>()
    };
    let reap: Vec<String> = (0..3).map(|v| ReapState::from_u8(v).to_string()).collect();
    assert_eq!(definition("reap-state"), reap);
    let policies: Vec<String> = (0..3)
        .map(|v| {
            TriggerPolicy::ALL
                .into_iter()
                .find(|p| p.to_u8() == v)
                .map(|p| p.name().to_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(definition("trigger-policy"), policies);
}

#[test]
fn admin_perm_where_the_module_asks_the_namespace_owner_is_caught() {
    // `admin-perm` is CAP_NET_ADMIN in the initial user namespace; the
    // module registers GENL_UNS_ADMIN_PERM, so the spec must say so.
    let source = real_source();
    let mut spec = real_spec();
    for op in &mut spec.operations.list {
        if op.name == "ctx-add" {
            op.flags = vec!["admin-perm".into()];
        }
    }
    let problems = disagreements(&spec, &source);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("registers 'ctx-add' with Permission::UserNsNetAdmin, the spec's flags are [\"admin-perm\"]")),
        "{problems:?}"
    );
}
