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
//! - the client's modules carry the same names as the module's.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use shim6_netlink::family::{
    ConstantTable, CONSTANT_TABLES, EVENTS_GROUP, FAMILY_NAME, FAMILY_VERSION,
};

// ---------------------------------------------------------------- the spec

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    name: String,
    protocol: Option<String>,
    version: Option<u64>,
    attribute_sets: Vec<AttrSet>,
    operations: Operations,
    mcast_groups: Option<NameList>,
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
    #[serde(rename = "do")]
    do_: Option<SubOperation>,
    dump: Option<SubOperation>,
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
    list: Vec<Named>,
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
    /// The `c_str!` names in `multicast_groups: &[...]`.
    multicast_groups: Vec<String>,
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
                        None => {
                            let value =
                                evaluate(expr, &source.top).map_err(|e| format!("{name}: {e}"))?;
                            source.top.insert(name.clone(), value);
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
                                source.multicast_groups.push(group.clone());
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
        if protocol != "genetlink" {
            problems.push(format!(
                "spec: protocol is '{protocol}', expected 'genetlink'"
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
            .flatten();
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

/// Everything that disagrees, as readable sentences.
fn disagreements(spec: &Spec, source: &Source) -> Vec<String> {
    let mut problems = Vec::new();
    check_spec_consistency(spec, &mut problems);

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

    let spec_groups: Vec<String> = spec
        .mcast_groups
        .iter()
        .flat_map(|groups| &groups.list)
        .map(|group| group.name.clone())
        .collect();
    if source.multicast_groups != spec_groups {
        problems.push(format!(
            "multicast groups: genl.rs has {:?}, the spec {spec_groups:?}",
            source.multicast_groups
        ));
    }
    if !spec_groups.iter().any(|group| group == EVENTS_GROUP) {
        problems.push(format!(
            "multicast groups: the client's '{EVENTS_GROUP}' is not in the spec"
        ));
    }

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
    let problems = disagreements(&real_spec(), &real_source());
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
        impl Foo { fn g() { let groups = Desc { multicast_groups: &[c_str!("ev"), c_str!("two")] }; } }
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
        vec!["ev".to_string(), "two".to_string()]
    );
}

#[test]
fn source_parser_rejects_what_it_cannot_evaluate() {
    let error = parse_source("mod attr { pub(crate) const A: u16 = B + 1; }").unwrap_err();
    assert!(error.contains("attr::A"), "{error}");
    let error = parse_source("mod attr { pub(crate) const A: u16 = UNDEFINED; }").unwrap_err();
    assert!(error.contains("UNDEFINED"), "{error}");
}
