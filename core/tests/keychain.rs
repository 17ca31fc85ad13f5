//! "Remember on this device" against a real Secret Service. scripts/test
//! runs this inside `dbus-run-session` with an unlocked
//! `gnome-keyring-daemon` and a throw-away HOME.

use authdesk_core::keychain;
use authdesk_core::vault::{KdfParams, OpenError, Vault};
use secrecy::SecretString;

#[test]
#[ignore = "needs a Secret Service; scripts/test runs it under gnome-keyring-daemon"]
fn remembered_key_opens_the_vault_until_the_password_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.authdesk");
    let pw = SecretString::from("pw".to_owned());
    let mut v = Vault::create(&path, &pw, KdfParams::insecure_for_tests()).unwrap();

    assert!(keychain::recall(&path).unwrap().is_none());
    keychain::remember(&path, v.key()).unwrap();
    let key = keychain::recall(&path).unwrap().expect("remembered");
    let opened = Vault::open_with_key(&path, key).unwrap();
    assert_eq!(opened.path(), path);
    assert!(matches!(
        keychain::open_remembered(&path).unwrap(),
        keychain::Remembered::Opened(_)
    ));

    v.change_password(
        &SecretString::from("new".to_owned()),
        KdfParams::insecure_for_tests(),
    )
    .unwrap();
    let stale = keychain::recall(&path).unwrap().unwrap();
    assert!(matches!(
        Vault::open_with_key(&path, stale),
        Err(OpenError::KeyRejected { .. })
    ));
    // Every front end's keychain-first opening: ask for the password.
    assert!(matches!(
        keychain::open_remembered(&path).unwrap(),
        keychain::Remembered::Rejected(OpenError::KeyRejected { .. })
    ));

    assert!(keychain::forget(&path).unwrap());
    assert!(!keychain::forget(&path).unwrap());
    assert!(keychain::recall(&path).unwrap().is_none());
    assert!(matches!(
        keychain::open_remembered(&path).unwrap(),
        keychain::Remembered::NotRemembered
    ));
    let missing = dir.path().join("none.authdesk");
    assert!(matches!(
        keychain::open_remembered(&missing).unwrap(),
        keychain::Remembered::NotRemembered
    ));
}
