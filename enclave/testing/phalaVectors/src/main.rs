// Reference vectors for phalanet, computed with the libraries Phala's phala-crypto uses
// (schnorrkel with ExpansionMode::Ed25519, ring HKDF-SHA256, dalek scalar*point for ECDH).
use curve25519_dalek::scalar::Scalar;
use ring::hkdf;
use schnorrkel::{ExpansionMode, Keypair, MiniSecretKey, PublicKey, SecretKey};
use blake2::{digest::consts::U32, Blake2b, Digest};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};

fn blake2_256(data: &[u8]) -> [u8; 32] {
    let mut h = Blake2b::<U32>::new();
    h.update(data);
    h.finalize().into()
}
fn aead_encrypt(iv: &[u8; 12], key: &[u8], data: &[u8]) -> Vec<u8> {
    let k = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).unwrap());
    let mut buf = data.to_vec();
    k.seal_in_place_append_tag(Nonce::assume_unique_for_key(*iv), Aad::empty(), &mut buf).unwrap();
    buf
}
fn encrypt_secret_to(my: &Keypair, info: &[&[u8]], to: &[u8], secret: &[u8], iv: &[u8; 12]) -> (Vec<u8>, Vec<u8>) {
    let d = derive(my, info);
    let s = agree(&d, to);
    (d.public.to_bytes().to_vec(), aead_encrypt(iv, &s, secret))
}

const SALT: [u8; 32] = [
    0x18, 0xe8, 0x76, 0xad, 0xfa, 0x74, 0xcc, 0x74, 0x3b, 0x4b, 0x7d, 0x7f, 0x92, 0xc9, 0x6e, 0x03,
    0xde, 0x55, 0x9a, 0x3c, 0x15, 0x27, 0x05, 0x81, 0xfc, 0xe4, 0x45, 0x96, 0x3d, 0x90, 0xf8, 0x5e,
];
struct Len(usize);
impl hkdf::KeyType for Len { fn len(&self) -> usize { self.0 } }

fn from_seed(seed: &[u8]) -> Keypair {
    MiniSecretKey::from_bytes(seed).unwrap().expand_to_keypair(ExpansionMode::Ed25519)
}
fn derive(k: &Keypair, info: &[&[u8]]) -> Keypair {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &SALT).extract(&k.secret.to_bytes());
    let okm = prk.expand(info, Len(32)).unwrap();
    let mut seed = [0u8; 32];
    okm.fill(&mut seed).unwrap();
    from_seed(&seed)
}
fn agree(sk: &Keypair, pk: &[u8]) -> Vec<u8> {
    let mut key = [0u8; 32];
    key.copy_from_slice(&sk.secret.to_bytes()[0..32]);
    let key = Scalar::from_canonical_bytes(key).unwrap();
    let public = PublicKey::from_bytes(pk).unwrap();
    (key * public.as_point()).compress().0.to_vec()
}
fn show(name: &str, k: &Keypair) {
    println!("{name}.public {}", hex::encode(k.public.to_bytes()));
    println!("{name}.canonical {}", hex::encode(k.secret.to_bytes()));
    println!("{name}.ed25519 {}", hex::encode(k.secret.to_ed25519_bytes()));
}
fn main() {
    let key0 = from_seed(b"12345678901234567890123456789012");
    let key1 = from_seed(b"12345678901234567890123456789013");
    show("key0", &key0);
    show("key1", &key1);
    show("key0/test+test", &derive(&key0, &[b"test", b"test"]));
    show("key0/random_number", &derive(&key0, &[b"random_number"]));
    show("key0/iv_generator", &derive(&key0, &[b"iv_generator"]));
    show("key0/master_key_sharing", &derive(&key0, &[b"master_key_sharing"]));
    let cluster_id = [7u8; 32];
    let contract_id = [9u8; 32];
    let cluster = derive(&key0, &[b"cluster_key", &cluster_id]);
    show("key0/cluster_key[7;32]", &cluster);
    show("key0/cluster_key[7;32]/contract_key[9;32]", &derive(&cluster, &[b"contract_key", &contract_id]));
    let d = derive(&key0, &[b"test", b"test"]);
    println!("agree(key0/test+test, key1) {}", hex::encode(agree(&d, &key1.public.to_bytes())));
    println!("agree(key1, key0/test+test) {}", hex::encode(agree(&key1, &d.public.to_bytes())));
    let mut iv = [0u8; 12];
    iv.copy_from_slice(&b"12345678901234567890123456789012"[..12]);
    let (pk, ct) = encrypt_secret_to(&key0, &[b"test", b"test"], &key1.public.to_bytes(), &[1u8; 64], &iv);
    println!("k2.ecdh_pubkey {}", hex::encode(pk));
    println!("k2.encrypted_key {}", hex::encode(ct));
    // gk.rs generate_iv with master = key0, block 100, iv_seq 3
    let ivg = derive(&key0, &[b"iv_generator"]);
    let mut buf = ivg.secret.to_bytes().to_vec();
    buf.extend(100u32.to_be_bytes());
    buf.extend(3u64.to_be_bytes());
    let giv: [u8; 12] = blake2_256(&buf)[0..12].try_into().unwrap();
    println!("gk_iv(key0,100,3) {}", hex::encode(giv));
    let (pk, ct) = encrypt_secret_to(&key0, &[b"master_key_sharing"], &key1.public.to_bytes(), &key0.secret.to_bytes(), &giv);
    println!("share(key0->key1).ecdh_pubkey {}", hex::encode(pk));
    println!("share(key0->key1).encrypted_key {}", hex::encode(ct));
    // gk.rs next_random_number(key0, 105, [5;32])
    let rn = derive(&key0, &[b"random_number"]);
    let mut buf = [5u8; 32].to_vec();
    buf.extend(105u32.to_be_bytes());
    buf.extend(rn.secret.to_bytes());
    println!("random(key0,105,[5;32]) {}", hex::encode(blake2_256(&buf)));
    // restore from canonical secret round trip
    let r = SecretKey::from_bytes(&key0.secret.to_bytes()).unwrap().to_keypair();
    println!("restored.public {}", hex::encode(r.public.to_bytes()));
}
