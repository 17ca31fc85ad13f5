//! Speed targets of the foundation: unlock at the default KDF cost, codes
//! per second, and unlock + list of a 10,000-entry vault.
//! Run with `scripts/bench`; numbers go to docs/BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use authdesk_core::SecretBytes;
use authdesk_core::entry::EntryData;
use authdesk_core::otp::{self, OtpParams};
use authdesk_core::vault::{KdfParams, Vault};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use secrecy::SecretString;

fn vault_with(n: usize, dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join(format!("v{n}.authdesk"));
    let pw = SecretString::from("bench password".to_owned());
    let mut v = Vault::create(&path, &pw, KdfParams::default()).unwrap();
    for i in 0..n {
        v.add(EntryData {
            issuer: format!("Issuer {i}"),
            account: format!("user{i}@example.com"),
            secret: SecretBytes::new((i as u32).to_le_bytes().repeat(5)),
            otp: OtpParams::totp(),
        });
    }
    v.save().unwrap();
    path
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let pw = SecretString::from("bench password".to_owned());

    let small = vault_with(1, dir.path());
    let mut g = c.benchmark_group("vault");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("unlock (Argon2id 64 MiB, t=3, p=1)", |b| {
        b.iter(|| Vault::open(black_box(&small), &pw).unwrap())
    });
    let big = vault_with(10_000, dir.path());
    g.bench_function("unlock + list, 10000 entries", |b| {
        b.iter(|| {
            let v = Vault::open(black_box(&big), &pw).unwrap();
            v.entries()
                .iter()
                .map(|e| e.data.display_name().len())
                .sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("codes");
    let secret = SecretBytes::new(b"12345678901234567890".to_vec());
    g.throughput(Throughput::Elements(1));
    for (name, params) in [
        ("TOTP SHA1 6", OtpParams::totp()),
        (
            "TOTP SHA512 8",
            OtpParams {
                algorithm: authdesk_core::Algorithm::Sha512,
                digits: 8,
                ..OtpParams::totp()
            },
        ),
        ("Steam", OtpParams::steam()),
    ] {
        g.bench_function(name, |b| {
            let mut t = 1_700_000_000u64;
            b.iter(|| {
                t += 30;
                otp::time_code(&secret, &params, black_box(t)).unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
