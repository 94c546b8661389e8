//! Rendering the trigger thresholds: `key: value` lines, or one JSON
//! object `{"trigger_bytes":N,"trigger_seconds":N}`.

use serde::Serialize;
use shim6_netlink::Params;

#[derive(Serialize)]
struct ParamsJson {
    trigger_bytes: u32,
    trigger_seconds: u32,
}

pub fn params_text(params: &Params) -> String {
    format!(
        "trigger-bytes: {}\ntrigger-seconds: {}\n",
        params.trigger_bytes, params.trigger_seconds
    )
}

pub fn params_json(params: &Params) -> String {
    crate::output::json_line(&ParamsJson {
        trigger_bytes: params.trigger_bytes,
        trigger_seconds: params.trigger_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: Params = Params {
        trigger_bytes: 65536,
        trigger_seconds: 10,
    };

    #[test]
    fn text_and_json() {
        assert_eq!(
            params_text(&SAMPLE),
            "trigger-bytes: 65536\ntrigger-seconds: 10\n"
        );
        assert_eq!(
            params_json(&SAMPLE),
            "{\"trigger_bytes\":65536,\"trigger_seconds\":10}\n"
        );
    }
}
