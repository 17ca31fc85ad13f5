//! Cross-check against OATH Toolkit's `oathtool`, a reference
//! implementation we did not write, over a grid of parameters.

mod common;

use std::process::Command;

use authdesk_core::SecretBytes;
use authdesk_core::otp::{self, Algorithm, OtpParams};

fn oathtool(args: &[String]) -> String {
    let out = Command::new("oathtool")
        .args(args)
        .output()
        .expect("run oathtool");
    assert!(
        out.status.success(),
        "oathtool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Keys of the lengths seen in the wild: 80-bit portal keys up to 512-bit.
fn keys() -> Vec<SecretBytes> {
    [10usize, 16, 20, 32, 64]
        .iter()
        .map(|&n| SecretBytes::new((0..n).map(|i| (i * 37 + n * 11) as u8).collect()))
        .collect()
}

#[test]
fn totp_matches_oathtool_over_the_grid() {
    common::require_tool("oathtool");
    let times = [
        0u64,
        59,
        1_111_111_109,
        1_234_567_890,
        1_764_000_000,
        2_000_000_000,
        4_102_444_800,
    ];
    let mut checked = 0;
    for key in keys() {
        for alg in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            for digits in [6u8, 7, 8] {
                for period in [1u32, 30, 60] {
                    let params = OtpParams {
                        algorithm: alg,
                        digits,
                        period,
                        ..OtpParams::totp()
                    };
                    for t in times {
                        let ours = otp::time_code(&key, &params, t).unwrap();
                        let theirs = oathtool(&[
                            format!("--totp={alg}"),
                            format!("--digits={digits}"),
                            format!("--time-step-size={period}s"),
                            format!("--now=@{t}"),
                            hex(key.expose()),
                        ]);
                        assert_eq!(
                            ours.as_str(),
                            theirs,
                            "{alg} {digits} digits {period}s at {t}, {} byte key",
                            key.len()
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    println!("{checked} TOTP codes equal oathtool's");
}

#[test]
fn hotp_matches_oathtool() {
    common::require_tool("oathtool");
    for key in keys() {
        for digits in [6u8, 7, 8] {
            let params = OtpParams {
                digits,
                ..OtpParams::hotp(0)
            };
            for counter in [0u64, 1, 2, 9, 1000, 4_294_967_296] {
                let ours = otp::counter_code(&key, &params, counter).unwrap();
                let theirs = oathtool(&[
                    "--hotp".into(),
                    format!("--digits={digits}"),
                    format!("--counter={counter}"),
                    hex(key.expose()),
                ]);
                assert_eq!(
                    ours.as_str(),
                    theirs,
                    "HOTP {digits} digits counter {counter}"
                );
            }
        }
    }
}
