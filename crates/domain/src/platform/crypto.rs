//! Secrets at rest (upstream passwords): XChaCha20-Poly1305 with a 32-byte key from
//! configuration. Stored as `v1:` + base64(nonce || ciphertext).

use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

use crate::{Error, Result};

#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    /// A key written as 64 hex characters or as base64 of 32 bytes.
    pub fn from_key_text(text: &str) -> anyhow::Result<SecretBox> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
            hex::decode(text)?
        } else {
            STANDARD.decode(text).map_err(|_| {
                anyhow::anyhow!("the secret key must be 64 hex characters or base64 of 32 bytes")
            })?
        };
        anyhow::ensure!(
            bytes.len() == 32,
            "the secret key must be 32 bytes, got {}",
            bytes.len()
        );
        Ok(SecretBox {
            cipher: XChaCha20Poly1305::new_from_slice(&bytes)?,
        })
    }

    /// A new random key as 64 hex characters.
    pub fn generate_key_text() -> String {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        hex::encode(key)
    }

    pub fn encrypt(&self, plaintext: &str) -> Result<String> {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .map_err(|_| Error::unexpected("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        Ok(format!("v1:{}", STANDARD.encode(out)))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String> {
        let fail =
            || Error::unexpected("a stored secret could not be decrypted (wrong secret key?)");
        let raw = STANDARD
            .decode(stored.strip_prefix("v1:").ok_or_else(fail)?)
            .map_err(|_| fail())?;
        if raw.len() < 24 {
            return Err(fail());
        }
        let (nonce, ciphertext) = raw.split_at(24);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| fail())?;
        String::from_utf8(plain).map_err(|_| fail())
    }
}

#[cfg(test)]
mod tests {
    use super::SecretBox;

    #[test]
    fn round_trips_and_hides_the_plaintext() {
        let secrets = SecretBox::from_key_text(&SecretBox::generate_key_text()).unwrap();
        let stored = secrets.encrypt("upstream-pass-123").unwrap();
        assert!(!stored.contains("upstream-pass-123"));
        assert_ne!(
            stored,
            secrets.encrypt("upstream-pass-123").unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(secrets.decrypt(&stored).unwrap(), "upstream-pass-123");
    }

    #[test]
    fn another_key_cannot_decrypt() {
        let a = SecretBox::from_key_text(&SecretBox::generate_key_text()).unwrap();
        let b = SecretBox::from_key_text(&SecretBox::generate_key_text()).unwrap();
        assert!(b.decrypt(&a.encrypt("x").unwrap()).is_err());
        assert!(SecretBox::from_key_text("too short").is_err());
    }
}
