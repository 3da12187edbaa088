//! `encrypt: true`: AES-256-GCM with a per-app key kept in the app's data dir.

use aes_gcm::aead::{Aead, Generate, Key, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use std::io::Write;
use std::path::Path;
use wx_core::WxError;

const NONCE_LEN: usize = 12;

pub struct Cipher(Aes256Gcm);

impl Cipher {
    /// Loads the app's key from `path`, creating it (readable by the owner only) the first time.
    pub fn open(path: &Path) -> std::io::Result<Cipher> {
        let key = match std::fs::read(path) {
            Ok(bytes) => Key::<Aes256Gcm>::try_from(bytes.as_slice()).map_err(|_| {
                std::io::Error::other(format!("{} is not a 32-byte key", path.display()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Key::<Aes256Gcm>::generate();
                let mut file = new_private_file(path)?;
                file.write_all(key.as_slice())?;
                file.sync_all()?;
                key
            }
            Err(e) => return Err(e),
        };
        Ok(Cipher(Aes256Gcm::new(&key)))
    }

    /// `nonce ‖ ciphertext`.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, WxError> {
        let nonce = Nonce::generate();
        let sealed = self
            .0
            .encrypt(&nonce, plain)
            .map_err(|_| WxError::internal("encryption failed"))?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    pub fn open_sealed(&self, sealed: &[u8]) -> Result<Vec<u8>, WxError> {
        let fail = || WxError::new("encrypted data cannot be decrypted with this app's key");
        if sealed.len() < NONCE_LEN {
            return Err(fail());
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_from(nonce).map_err(|_| fail())?;
        self.0.decrypt(&nonce, body).map_err(|_| fail())
    }
}

#[cfg(unix)]
fn new_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn new_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}
